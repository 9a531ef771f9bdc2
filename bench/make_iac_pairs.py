# ruff: noqa: E501
"""Write bench/corpus/iac-pairs/: good/bad pairs, one pair per check family of the leading IaC
scanners (Terraform AWS/Azure/Google, Kubernetes, Dockerfile), written by the pipesec team.

    .venv/bin/python bench/make_iac_pairs.py

Each pair is <family>/<check>/bad/<file> and <family>/<check>/good/<file>; the good file is the
bad one with the flaw fixed (``fix`` replacements), so the two differ only in the check's
setting. bench/iac_pairs.py scans them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

OUT = Path(__file__).parent / "corpus" / "iac-pairs"

# (family, check, bad text, [(old, new), ...] turning bad into good)
Pair = tuple[str, str, str, list[tuple[str, str]]]

BUCKET = """resource "aws_s3_bucket" "reports" {
  bucket = "northwind-reports"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "reports" {
  bucket = aws_s3_bucket.reports.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.reports.arn
    }
  }
}

resource "aws_s3_bucket_logging" "reports" {
  bucket        = aws_s3_bucket.reports.id
  target_bucket = "northwind-access-logs"
  target_prefix = "reports/"
}

resource "aws_s3_bucket_public_access_block" "reports" {
  bucket                  = aws_s3_bucket.reports.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
"""

PAIRS: list[Pair] = [
    # -- AWS -------------------------------------------------------------------------------
    (
        "aws",
        "s3-versioning",
        BUCKET,
        [
            (
                BUCKET,
                BUCKET
                + """
resource "aws_s3_bucket_versioning" "reports" {
  bucket = aws_s3_bucket.reports.id
  versioning_configuration {
    status = "Enabled"
  }
}
""",
            )
        ],
    ),
    (
        "aws",
        "s3-public-acl",
        """resource "aws_s3_bucket" "site" {
  bucket = "northwind-site"
}

resource "aws_s3_bucket_acl" "site" {
  bucket = aws_s3_bucket.site.id
  acl    = "public-read-write"
}
""",
        [('"public-read-write"', '"private"')],
    ),
    (
        "aws",
        "s3-public-access-block",
        """resource "aws_s3_bucket_public_access_block" "exports" {
  bucket                  = aws_s3_bucket.exports.id
  block_public_acls       = true
  block_public_policy     = false
  ignore_public_acls      = true
  restrict_public_buckets = false
}
""",
        [("= false", "= true")],
    ),
    (
        "aws",
        "ec2-imdsv1",
        """resource "aws_instance" "worker" {
  ami           = "ami-0a1b2c3d4e5f60718"
  instance_type = "m6i.large"

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "optional"
  }

  root_block_device {
    encrypted = true
  }
}
""",
        [('"optional"', '"required"')],
    ),
    (
        "aws",
        "ebs-unencrypted",
        """resource "aws_ebs_volume" "scratch" {
  availability_zone = "eu-west-1a"
  size              = 200
  encrypted         = false
}
""",
        [("encrypted         = false", "encrypted         = true")],
    ),
    (
        "aws",
        "sg-ssh-world",
        """resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "Bastion access"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
