resource "azurerm_container_registry" "images" {
  name                = "northwindimages"
  resource_group_name = azurerm_resource_group.ci.name
  location            = azurerm_resource_group.ci.location
  sku                 = "Premium"
  admin_enabled       = false
}
