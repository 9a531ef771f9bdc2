resource "azurerm_storage_account" "billing" {
  name                            = "acmebilling"
  resource_group_name             = "rg-billing"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "GRS"
  https_traffic_only_enabled      = true
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = true
}

resource "azurerm_network_security_rule" "billing" {
  name                        = "allow-https"
  resource_group_name         = "rg-billing"
  network_security_group_name = "nsg-billing"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "443"
  source_address_prefix       = "10.0.0.0/8"
  destination_address_prefix  = "*"
}

resource "azurerm_mssql_firewall_rule" "billing" {
  name             = "office"
  server_id        = "/subscriptions/0000/resourceGroups/rg-billing/providers/Microsoft.Sql/servers/sql-billing"
  start_ip_address = "203.0.113.10"
  end_ip_address   = "203.0.113.20"
}

resource "azurerm_key_vault" "billing" {
  name                     = "kv-billing"
  location                 = "westeurope"
  resource_group_name      = "rg-billing"
  tenant_id                = "00000000-0000-0000-0000-000000000000"
  sku_name                 = "standard"
  purge_protection_enabled = true

  network_acls {
    default_action = "Deny"
    bypass         = "AzureServices"
  }
}