""",
        [('["0.0.0.0/0"]', '["203.0.113.0/28"]')],
    ),
    (
        "aws",
        "sg-database-world",
        """resource "aws_security_group_rule" "postgres" {
  type              = "ingress"
  description       = "PostgreSQL"
  security_group_id = aws_security_group.db.id
  from_port         = 5432
  to_port           = 5432
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}
""",
        [('["0.0.0.0/0"]', '["10.40.0.0/16"]')],
    ),
    (
        "aws",
        "rds-public",
        """resource "aws_db_instance" "orders" {
  identifier                          = "orders"
  engine                              = "postgres"
  instance_class                      = "db.t4g.medium"
  allocated_storage                   = 50
  storage_encrypted                   = true
  publicly_accessible                 = true
  deletion_protection                 = true
  iam_database_authentication_enabled = true
  backup_retention_period             = 14
  username                            = "orders"
  manage_master_user_password         = true
}
""",
        [
            (
                "publicly_accessible                 = true",
                "publicly_accessible                 = false",
            )
        ],
    ),
    (
        "aws",
        "rds-unencrypted",
        """resource "aws_rds_cluster" "ledger" {
  cluster_identifier                  = "ledger"
  engine                              = "aurora-postgresql"
  master_username                     = "ledger"
  manage_master_user_password         = true
  storage_encrypted                   = false
  deletion_protection                 = true
  iam_database_authentication_enabled = true
  backup_retention_period             = 14
}
""",
        [
            (
                "storage_encrypted                   = false",
                "storage_encrypted                   = true",
            )
        ],
    ),
    (
        "aws",
        "cloudtrail-validation",
        """resource "aws_cloudtrail" "org" {
  name                          = "org-trail"
  s3_bucket_name                = "northwind-trail"
  is_multi_region_trail         = true
  kms_key_id                    = aws_kms_key.trail.arn
  enable_log_file_validation    = false
}
""",
        [("enable_log_file_validation    = false", "enable_log_file_validation    = true")],
    ),
    (
        "aws",
        "kms-rotation",
        """resource "aws_kms_key" "app" {
  description         = "application data"
  enable_key_rotation = false
}
""",
        [("enable_key_rotation = false", "enable_key_rotation = true")],
    ),
    (
        "aws",
        "iam-wildcard-policy",
        """resource "aws_iam_policy" "deploy" {
  name = "deploy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })
}
""",
        [
            ('Action   = "*"', 'Action   = ["ecs:UpdateService", "ecs:DescribeServices"]'),
            ('Resource = "*"', 'Resource = "arn:aws:ecs:eu-west-1:111122223333:service/web/*"'),
        ],
    ),
    (
        "aws",
        "iam-password-length",
        """resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length        = 8
  require_lowercase_characters   = true
  require_uppercase_characters   = true
  require_numbers                = true
  require_symbols                = true
  password_reuse_prevention      = 24
  max_password_age               = 90
}
""",
        [("= 8\n", "= 14\n")],
    ),
    (
        "aws",
        "elb-http-listener",
        """resource "aws_lb_listener" "web" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}
