resource "azurerm_windows_web_app" "admin" {
  name                = "northwind-admin"
  resource_group_name = azurerm_resource_group.web.name
  location            = azurerm_resource_group.web.location
  service_plan_id     = azurerm_service_plan.web.id
  https_only          = true

  site_config {
    minimum_tls_version = "1.0"
    ftps_state          = "Disabled"
  }
}
