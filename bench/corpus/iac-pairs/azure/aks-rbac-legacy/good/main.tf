resource "azurerm_kubernetes_cluster" "legacy" {
  name                = "aks-legacy"
  location            = azurerm_resource_group.aks.location
  resource_group_name = azurerm_resource_group.aks.name
  dns_prefix          = "aks-legacy"

  default_node_pool {
    name       = "system"
    node_count = 2
    vm_size    = "Standard_D2s_v5"
  }

  role_based_access_control {
    enabled = true
  }
}