""",
        [
            ("port              = 80", "port              = 443"),
            (
                'protocol          = "HTTP"',
                'protocol          = "HTTPS"\n  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"\n  certificate_arn   = aws_acm_certificate.web.arn',
            ),
        ],
    ),
    (
        "aws",
        "eks-public-endpoint",
        """resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = aws_iam_role.eks.arn

  vpc_config {
    subnet_ids              = aws_subnet.private[*].id
    endpoint_public_access  = true
    public_access_cidrs     = ["0.0.0.0/0"]
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.eks.arn
    }
  }

  enabled_cluster_log_types = ["api", "audit", "authenticator"]
}
""",
        [
            ("endpoint_public_access  = true", "endpoint_public_access  = false"),
            ('public_access_cidrs     = ["0.0.0.0/0"]', "endpoint_private_access = true"),
        ],
    ),
    (
        "aws",
        "sqs-encryption-off",
        """resource "aws_sqs_queue" "events" {
  name                    = "events"
  sqs_managed_sse_enabled = false
}
""",
        [("= false", "= true")],
    ),
    (
        "aws",
        "dynamodb-pitr",
        """resource "aws_dynamodb_table" "carts" {
  name         = "carts"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = false
  }
}
""",
        [("    enabled = false", "    enabled = true")],
    ),
    (
        "aws",
        "elasticache-transit",
        """resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "sessions"
  description                = "session store"
  engine                     = "redis"
  node_type                  = "cache.t4g.small"
  num_cache_clusters         = 2
  at_rest_encryption_enabled = true
  transit_encryption_enabled = false
  snapshot_retention_limit   = 7
}
""",
        [("transit_encryption_enabled = false", "transit_encryption_enabled = true")],
    ),
    (
        "aws",
        "opensearch-https",
        """resource "aws_opensearch_domain" "search" {
  domain_name    = "search"
  engine_version = "OpenSearch_2.11"

  encrypt_at_rest {
    enabled = true
  }

  node_to_node_encryption {
    enabled = true
  }

  domain_endpoint_options {
    enforce_https       = false
    tls_security_policy = "Policy-Min-TLS-1-2-2019-07"
  }
}
""",
        [("enforce_https       = false", "enforce_https       = true")],
    ),
    (
        "aws",
        "cloudfront-http",
        """resource "aws_cloudfront_distribution" "cdn" {
  enabled = true

  origin {
    domain_name = aws_s3_bucket.site.bucket_regional_domain_name
    origin_id   = "site"
  }

  default_cache_behavior {
    target_origin_id       = "site"
    viewer_protocol_policy = "allow-all"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }

  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate.cdn.arn
    minimum_protocol_version = "TLSv1.2_2021"
    ssl_support_method       = "sni-only"
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
}
""",
        [('"allow-all"', '"redirect-to-https"')],
    ),
    (
        "aws",
        "lambda-url-no-auth",
        """resource "aws_lambda_function_url" "hook" {
  function_name      = aws_lambda_function.hook.function_name
  authorization_type = "NONE"
}
""",
        [('"NONE"', '"AWS_IAM"')],
    ),
    (
        "aws",
        "ecr-mutable",
        """resource "aws_ecr_repository" "api" {
  name                 = "api"
  image_tag_mutability = "MUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
}
""",
        [('"MUTABLE"', '"IMMUTABLE"')],
    ),
    (
        "aws",
        "subnet-public-ip",
        """resource "aws_subnet" "app" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.40.1.0/24"
  map_public_ip_on_launch = true
}
""",
        [("= true", "= false")],
    ),
    (
        "aws",
        "redshift-public",
        """resource "aws_redshift_cluster" "dw" {
  cluster_identifier        = "dw"
  node_type                 = "ra3.xlplus"
  master_username           = "dw"
  manage_master_password    = true
  encrypted                 = true
  kms_key_id                = aws_kms_key.dw.arn
  publicly_accessible       = true
  cluster_subnet_group_name = aws_redshift_subnet_group.dw.name
}
""",
        [("publicly_accessible       = true", "publicly_accessible       = false")],
    ),
    (
        "aws",
        "msk-plaintext",
        """resource "aws_msk_cluster" "events" {
  cluster_name           = "events"
  kafka_version          = "3.6.0"
  number_of_broker_nodes = 3

  broker_node_group_info {
    instance_type   = "kafka.m7g.large"
    client_subnets  = aws_subnet.private[*].id
    security_groups = [aws_security_group.msk.id]
  }

  encryption_info {
    encryption_in_transit {
      client_broker = "PLAINTEXT"
      in_cluster    = true
    }
  }
}
""",
        [('"PLAINTEXT"', '"TLS"')],
    ),
    # -- Azure -----------------------------------------------------------------------------
    (
        "azure",
        "storage-http",
        """resource "azurerm_storage_account" "data" {
  name                       = "northwinddata"
  resource_group_name        = azurerm_resource_group.data.name
  location                   = azurerm_resource_group.data.location
  account_tier               = "Standard"
  account_replication_type   = "GRS"
  https_traffic_only_enabled = false
  min_tls_version            = "TLS1_2"
}
""",
        [("https_traffic_only_enabled = false", "https_traffic_only_enabled = true")],
    ),
    (
        "azure",
        "storage-tls",
        """resource "azurerm_storage_account" "logs" {
  name                     = "northwindlogs"
  resource_group_name      = azurerm_resource_group.data.name
  location                 = azurerm_resource_group.data.location
  account_tier             = "Standard"
  account_replication_type = "LRS"
  min_tls_version          = "TLS1_0"
}
""",
        [('"TLS1_0"', '"TLS1_2"')],
    ),
    (
        "azure",
        "nsg-rdp-world",
        """resource "azurerm_network_security_rule" "rdp" {
  name                        = "rdp"
  resource_group_name         = azurerm_resource_group.net.name
  network_security_group_name = azurerm_network_security_group.app.name
  priority                    = 110
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "3389"
  source_address_prefix       = "Internet"
  destination_address_prefix  = "*"
}
""",
        [('"Internet"', '"10.50.0.0/16"')],
    ),
    (
        "azure",
        "sql-firewall-world",
        """resource "azurerm_mssql_firewall_rule" "all" {
  name             = "all"
  server_id        = azurerm_mssql_server.main.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}
