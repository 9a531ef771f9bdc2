resource "azurerm_postgresql_server" "legacy" {
  name                         = "northwind-pg"
  location                     = azurerm_resource_group.db.location
  resource_group_name          = azurerm_resource_group.db.name
  sku_name                     = "GP_Gen5_2"
  version                      = "11"
  administrator_login          = "pgadmin"
  administrator_login_password = var.pg_password
  ssl_enforcement_enabled      = true
  ssl_minimal_tls_version_enforced = "TLS1_2"
  public_network_access_enabled = false
}
