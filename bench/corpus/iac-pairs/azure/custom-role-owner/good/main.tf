resource "azurerm_role_definition" "ops" {
  name  = "ops"
  scope = data.azurerm_subscription.current.id

  permissions {
    actions = ["Microsoft.Compute/virtualMachines/restart/action", "Microsoft.Compute/virtualMachines/read"]
  }

  assignable_scopes = [data.azurerm_subscription.current.id]
}