""",
        [('"0.0.0.0"', '"203.0.113.10"'), ('"255.255.255.255"', '"203.0.113.10"')],
    ),
    (
        "azure",
        "keyvault-purge",
        """resource "azurerm_key_vault" "app" {
  name                       = "northwind-app"
  location                   = azurerm_resource_group.app.location
  resource_group_name        = azurerm_resource_group.app.name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  soft_delete_retention_days = 90
  purge_protection_enabled   = false

  network_acls {
    default_action = "Deny"
    bypass         = "AzureServices"
  }
}
""",
        [("purge_protection_enabled   = false", "purge_protection_enabled   = true")],
    ),
    (
        "azure",
        "appservice-https",
        """resource "azurerm_linux_web_app" "shop" {
  name                = "northwind-shop"
  resource_group_name = azurerm_resource_group.web.name
  location            = azurerm_resource_group.web.location
  service_plan_id     = azurerm_service_plan.web.id
  https_only          = false

  site_config {
    minimum_tls_version = "1.2"
    ftps_state          = "Disabled"
  }
}
""",
        [("https_only          = false", "https_only          = true")],
    ),
    (
        "azure",
        "appservice-tls",
        """resource "azurerm_windows_web_app" "admin" {
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
""",
        [('"1.0"', '"1.2"')],
    ),
    (
        "azure",
        "aks-rbac-legacy",
        """resource "azurerm_kubernetes_cluster" "legacy" {
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
    enabled = false
  }
}
""",
        [("    enabled = false", "    enabled = true")],
    ),
    (
        "azure",
        "acr-admin",
        """resource "azurerm_container_registry" "images" {
  name                = "northwindimages"
  resource_group_name = azurerm_resource_group.ci.name
  location            = azurerm_resource_group.ci.location
  sku                 = "Premium"
  admin_enabled       = true
}
""",
        [("admin_enabled       = true", "admin_enabled       = false")],
    ),
    (
        "azure",
        "postgres-ssl",
        """resource "azurerm_postgresql_server" "legacy" {
  name                         = "northwind-pg"
  location                     = azurerm_resource_group.db.location
  resource_group_name          = azurerm_resource_group.db.name
  sku_name                     = "GP_Gen5_2"
  version                      = "11"
  administrator_login          = "pgadmin"
  administrator_login_password = var.pg_password
  ssl_enforcement_enabled      = false
  public_network_access_enabled = false
}
""",
        [
            (
                "ssl_enforcement_enabled      = false",
                'ssl_enforcement_enabled      = true\n  ssl_minimal_tls_version_enforced = "TLS1_2"',
            )
        ],
    ),
    (
        "azure",
        "custom-role-owner",
        """resource "azurerm_role_definition" "ops" {
  name  = "ops"
  scope = data.azurerm_subscription.current.id

  permissions {
    actions = ["*"]
  }

  assignable_scopes = [data.azurerm_subscription.current.id]
}
""",
        [
            (
                'actions = ["*"]',
                'actions = ["Microsoft.Compute/virtualMachines/restart/action", "Microsoft.Compute/virtualMachines/read"]',
            )
        ],
    ),
    (
        "azure",
        "nic-ip-forwarding",
        """resource "azurerm_network_interface" "router" {
  name                  = "router-nic"
  location              = azurerm_resource_group.net.location
  resource_group_name   = azurerm_resource_group.net.name
  ip_forwarding_enabled = true

  ip_configuration {
    name                          = "primary"
    subnet_id                     = azurerm_subnet.app.id
    private_ip_address_allocation = "Dynamic"
  }
}
""",
        [("ip_forwarding_enabled = true", "ip_forwarding_enabled = false")],
    ),
    (
        "azure",
        "linux-vm-password",
        """resource "azurerm_linux_virtual_machine" "jump" {
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
""",
        [
            ("disable_password_authentication = false", "disable_password_authentication = true"),
            (
                "  admin_password                  = var.jump_password\n",
                '  admin_ssh_key {\n    username   = "ops"\n    public_key = file("ops.pub")\n  }\n',
            ),
        ],
    ),
    # -- Google ----------------------------------------------------------------------------
    (
        "google",
        "gcs-public",
        """resource "google_storage_bucket_iam_member" "public" {
  bucket = google_storage_bucket.assets.name
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}
""",
        [('"allUsers"', '"group:web-readers@northwind.example"')],
    ),
    (
        "google",
        "gcs-uniform-access",
        """resource "google_storage_bucket" "exports" {
  name                        = "northwind-exports"
  location                    = "EU"
  uniform_bucket_level_access = false
  public_access_prevention    = "enforced"
}
""",
        [("uniform_bucket_level_access = false", "uniform_bucket_level_access = true")],
    ),
    (
        "google",
        "firewall-ssh-world",
        """resource "google_compute_firewall" "ssh" {
  name          = "allow-ssh"
  network       = google_compute_network.main.name
  source_ranges = ["0.0.0.0/0"]

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}
""",
        [('["0.0.0.0/0"]', '["35.235.240.0/20"]')],
    ),
    (
        "google",
        "sql-public",
        """resource "google_sql_database_instance" "orders" {
  name             = "orders"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"

    ip_configuration {
      ipv4_enabled = true
      ssl_mode     = "ENCRYPTED_ONLY"

      authorized_networks {
        name  = "anyone"
        value = "0.0.0.0/0"
      }
    }

    backup_configuration {
      enabled = true
    }
  }
}
""",
        [
            (
                '        name  = "anyone"\n        value = "0.0.0.0/0"',
                '        name  = "office"\n        value = "203.0.113.0/28"',
            )
        ],
    ),
    (
        "google",
        "iam-primitive-role",
        """resource "google_project_iam_member" "ci" {
  project = "northwind-prod"
  role    = "roles/editor"
  member  = "serviceAccount:ci@northwind-prod.iam.gserviceaccount.com"
}
""",
        [('"roles/editor"', '"roles/run.developer"')],
    ),
    (
        "google",
        "compute-serial-port",
        """resource "google_compute_instance" "api" {
  name         = "api"
  machine_type = "e2-standard-2"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    subnetwork = google_compute_subnetwork.app.id
  }

  metadata = {
    serial-port-enable     = "true"
    block-project-ssh-keys = "true"
  }

  shielded_instance_config {
    enable_secure_boot = true
  }
}
""",
        [('serial-port-enable     = "true"', 'serial-port-enable     = "false"')],
    ),
    (
        "google",
        "gke-legacy-abac",
        """resource "google_container_cluster" "main" {
  name               = "main"
  location           = "europe-west1"
  initial_node_count = 1
  enable_legacy_abac = true

  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = true
    master_ipv4_cidr_block  = "172.16.0.0/28"
  }

  network_policy {
    enabled = true
  }

  workload_identity_config {
    workload_pool = "acme-prod.svc.id.goog"
  }
}
""",
        [("enable_legacy_abac = true", "enable_legacy_abac = false")],
    ),
    (
        "google",
        "sql-ssl",
        """resource "google_sql_database_instance" "billing" {
  name             = "billing"
  database_version = "MYSQL_8_0"
  region           = "europe-west1"

  settings {
    tier = "db-n1-standard-2"

    ip_configuration {
      ipv4_enabled    = false
      private_network = google_compute_network.main.id
      ssl_mode        = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"
    }

    backup_configuration {
      enabled            = true
      binary_log_enabled = true
    }
  }
}
""",
        [('"ALLOW_UNENCRYPTED_AND_ENCRYPTED"', '"TRUSTED_CLIENT_CERTIFICATE_REQUIRED"')],
    ),
    (
        "google",
        "dns-rsasha1",
        """resource "google_dns_managed_zone" "public" {
  name     = "northwind"
  dns_name = "northwind.example."

  dnssec_config {
    state = "on"

    default_key_specs {
      algorithm  = "rsasha1"
      key_length = 2048
      key_type   = "keySigning"
    }
  }
}
""",
        [('"rsasha1"', '"rsasha256"')],
    ),
    (
        "google",
        "kms-rotation",
        """resource "google_kms_crypto_key" "data" {
  name            = "data"
  key_ring        = google_kms_key_ring.main.id
  rotation_period = "31536000s"
}
""",
        [('"31536000s"', '"7776000s"')],
    ),
    (
        "google",
        "personal-account",
        """resource "google_project_iam_member" "consultant" {
  project = "northwind-prod"
  role    = "roles/logging.viewer"
  member  = "user:sam.consultant@gmail.com"
}
""",
        [('"user:sam.consultant@gmail.com"', '"group:log-readers@northwind.example"')],
    ),
    (
        "google",
        "sa-impersonation",
        """resource "google_project_iam_member" "impersonate" {
  project = "northwind-prod"
  role    = "roles/iam.serviceAccountTokenCreator"
  member  = "group:developers@northwind.example"
}
""",
        [
            ('"roles/iam.serviceAccountTokenCreator"', '"roles/iam.serviceAccountUser"'),
            (
                'resource "google_project_iam_member" "impersonate" {\n  project = "northwind-prod"',
                'resource "google_service_account_iam_member" "impersonate" {\n  service_account_id = google_service_account.deployer.name',
            ),
        ],
    ),
]

POD = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: checkout
  template:
    metadata:
      labels:
        app: checkout
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: checkout
          image: registry.northwind.example/checkout:2.3.1@sha256:4b825dc642cb6eb9a060e54bf8d69288fbee4904
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
          livenessProbe:
            httpGet: {path: /healthz, port: 8080}
          readinessProbe:
            httpGet: {path: /ready, port: 8080}
          resources:
            limits:
              cpu: 500m
              memory: 256Mi
            requests:
              cpu: 100m
              memory: 128Mi
"""
SC = "            allowPrivilegeEscalation: false\n"
SPEC = "      automountServiceAccountToken: false\n"

