resource "azurerm_network_interface" "router" {
  name                  = "router-nic"
  location              = azurerm_resource_group.net.location
  resource_group_name   = azurerm_resource_group.net.name
  ip_forwarding_enabled = false

  ip_configuration {
    name                          = "primary"
    subnet_id                     = azurerm_subnet.app.id
    private_ip_address_allocation = "Dynamic"
  }
}
