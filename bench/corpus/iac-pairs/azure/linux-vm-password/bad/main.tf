resource "azurerm_linux_virtual_machine" "jump" {
  name                            = "jump"
  resource_group_name             = azurerm_resource_group.ops.name
  location                        = azurerm_resource_group.ops.location
  size                            = "Standard_B2s"
  admin_username                  = "ops"
  disable_password_authentication = false
  admin_password                  = var.jump_password
  network_interface_ids           = [azurerm_network_interface.jump.id]

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }

  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }
}