PAIRS += [
    ("k8s", "privileged", POD, []),
    (
        "k8s",
        "privilege-escalation",
        POD.replace(SC, "            allowPrivilegeEscalation: true\n"),
        [],
    ),
    ("k8s", "host-network", POD.replace(SPEC, SPEC + "      hostNetwork: true\n"), []),
    ("k8s", "host-pid", POD.replace(SPEC, SPEC + "      hostPID: true\n"), []),
    (
        "k8s",
        "run-as-root",
        POD.replace("        runAsUser: 10001\n", "        runAsUser: 0\n").replace(
            "        runAsNonRoot: true\n", ""
        ),
        [],
    ),
    (
        "k8s",
        "docker-socket",
        POD.replace(
            SPEC,
            SPEC + "      volumes:\n        - name: docker\n"
            "          hostPath:\n            path: /var/run/docker.sock\n",
        ),
        [],
    ),
    (
        "k8s",
        "sys-admin",
        POD.replace(
            '              drop: ["ALL"]\n',
            '              drop: ["ALL"]\n              add: ["SYS_ADMIN"]\n',
        ),
        [],
    ),
    (
        "k8s",
        "image-latest",
        POD.replace(
            "checkout:2.3.1@sha256:4b825dc642cb6eb9a060e54bf8d69288fbee4904", "checkout:latest"
        ),
        [],
    ),
    (
        "k8s",
        "seccomp-unconfined",
        POD.replace("          type: RuntimeDefault\n", "          type: Unconfined\n"),
        [],
    ),
    ("k8s", "memory-limit", POD.replace("              memory: 256Mi\n", ""), []),
]
# the privileged pair: bad adds privileged: true
PAIRS[-10] = ("k8s", "privileged", POD.replace(SC, SC + "            privileged: true\n"), [])

