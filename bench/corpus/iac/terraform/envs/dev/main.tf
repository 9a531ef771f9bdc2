module "bastion" {
  source       = "../../modules/bastion"
  allowed_cidr = "0.0.0.0/0"
}
