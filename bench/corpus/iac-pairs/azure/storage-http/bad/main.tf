resource "azurerm_storage_account" "data" {
  name                       = "northwinddata"
  resource_group_name        = azurerm_resource_group.data.name
  location                   = azurerm_resource_group.data.location
  account_tier               = "Standard"
  account_replication_type   = "GRS"
  https_traffic_only_enabled = false
  min_tls_version            = "TLS1_2"
}