K8S_OTHER: list[Pair] = [
    (
        "k8s",
        "cluster-admin-binding",
        """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ci-deployer
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: ServiceAccount
    name: ci-deployer
    namespace: ci
""",
        [("  name: cluster-admin", "  name: ci-deployer")],
    ),
    (
        "k8s",
        "rbac-wildcard",
        """apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: operator
  namespace: shop
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
""",
        [
            ('apiGroups: ["*"]', 'apiGroups: ["apps"]'),
            ('resources: ["*"]', 'resources: ["deployments"]'),
            ('verbs: ["*"]', 'verbs: ["get", "list", "watch", "patch"]'),
        ],
    ),
    (
        "k8s",
        "secrets-reader",
        """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reporter
rules:
  - apiGroups: [""]
    resources: ["secrets", "configmaps"]
    verbs: ["get", "list"]
""",
        [('["secrets", "configmaps"]', '["configmaps"]')],
    ),
    (
        "k8s",
        "nginx-snippet",
        """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/configuration-snippet: |
      more_set_headers "X-Frame-Options: DENY";
spec:
  ingressClassName: nginx
  tls:
    - hosts: [shop.northwind.example]
      secretName: shop-tls
  rules:
    - host: shop.northwind.example
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: shop
                port:
                  number: 80
""",
        [
            (
                """    nginx.ingress.kubernetes.io/configuration-snippet: |
      more_set_headers "X-Frame-Options: DENY";
""",
                '    nginx.ingress.kubernetes.io/ssl-redirect: "true"\n',
            )
        ],
    ),
    (
        "k8s",
        "nginx-auth-url",
        """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: admin
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/auth-url: "https://auth.northwind.example/check|id"
spec:
  ingressClassName: nginx
  rules:
    - host: admin.northwind.example
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: admin
                port:
                  number: 80
""",
        [("check|id", "check")],
    ),
    (
        "k8s",
        "networkpolicy-selector",
        """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db-ingress
  namespace: shop
spec:
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: checkout
""",
        [("spec:\n", "spec:\n  podSelector:\n    matchLabels:\n      app: postgres\n")],
    ),
    (
        "k8s",
        "configmap-secret",
        """apiVersion: v1
kind: ConfigMap
metadata:
  name: worker
  namespace: shop
data:
  QUEUE_URL: amqp://rabbitmq.shop.svc:5672
  settings: SMTP_PASSWORD="""
        + "Hq7pLz"
        + "2vRw9k"
        + """
""",
        [
            (
                "  settings: SMTP_PASSWORD=" + "Hq7pLz" + "2vRw9k\n",
                "  settings: SMTP_PASSWORD_FILE=/run/secrets/smtp\n",
            )
        ],
    ),
]
PAIRS += K8S_OTHER

DOCKER = """FROM python:3.12.4-slim@sha256:2fba8e70a87bcc9f6edd20dda0a1d4adb32046d2
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER 10001
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"
CMD ["gunicorn", "app:app", "-b", "0.0.0.0:8000"]
"""
PAIRS += [
    ("docker", "root-user", DOCKER, [("USER 10001\n", "USER 10001\n")]),
    (
        "docker",
        "latest-tag",
        DOCKER.replace(
            "python:3.12.4-slim@sha256:2fba8e70a87bcc9f6edd20dda0a1d4adb32046d2", "python:latest"
        ),
        [],
    ),
    ("docker", "ssh-port", DOCKER.replace("USER 10001\n", "EXPOSE 22\nUSER 10001\n"), []),
    (
        "docker",
        "curl-pipe-shell",
        DOCKER.replace(
            "WORKDIR /app\n",
            "WORKDIR /app\nRUN curl -fsSL https://get.northwind.example/install.sh | sh\n",
        ),
        [],
    ),
    (
        "docker",
        "add-remote-url",
        DOCKER.replace(
            "WORKDIR /app\n",
            "WORKDIR /app\nADD https://downloads.northwind.example/agent.tar.gz /opt/\n",
        ),
        [],
    ),
    (
        "docker",
        "sudo",
        DOCKER.replace("COPY . .\n", "COPY . .\nRUN sudo chown -R 10001 /app\n"),
        [],
    ),
    (
        "docker",
        "secret-in-env",
        DOCKER.replace(
            "WORKDIR /app\n",
            "WORKDIR /app\nENV STRIPE_API_KEY=sk_live_" + "51HqLyZ2eZvKYlo2C8f3xQ0a\n",
        ),
        [],
    ),
    (
        "docker",
        "tls-off",
        DOCKER.replace(
            "RUN pip install --no-cache-dir",
            "RUN pip install --trusted-host pypi.org --no-cache-dir",
        ),
        [],
    ),
]

# the docker pairs above are "bad" texts; their good twin is DOCKER itself
GOOD_OVERRIDE = {("docker", c): DOCKER for f, c, _, _ in PAIRS if f == "docker"}
GOOD_OVERRIDE.update({("k8s", c): POD for f, c, _, fix in PAIRS if f == "k8s" and not fix})
# root-user: the bad twin has no USER line
BAD_OVERRIDE = {("docker", "root-user"): DOCKER.replace("USER 10001\n", "")}

NAMES = {
    "aws": "main.tf",
    "azure": "main.tf",
    "google": "main.tf",
    "k8s": "manifest.yaml",
    "docker": "Dockerfile",
}


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    for family, check, bad, fix in PAIRS:
        bad = BAD_OVERRIDE.get((family, check), bad)
        good = GOOD_OVERRIDE.get((family, check))
        if good is None:
            good = bad
            for old, new in fix:
                assert old in good, (family, check, old)
                good = good.replace(old, new)
        assert good != bad, (family, check)
        for kind, text in (("bad", bad), ("good", good)):
            d = OUT / family / check / kind
            d.mkdir(parents=True, exist_ok=True)
            (d / NAMES[family]).write_text(text)
            if family == "docker":
                (d / ".dockerignore").write_text(".git\n.env\n*.pem\n")
    print(f"{len(PAIRS)} pairs in {OUT}")


if __name__ == "__main__":
    main()
