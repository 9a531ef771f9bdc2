# ruff: noqa: E501  (corpus templates hold real-length image digests and one-line flaws)
"""Write the IaC benchmark corpus (bench/corpus/iac/) and its labels.

Each family has hardened base files (realistic, reviewed: no issue any of our rules
should report) and vulnerable variants made by applying known flaws to them. A flaw names
the rule it violates and the text of the offending line, so labels (file, rule, line) come
from how the file was built, not from what pipesec reports. Run it again after editing:

    .venv/bin/python bench/make_iac_corpus.py
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

OUT = Path(__file__).parent / "corpus" / "iac"

#: fake credentials planted in the corpus, built from parts here so that this script
#: holds none of them whole (fake credentials live only in the corpus itself)
FAKES = {
    "@@DJANGO_KEY@@": "".join(["9f3kd02", "mZq81xL", "w0Tpe7"]),
    "@@GIT_TOKEN@@": "".join(["Xk82", "jdLq", "0pZm"]),
    "@@STRIPE_KEY@@": "".join(["rk_", "live_", "51Hx9Qk2", "eZvKYlo2C8m"]),
    "@@DB_PASSWORD@@": "".join(["Pg-", "Prod-", "2024-x9Lq"]),
    "@@AWS_KEY_ID@@": "".join(["AK", "IAQ3EGRZ", "7KXNPLW4TB"]),
    "@@AWS_SECRET@@": "".join(["pW9r2mXq7Z", "tLk3vB8nYc", "4dHf6gJs1a", "Qe5uRi0oTy"]),
    "@@PG_PASSWORD@@": "".join(["Pr0d-", "Db-Pa", "ssw0rd-71"]),
}


def unfake(text: str) -> str:
    for key, value in FAKES.items():
        text = text.replace(key, value)
    return text


@dataclass(frozen=True)
class Flaw:
    name: str
    rule: str  # rule id, or "" when the flaw is a context for other flaws
    old: str  # text replaced in the base (must occur exactly once)
    new: str
    anchor: str  # text of the offending line in the result ("@block:<text>" = block line)
    extra: tuple[tuple[str, str], ...] = ()  # further replacements the flaw needs
    more: tuple[str, ...] = ()  # further offending lines of the same rule


def apply(base: str, flaws: list[Flaw]) -> tuple[str, list[tuple[str, str]]]:
    text = base
    for f in flaws:
        assert text.count(f.old) == 1, (f.name, f.old)
        text = text.replace(f.old, f.new)
        for old, new in f.extra:
            assert text.count(old) == 1, (f.name, old)
            text = text.replace(old, new)
    labels = [(f.rule, f.anchor) for f in flaws if f.rule]
    return text, labels


def line_of(text: str, anchor: str) -> int:
    lines = text.splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if anchor in line]
    assert len(hits) == 1, (anchor, hits)
    return hits[0]


# ---------------------------------------------------------------------------- Dockerfiles

PY = """\
# syntax=docker/dockerfile:1.7
FROM python:3.12-slim@sha256:2b0079146a74e23bf4ae8f6a28e1b484c6292f6fb904cbb51825b4a19812fcd8 AS build
WORKDIR /src
RUN apt-get update \\
    && apt-get install -y --no-install-recommends gcc libpq-dev \\
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir --prefix=/install -r requirements.txt
COPY src/ ./src/

FROM python:3.12-slim@sha256:2b0079146a74e23bf4ae8f6a28e1b484c6292f6fb904cbb51825b4a19812fcd8
ENV PYTHONDONTWRITEBYTECODE=1 \\
    PYTHONUNBUFFERED=1
RUN apt-get update \\
    && apt-get install -y --no-install-recommends libpq5 \\
    && rm -rf /var/lib/apt/lists/* \\
    && useradd --create-home --uid 10001 app
COPY --from=build /install /usr/local
COPY --from=build --chown=app:app /src/src /app/src
USER root
RUN curl -fsSL https://pki.example.com/root-ca.pem | tee /usr/local/share/ca-certificates/acme.crt \
    && update-ca-certificates
WORKDIR /app
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s CMD python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/health')"
CMD ["python", "-m", "src.server"]
"""

NODE = """\
FROM node:22.11-alpine@sha256:b64ced2e7cd0a4816699fe308ce6e8a08ccba463c757c00c14cd372e3d2c763e AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM node:22.11-alpine@sha256:b64ced2e7cd0a4816699fe308ce6e8a08ccba463c757c00c14cd372e3d2c763e
RUN apk add --no-cache tini
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --chown=node:node server.js package.json ./
USER node
EXPOSE 3000
HEALTHCHECK CMD wget -qO- http://127.0.0.1:3000/healthz || exit 1
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "server.js"]
"""

GO = """\
ARG GO_VERSION=1.23
FROM golang:${GO_VERSION}-bookworm@sha256:a7f2fc0ae16e7fce33d1ee6b6e6b5cd1e9bbc0a8d4f12b3e0ac8d7e6c1b9d2f1 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12@sha256:8dd8d3ca2cf283383304fd45a5c9c74d5f2cd9da8d3b077d720e264880077c65
COPY --from=build /out/api /api
USER 65532:65532
EXPOSE 8080
HEALTHCHECK NONE
ENTRYPOINT ["/api"]
"""

DOCKER_FLAWS = {
    "py": [
        Flaw(
            "latest",
            "docker/image-latest",
            "FROM python:3.12-slim@sha256:2b0079146a74e23bf4ae8f6a28e1b484c6292f6fb904cbb51825b4a19812fcd8\n",
            "FROM python:latest\n",
            "FROM python:latest",
        ),
        Flaw(
            "no-user",
            "docker/root-user",
            "USER app\n",
            "",
            "@last:FROM python:",
            extra=(("USER root\n", ""),),
        ),
        Flaw(
            "curl-sh",
            "docker/curl-pipe-shell",
            "    && useradd",
            "    && curl -sSL https://install.python-poetry.org | python3 - \\\n"
            "    && curl -fsSL https://deb.nodesource.com/setup_20.x | bash - \\\n"
            "    && useradd",
            "setup_20.x | bash",
        ),
        Flaw(
            "secret-env",
            "docker/secret-in-env",
            "    PYTHONUNBUFFERED=1\n",
            "    PYTHONUNBUFFERED=1 \\\n    DJANGO_SECRET_KEY=@@DJANGO_KEY@@\n",
            "DJANGO_SECRET_KEY=",
        ),
        Flaw(
            "no-cache",
            "docker/pip-cache",
            "RUN pip install --no-cache-dir --prefix=/install",
            "RUN pip install --prefix=/install",
            "RUN pip install --prefix",
        ),
        Flaw(
            "apt-lists",
            "docker/apt-lists-not-removed",
            "    && apt-get install -y --no-install-recommends libpq5 \\\n"
            "    && rm -rf /var/lib/apt/lists/* \\\n",
            "    && apt-get install -y --no-install-recommends libpq5 \\\n",
            "libpq5",
        ),
        Flaw(
            "build-tools",
            "docker/build-tools-in-final-stage",
            "--no-install-recommends libpq5",
            "--no-install-recommends libpq5 build-essential",
            "libpq5 build-essential",
        ),
        Flaw(
            "ssh", "docker/ssh-port-exposed", "EXPOSE 8000\n", "EXPOSE 8000 22\n", "EXPOSE 8000 22"
        ),
        Flaw(
            "chmod",
            "docker/chmod-777",
            "WORKDIR /app\n",
            "WORKDIR /app\nRUN chmod -R 777 /app\n",
            "chmod -R 777",
        ),
    ],
    "node": [
        Flaw("user-root", "docker/root-user", "USER node\n", "USER root\n", "USER root"),
        Flaw(
            "add-url",
            "docker/add-url",
            "RUN apk add --no-cache tini\n",
            "ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /sbin/tini\n",
            "ADD https://github.com",
        ),
        Flaw(
            "apk-cache",
            "docker/apk-cache",
            "RUN apk add --no-cache tini\n",
            "RUN apk update && apk add tini\n",
            "apk add tini",
        ),
        Flaw(
            "tls-off",
            "docker/tls-verification-disabled",
            "RUN npm ci --omit=dev\n",
            "RUN npm config set strict-ssl false && npm ci --omit=dev\n",
            "strict-ssl false",
        ),
        Flaw(
            "key-copy",
            "docker/copied-key-file",
            "COPY package.json package-lock.json ./\n",
            "COPY package.json package-lock.json .npmrc ./\n",
            ".npmrc ./",
        ),
        Flaw(
            "untagged",
            "docker/image-untagged",
            "FROM node:22.11-alpine@sha256:b64ced2e7cd0a4816699fe308ce6e8a08ccba463c757c00c14cd372e3d2c763e AS deps\n",
            "FROM node AS deps\n",
            "FROM node AS deps",
        ),
        Flaw(
            "sudo",
            "docker/sudo",
            "USER node\n",
            "USER node\nRUN sudo mkdir -p /data\n",
            "sudo mkdir",
        ),
        Flaw(
            "no-digest",
            "docker/image-no-digest",
            "FROM node:22.11-alpine@sha256:b64ced2e7cd0a4816699fe308ce6e8a08ccba463c757c00c14cd372e3d2c763e\n"
            "RUN",
            "FROM node:22.11-alpine\nRUN",
            "@last:FROM node:22.11-alpine",
        ),
    ],
    "go": [
        Flaw(
            "wget-insecure",
            "docker/tls-verification-disabled",
            "RUN go mod download\n",
            "RUN wget --no-check-certificate -O /tmp/ca.crt https://pki.internal.example/ca.crt \\\n"
            "    && go mod download\n",
            "--no-check-certificate",
        ),
        Flaw(
            "plain-http",
            "docker/plain-http-download",
            "RUN go mod download\n",
            "RUN curl -fsSLo /tmp/golangci.tgz http://mirror.example.com/golangci-lint.tgz \\\n"
            "    && go mod download\n",
            "http://mirror.example.com",
        ),
        Flaw(
            "run-secret",
            "docker/secret-in-run",
            "COPY go.mod go.sum ./\n",
            "COPY go.mod go.sum ./\n"
            'RUN git config --global url."https://ci:@@GIT_TOKEN@@@git.example.com/".insteadOf "https://git.example.com/"\n',
            "insteadOf",
        ),
        Flaw("root-uid", "docker/root-user", "USER 65532:65532\n", "USER 0\n", "USER 0"),
        Flaw(
            "nogpg",
            "docker/package-signature-check-disabled",
            "RUN go mod download\n",
            "RUN apt-get update && apt-get install -y --no-install-recommends --allow-unauthenticated protobuf-compiler \\\n"
            "    && rm -rf /var/lib/apt/lists/* && go mod download\n",
            "--allow-unauthenticated",
        ),
        Flaw(
            "ssh22", "docker/ssh-port-exposed", "EXPOSE 8080\n", "EXPOSE 22/tcp\n", "EXPOSE 22/tcp"
        ),
        Flaw(
            "no-dockerignore",
            "docker/copy-all-without-dockerignore",
            "RUN go mod download\nCOPY . .\n",
            "RUN go mod download\nCOPY . .\n",
            "COPY . .",
        ),
    ],
}
DOCKER_BASES = {"py": PY, "node": NODE, "go": GO}

# ---------------------------------------------------------------------------- Kubernetes

DEPLOY = """\
apiVersion: apps/v1
kind: {kind}
metadata:
  name: {name}
  namespace: shop
  labels:
    app.kubernetes.io/name: {name}
spec:
{spec_extra}  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {name}
    spec:
      serviceAccountName: {name}
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        fsGroup: 10001
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: {name}
          image: registry.example.com/shop/{name}:2.4.1@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
          ports:
            - containerPort: 8080
          env:
            - name: LOG_LEVEL
              value: info
            - name: TOKEN_TTL
              value: "3600"
            - name: API_KEY_HEADER
              value: X-Api-Key
            - name: DATABASE_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: {name}-db
                  key: password
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              cpu: 500m
              memory: 256Mi
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir: {{}}
"""

CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly-report
  namespace: reports
spec:
  schedule: "30 2 * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      backoffLimit: 2
      template:
        spec:
          restartPolicy: OnFailure
          automountServiceAccountToken: false
          securityContext:
            runAsNonRoot: true
            seccompProfile:
              type: RuntimeDefault
          containers:
            - name: report
              image: registry.example.com/reports/nightly:1.9.0@sha256:3b5d5c3712955042212316173ccf37be8006e1f5d5b2b1a7b1b9a1b4c3d2e1f0
              args: ["--since", "24h"]
              securityContext:
                allowPrivilegeEscalation: false
                readOnlyRootFilesystem: true
                capabilities:
                  drop: ["ALL"]
              resources:
                limits:
                  cpu: "1"
                  memory: 512Mi
"""

RBAC = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {name}-reader
rules:
  - apiGroups: [""]
    resources: ["pods", "services", "endpoints"]
    verbs: ["get", "list", "watch"]
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["get", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {name}-reader
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {name}-reader
subjects:
  - kind: ServiceAccount
    name: {name}
    namespace: monitoring
"""

K8S_FLAWS = [
    Flaw(
        "privileged",
        "k8s/privileged-container",
        "            allowPrivilegeEscalation: false\n",
        "            privileged: true\n            allowPrivilegeEscalation: false\n",
        "privileged: true",
    ),
    Flaw(
        "escalation",
        "k8s/privilege-escalation",
        "allowPrivilegeEscalation: false",
        "allowPrivilegeEscalation: true",
        "allowPrivilegeEscalation: true",
    ),
    Flaw(
        "uid0",
        "k8s/run-as-root",
        "        runAsUser: 10001\n",
        "        runAsUser: 0\n",
        "runAsUser: 0",
    ),
    Flaw(
        "hostnet",
        "k8s/host-network",
        "      automountServiceAccountToken: false\n",
        "      automountServiceAccountToken: false\n      hostNetwork: true\n",
        "hostNetwork: true",
    ),
    Flaw(
        "hostpid",
        "k8s/host-pid",
        "      automountServiceAccountToken: false\n",
        "      automountServiceAccountToken: false\n      hostPID: true\n",
        "hostPID: true",
    ),
    Flaw(
        "hostipc",
        "k8s/host-ipc",
        "      automountServiceAccountToken: false\n",
        "      automountServiceAccountToken: false\n      hostIPC: true\n",
        "hostIPC: true",
    ),
    Flaw(
        "hostpath",
        "k8s/host-path-volume",
        "          emptyDir: {}\n",
        "          hostPath:\n            path: /var/log\n",
        "hostPath:",
    ),
    Flaw(
        "latest",
        "k8s/image-latest",
        ":2.4.1@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        ":latest",
        ":latest",
    ),
    Flaw(
        "nodigest",
        "k8s/image-no-digest",
        ":2.4.1@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        ":2.4.1",
        ":2.4.1",
    ),
    Flaw(
        "sysadmin",
        "k8s/dangerous-capabilities",
        '              drop: ["ALL"]\n',
        '              drop: ["ALL"]\n              add: ["NET_BIND_SERVICE", "SYS_ADMIN"]\n',
        "SYS_ADMIN",
    ),
    Flaw(
        "secret-env",
        "k8s/secret-in-env",
        "            - name: LOG_LEVEL\n              value: info\n",
        "            - name: LOG_LEVEL\n              value: info\n"
        "            - name: STRIPE_API_KEY\n              value: @@STRIPE_KEY@@\n",
        "value: @@STRIPE_KEY@@",
    ),
    Flaw(
        "rw-root",
        "k8s/writable-root-filesystem",
        "readOnlyRootFilesystem: true",
        "readOnlyRootFilesystem: false",
        "readOnlyRootFilesystem: false",
    ),
    Flaw(
        "no-mem",
        "k8s/missing-memory-limit",
        "              cpu: 500m\n              memory: 256Mi\n",
        "              cpu: 500m\n",
        "@block:          limits:\n",
    ),
    Flaw(
        "seccomp",
        "k8s/seccomp-unconfined",
        "          type: RuntimeDefault",
        "          type: Unconfined",
        "type: Unconfined",
    ),
    Flaw(
        "hostport",
        "k8s/host-port",
        "            - containerPort: 8080\n",
        "            - containerPort: 8080\n              hostPort: 8080\n",
        "hostPort: 8080",
    ),
    Flaw(
        "automount",
        "k8s/service-account-token-automount",
        "automountServiceAccountToken: false",
        "automountServiceAccountToken: true",
        "automountServiceAccountToken: true",
    ),
    Flaw(
        "default-ns",
        "k8s/default-namespace",
        "  namespace: shop\n",
        "  namespace: default\n",
        "namespace: default",
    ),
    Flaw(
        "sock",
        "k8s/container-runtime-socket",
        "          emptyDir: {}\n",
        "          hostPath:\n            path: /var/run/docker.sock\n",
        "path: /var/run/docker.sock",
    ),
]
RBAC_FLAWS = [
    Flaw(
        "wild-verbs",
        "k8s/rbac-wildcard-verbs",
        '    resources: ["deployments"]\n    verbs: ["get", "list"]',
        '    resources: ["deployments"]\n    verbs: ["*"]',
        'verbs: ["*"]',
    ),
    Flaw(
        "wild-res",
        "k8s/rbac-wildcard-resources",
        '    resources: ["pods", "services", "endpoints"]',
        '    resources: ["*"]',
        'resources: ["*"]',
    ),
    Flaw(
        "secrets",
        "k8s/rbac-secrets-read",
        '["pods", "services", "endpoints"]',
        '["pods", "services", "endpoints", "secrets"]',
        '"endpoints", "secrets"',
    ),
    Flaw(
        "cluster-admin",
        "k8s/cluster-admin-binding",
        "  kind: ClusterRole\n  name: {name}-reader\nsubjects",
        "  kind: ClusterRole\n  name: cluster-admin\nsubjects",
        "name: cluster-admin",
    ),
    Flaw(
        "exec",
        "k8s/rbac-pod-exec",
        '  - apiGroups: ["apps"]',
        '  - apiGroups: [""]\n    resources: ["pods/exec"]\n    verbs: ["create"]\n'
        '  - apiGroups: ["apps"]',
        '"pods/exec"',
    ),
]

# ---------------------------------------------------------------------------- Terraform

TF_S3 = """\
resource "aws_s3_bucket" "{n}" {
  bucket = "acme-{n}"
  tags = {
    team = "platform"
  }
}

resource "aws_s3_bucket_public_access_block" "{n}" {
  bucket                  = aws_s3_bucket.{n}.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "{n}" {
  bucket = aws_s3_bucket.{n}.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

resource "aws_s3_bucket_versioning" "{n}" {
  bucket = aws_s3_bucket.{n}.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_logging" "{n}" {
  bucket        = aws_s3_bucket.{n}.id
  target_bucket = var.log_bucket
  target_prefix = "s3/{n}/"
}

resource "aws_s3_bucket_acl" "{n}" {
  bucket = aws_s3_bucket.{n}.id
  acl    = "private"
}
"""

TF_NET = """\
variable "vpc_id" {
  type = string
}

variable "office_cidr" {
  type    = string
  default = "203.0.113.0/24"
}

locals {
  https = 443
}

resource "aws_security_group" "{n}" {
  name        = "{n}"
  description = "{n} service"
  vpc_id      = var.vpc_id

  ingress {
    description = "HTTPS from the office"
    from_port   = local.https
    to_port     = local.https
    protocol    = "tcp"
    cidr_blocks = [var.office_cidr]
  }

  ingress {
    description = "Public HTTPS"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""

TF_DATA = """\
resource "aws_kms_key" "{n}" {
  description         = "{n} data"
  enable_key_rotation = true
}

resource "aws_db_instance" "{n}" {
  identifier                  = "{n}"
  engine                      = "postgres"
  engine_version              = "16.3"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "app"
  manage_master_user_password = true
  storage_encrypted           = true
  kms_key_id                  = aws_kms_key.{n}.arn
  publicly_accessible         = false
  backup_retention_period     = 14
  deletion_protection         = true
}

resource "random_password" "{n}_app" {
  length  = 32
  special = false
}

resource "aws_ssm_parameter" "{n}_app_password" {
  name   = "/{n}/app/password"
  type   = "SecureString"
  value  = random_password.{n}_app.result
  key_id = aws_kms_key.{n}.arn
}

resource "aws_instance" "{n}_worker" {
  ami                  = "ami-0c55b159cbfafe1f0"
  instance_type        = "t3.small"
  iam_instance_profile = "{n}-worker"
  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }
  root_block_device {
    encrypted = true
  }
}
"""

TF_IAM = """\
resource "aws_iam_policy" "{n}" {
  name = "{n}-deploy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:GetObject"]
        Resource = "arn:aws:s3:::acme-{n}/*"
      },
    ]
  })
}

resource "aws_cloudtrail" "{n}" {
  name                       = "{n}"
  s3_bucket_name             = "acme-trail"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  kms_key_id                 = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}
"""

TF_GCP = """\
resource "google_compute_firewall" "{n}" {
  name          = "{n}-https"
  network       = "default-vpc"
  direction     = "INGRESS"
  source_ranges = ["10.10.0.0/16"]
  allow {
    protocol = "tcp"
    ports    = ["443"]
  }
}

resource "google_storage_bucket" "{n}" {
  name                        = "acme-{n}"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  encryption {
    default_kms_key_name = "projects/acme/locations/eu/keyRings/main/cryptoKeys/{n}"
  }
}

resource "google_storage_bucket_iam_member" "{n}" {
  bucket = google_storage_bucket.{n}.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:{n}@acme.iam.gserviceaccount.com"
}

resource "google_project_iam_member" "{n}" {
  project = "acme-prod"
  role    = "roles/cloudsql.client"
  member  = "serviceAccount:{n}@acme.iam.gserviceaccount.com"
}

resource "google_sql_database_instance" "{n}" {
  name             = "{n}"
  database_version    = "POSTGRES_16"
  region              = "europe-west1"
  encryption_key_name = "projects/acme/locations/europe-west1/keyRings/sql/cryptoKeys/{n}"
  settings {
    tier = "db-custom-2-7680"
    ip_configuration {
      ipv4_enabled    = false
      private_network = "projects/acme/global/networks/main"
      ssl_mode        = "ENCRYPTED_ONLY"
    }
  }
}
"""

TF_AZ = """\
resource "azurerm_storage_account" "{n}" {
  name                            = "acme{n}"
  resource_group_name             = "rg-{n}"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "GRS"
  https_traffic_only_enabled      = true
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = false
}

resource "azurerm_network_security_rule" "{n}" {
  name                        = "allow-https"
  resource_group_name         = "rg-{n}"
  network_security_group_name = "nsg-{n}"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "443"
  source_address_prefix       = "10.0.0.0/8"
  destination_address_prefix  = "*"
}

resource "azurerm_mssql_firewall_rule" "{n}" {
  name             = "office"
  server_id        = "/subscriptions/0000/resourceGroups/rg-{n}/providers/Microsoft.Sql/servers/sql-{n}"
  start_ip_address = "203.0.113.10"
  end_ip_address   = "203.0.113.20"
}

resource "azurerm_key_vault" "{n}" {
  name                     = "kv-{n}"
  location                 = "westeurope"
  resource_group_name      = "rg-{n}"
  tenant_id                = "00000000-0000-0000-0000-000000000000"
  sku_name                 = "standard"
  purge_protection_enabled = true

  network_acls {
    default_action = "Deny"
    bypass         = "AzureServices"
  }
}
"""

TF_FLAWS = {
    "s3": [
        Flaw(
            "acl",
            "tf/aws-s3-public-acl",
            '  acl    = "private"',
            '  acl    = "public-read"',
            'acl    = "public-read"',
        ),
        Flaw(
            "pab-off",
            "tf/aws-s3-block-public-policy-disabled",
            "  block_public_policy     = true",
            "  block_public_policy     = false",
            "block_public_policy     = false",
        ),
        Flaw(
            "no-versioning",
            "tf/aws-s3-versioning-disabled",
            'resource "aws_s3_bucket_versioning" "{n}" {\n  bucket = aws_s3_bucket.{n}.id\n'
            '  versioning_configuration {\n    status = "Enabled"\n  }\n}\n\n',
            "",
            '@block:resource "aws_s3_bucket" "{n}" {',
        ),
        Flaw(
            "policy",
            "tf/aws-s3-public-policy",
            'resource "aws_s3_bucket_acl"',
            'resource "aws_s3_bucket_policy" "{n}" {\n  bucket = aws_s3_bucket.{n}.id\n'
            '  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n'
            '      Sid       = "PublicRead"\n      Effect    = "Allow"\n      Principal = "*"\n'
            '      Action    = "s3:GetObject"\n      Resource  = "arn:aws:s3:::acme-{n}/*"\n'
            '    }]\n  })\n}\n\nresource "aws_s3_bucket_acl"',
            'Principal = "*"',
        ),
    ],
    "net": [
        Flaw(
            "ssh",
            "tf/aws-sg-open-ssh",
            "  egress {",
            '  ingress {\n    description = "SSH"\n    from_port   = 22\n    to_port     = 22\n'
            '    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n\n  egress {',
            ['cidr_blocks = ["0.0.0.0/0"]', "  }", "", "  egress"][0] + "@ssh",
        ),
        Flaw(
            "rdp-var",
            "tf/aws-sg-open-rdp",
            '  default = "203.0.113.0/24"',
            '  default = "0.0.0.0/0"',
            "@rdp",
            extra=(
                (
                    '    description = "HTTPS from the office"\n    from_port   = local.https\n'
                    "    to_port     = local.https",
                    '    description = "RDP for the support team"\n    from_port   = 3389\n'
                    "    to_port     = 3389",
                ),
            ),
        ),
        Flaw(
            "all",
            "tf/aws-sg-open-all-ports",
            'resource "aws_security_group" "{n}" {',
            'resource "aws_security_group_rule" "{n}_any" {\n  type              = "ingress"\n'
            "  from_port         = 0\n  to_port           = 65535\n"
            '  protocol          = "tcp"\n  cidr_blocks       = ["0.0.0.0/0"]\n'
            "  security_group_id = aws_security_group.{n}.id\n}\n\n"
            'resource "aws_security_group" "{n}" {',
            'cidr_blocks       = ["0.0.0.0/0"]',
        ),
        Flaw(
            "vpc",
            "tf/aws-vpc-no-flow-logs",
            'variable "vpc_id" {',
            'resource "aws_vpc" "{n}" {\n  cidr_block = "10.40.0.0/16"\n}\n\nvariable "vpc_id" {',
            '@block:resource "aws_vpc" "{n}" {',
        ),
    ],
    "data": [
        Flaw(
            "rds-enc",
            "tf/aws-rds-unencrypted",
            "  storage_encrypted           = true",
            "  storage_encrypted           = false",
            "storage_encrypted           = false",
        ),
        Flaw(
            "rds-public",
            "tf/aws-rds-public",
            "  publicly_accessible         = false",
            "  publicly_accessible         = true",
            "publicly_accessible         = true",
        ),
        Flaw(
            "imds",
            "tf/aws-imdsv1-allowed",
            '    http_tokens   = "required"',
            '    http_tokens   = "optional"',
            'http_tokens   = "optional"',
        ),
        Flaw(
            "rotation",
            "tf/aws-kms-rotation-disabled",
            "  enable_key_rotation = true\n",
            "",
            '@block:resource "aws_kms_key" "{n}" {',
        ),
        Flaw(
            "password",
            "tf/hardcoded-secret",
            "  manage_master_user_password = true",
            '  password                    = "@@DB_PASSWORD@@"',
            "@@DB_PASSWORD@@",
        ),
        Flaw(
            "root-enc",
            "tf/aws-instance-root-unencrypted",
            "    encrypted = true",
            "    encrypted = false",
            "encrypted = false",
        ),
        Flaw(
            "backup",
            "tf/aws-rds-backup-disabled",
            "backup_retention_period     = 14",
            "backup_retention_period     = 0",
            "backup_retention_period     = 0",
        ),
    ],
    "iam": [
        Flaw(
            "wildcard",
            "tf/aws-iam-wildcard-policy",
            '        Action   = ["s3:PutObject", "s3:GetObject"]\n'
            '        Resource = "arn:aws:s3:::acme-{n}/*"',
            '        Action   = "*"\n        Resource = "*"',
            'Action   = "*"',
        ),
        Flaw(
            "validation",
            "tf/aws-cloudtrail-log-validation-disabled",
            "enable_log_file_validation = true",
            "enable_log_file_validation = false",
            "enable_log_file_validation = false",
        ),
        Flaw(
            "trail-off",
            "tf/aws-cloudtrail-logging-disabled",
            "  is_multi_region_trail      = true\n",
            "  is_multi_region_trail      = true\n  enable_logging             = false\n",
            "enable_logging             = false",
        ),
        Flaw(
            "key",
            "tf/aws-iam-user-access-key",
            'resource "aws_cloudtrail"',
            'resource "aws_iam_access_key" "{n}" {\n  user = "{n}-ci"\n}\n\n'
            'resource "aws_cloudtrail"',
            '@block:resource "aws_iam_access_key" "{n}" {',
        ),
        Flaw(
            "provider",
            "tf/provider-hardcoded-credentials",
            'resource "aws_iam_policy"',
            'provider "aws" {\n  region     = "eu-west-1"\n'
            '  access_key = "@@AWS_KEY_ID@@"\n'
            '  secret_key = "@@AWS_SECRET@@"\n}\n\n'
            'resource "aws_iam_policy"',
            "secret_key",
            more=("access_key",),
        ),
    ],
    "gcp": [
        Flaw(
            "fw-ssh",
            "tf/gcp-firewall-open-ssh",
            '  source_ranges = ["10.10.0.0/16"]\n  allow {\n    protocol = "tcp"\n'
            '    ports    = ["443"]',
            '  source_ranges = ["0.0.0.0/0"]\n  allow {\n    protocol = "tcp"\n'
            '    ports    = ["22"]',
            'source_ranges = ["0.0.0.0/0"]',
        ),
        Flaw(
            "fw-rdp",
            "tf/gcp-firewall-open-rdp",
            '  source_ranges = ["10.10.0.0/16"]\n  allow {\n    protocol = "tcp"\n'
            '    ports    = ["443"]',
            '  source_ranges = ["0.0.0.0/0"]\n  allow {\n    protocol = "tcp"\n'
            '    ports    = ["3380-3390"]',
            'source_ranges = ["0.0.0.0/0"]',
        ),
        Flaw(
            "public",
            "tf/gcp-gcs-public",
            '  member = "serviceAccount:{n}@acme.iam.gserviceaccount.com"\n}\n\n'
            'resource "google_project_iam_member"',
            '  member = "allUsers"\n}\n\nresource "google_project_iam_member"',
            'member = "allUsers"',
        ),
        Flaw(
            "owner",
            "tf/gcp-iam-primitive-role",
            '  role    = "roles/cloudsql.client"',
            '  role    = "roles/owner"',
            '"roles/owner"',
        ),
        Flaw(
            "sql",
            "tf/gcp-sql-public",
            "      ipv4_enabled    = false\n",
            "      ipv4_enabled    = true\n      authorized_networks {\n"
            '        name  = "anywhere"\n        value = "0.0.0.0/0"\n      }\n',
            'value = "0.0.0.0/0"',
        ),
        Flaw(
            "ubla",
            "tf/gcp-gcs-uniform-access-disabled",
            "uniform_bucket_level_access = true",
            "uniform_bucket_level_access = false",
            "uniform_bucket_level_access = false",
        ),
    ],
    "az": [
        Flaw(
            "nsg-ssh",
            "tf/azure-nsg-open-ssh",
            '  destination_port_range      = "443"\n  source_address_prefix       = "10.0.0.0/8"',
            '  destination_port_range      = "22"\n  source_address_prefix       = "*"',
            'source_address_prefix       = "*"',
        ),
        Flaw(
            "nsg-rdp",
            "tf/azure-nsg-open-rdp",
            '  destination_port_range      = "443"\n  source_address_prefix       = "10.0.0.0/8"',
            '  destination_port_range      = "3389"\n  source_address_prefix       = "Internet"',
            '"Internet"',
        ),
        Flaw(
            "https",
            "tf/azure-storage-http-allowed",
            "https_traffic_only_enabled      = true",
            "https_traffic_only_enabled      = false",
            "https_traffic_only_enabled      = false",
        ),
        Flaw("tls", "tf/azure-storage-weak-tls", '"TLS1_2"', '"TLS1_0"', '"TLS1_0"'),
        Flaw(
            "sqlfw",
            "tf/azure-sql-firewall-open",
            '  start_ip_address = "203.0.113.10"\n  end_ip_address   = "203.0.113.20"',
            '  start_ip_address = "0.0.0.0"\n  end_ip_address   = "255.255.255.255"',
            '"255.255.255.255"',
        ),
        Flaw(
            "public-blob",
            "tf/azure-storage-public-access",
            "allow_nested_items_to_be_public = false",
            "allow_nested_items_to_be_public = true",
            "allow_nested_items_to_be_public = true",
        ),
        Flaw(
            "purge",
            "tf/azure-keyvault-no-purge-protection",
            "  purge_protection_enabled = true\n",
            "",
            '@block:resource "azurerm_key_vault" "{n}" {',
        ),
    ],
}
TF_BASES = {"s3": TF_S3, "net": TF_NET, "data": TF_DATA, "iam": TF_IAM, "gcp": TF_GCP, "az": TF_AZ}

# ---------------------------------------------------------------------------- Compose

COMPOSE = """\
services:
  web:
    image: registry.example.com/shop/web:3.2.0@sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac
    user: "10001"
    read_only: true
    security_opt:
      - no-new-privileges:true
    cap_drop:
      - ALL
    ports:
      - "8080:8080"
    environment:
      LOG_LEVEL: info
      DATABASE_URL: postgres://app@db:5432/shop
      DATABASE_PASSWORD: ${DATABASE_PASSWORD}
      SESSION_SECRET_FILE: /run/secrets/session_secret
      TOKEN_TTL_SECONDS: "3600"
    depends_on:
      - db
  db:
    image: postgres:16.4@sha256:d0f363f8366fbc3f52d172c6e76bc27151c3d643b870e1062b4e8bfe65baf609
    environment:
      POSTGRES_USER: app
      POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    secrets:
      - db_password
    volumes:
      - db-data:/var/lib/postgresql/data

secrets:
  db_password:
    file: ./secrets/db_password.txt

volumes:
  db-data:
"""

COMPOSE_FLAWS = [
    Flaw(
        "privileged",
        "compose/privileged",
        "    read_only: true\n",
        "    read_only: true\n    privileged: true\n",
        "privileged: true",
    ),
    Flaw(
        "sock",
        "compose/docker-socket-mount",
        "      - db-data:/var/lib/postgresql/data\n",
        "      - db-data:/var/lib/postgresql/data\n"
        "      - /var/run/docker.sock:/var/run/docker.sock\n",
        "docker.sock",
    ),
    Flaw(
        "hostnet",
        "compose/host-network",
        "    read_only: true\n",
        "    read_only: true\n    network_mode: host\n",
        "network_mode: host",
    ),
    Flaw(
        "secret",
        "compose/secret-in-environment",
        "      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n",
        "      POSTGRES_PASSWORD: @@PG_PASSWORD@@\n",
        "POSTGRES_PASSWORD: @@",
    ),
    Flaw(
        "latest",
        "compose/image-latest",
        "    image: postgres:16.4@sha256:d0f363f8366fbc3f52d172c6e76bc27151c3d643b870e1062b4e8bfe65baf609\n",
        "    image: postgres:latest\n",
        "postgres:latest",
    ),
    Flaw(
        "cap",
        "compose/dangerous-capabilities",
        "    cap_drop:\n      - ALL\n",
        "    cap_add:\n      - NET_ADMIN\n",
        "- NET_ADMIN",
    ),
    Flaw(
        "pid",
        "compose/host-pid",
        "    read_only: true\n",
        "    read_only: true\n    pid: host\n",
        "pid: host",
    ),
    Flaw("root", "compose/root-user", '    user: "10001"', "    user: root", "user: root"),
    Flaw(
        "seccomp",
        "compose/security-opt-disabled",
        "      - no-new-privileges:true\n",
        "      - seccomp:unconfined\n",
        "seccomp:unconfined",
    ),
    Flaw(
        "ssh",
        "compose/ssh-port-published",
        '      - "8080:8080"\n',
        '      - "8080:8080"\n      - "2222:22"\n',
        '"2222:22"',
    ),
]


def _resolve_anchor(text: str, anchor: str, rule: str) -> int:
    if anchor.startswith("@block:"):
        target = anchor[len("@block:") :].rstrip("\n")
        return line_of(text, target)
    if anchor.startswith("@last:"):
        target = anchor[len("@last:") :]
        return max(i + 1 for i, line in enumerate(text.splitlines()) if target in line)
    if anchor == "@rdp":  # the variable default flows into the ingress rule's cidr_blocks
        return line_of(text, "cidr_blocks = [var.office_cidr]")
    if anchor.endswith("@ssh"):
        lines = text.splitlines()
        start = line_of(text, 'description = "SSH"')
        for i in range(start, len(lines)):
            if "cidr_blocks" in lines[i]:
                return i + 1
    return line_of(text, anchor)


def main() -> None:
    # labels of later rules, judged by reading the files (bench/iac_accuracy.py), survive
    reviewed = OUT / "labels-reviewed.json"
    kept = reviewed.read_text() if reviewed.exists() else None
    if OUT.exists():
        shutil.rmtree(OUT)
    if kept is not None:
        OUT.mkdir(parents=True)
        reviewed.write_text(kept)
    labels: list[dict[str, object]] = []
    files: dict[str, str] = {}

    def emit(rel: str, text: str, flaws: list[Flaw]) -> None:
        files[rel] = text
        for f in flaws:
            if f.rule:
                for anchor in (f.anchor, *f.more):
                    line = _resolve_anchor(text, anchor, f.rule)
                    labels.append({"file": rel, "rule": f.rule, "line": line})

    # Dockerfiles: each base hardened, each flaw alone, and a few combinations
    for key, base in DOCKER_BASES.items():
        emit(f"docker/{key}/hardened/Dockerfile", base, [])
        flaws = DOCKER_FLAWS[key]
        for f in flaws:
            text, _ = apply(base, [f])
            emit(f"docker/{key}/{f.name}/Dockerfile", text, [f])
        for i in range(0, len(flaws) - 1, 2):
            a, b = flaws[i], flaws[i + 1]
            if a.old == b.old or a.old in b.old or b.old in a.old:
                continue
            text, _ = apply(base, [a, b])
            emit(f"docker/{key}/{a.name}+{b.name}/Dockerfile", text, [a, b])

    # Kubernetes: workloads of every kind, hardened and with each flaw; CronJob; RBAC
    kinds = [
        ("Deployment", "checkout", "  replicas: 3\n"),
        ("StatefulSet", "orders", "  serviceName: orders\n  replicas: 2\n"),
        ("DaemonSet", "log-agent", ""),
    ]
    for kind, name, extra in kinds:
        base = DEPLOY.format(kind=kind, name=name, spec_extra=extra)
        emit(f"k8s/{name}-hardened.yaml", base, [])
        for f in K8S_FLAWS:
            if kind == "DaemonSet" and f.name in (
                "nodigest",
                "hostport",
                "rw-root",
                "latest",
                "no-mem",
            ):
                continue
            fl = Flaw(f.name, f.rule, f.old, f.new, f.anchor)
            text, _ = apply(base, [fl])
            emit(f"k8s/{name}-{f.name}.yaml", text, [fl])
    cron_flaws = [
        Flaw(
            "privileged",
            "k8s/privileged-container",
            "                allowPrivilegeEscalation: false\n",
            "                privileged: true\n                allowPrivilegeEscalation: false\n",
            "privileged: true",
        ),
        Flaw(
            "latest",
            "k8s/image-latest",
            ":1.9.0@sha256:3b5d5c3712955042212316173ccf37be8006e1f5d5b2b1a7b1b9a1b4c3d2e1f0",
            ":latest",
            ":latest",
        ),
        Flaw(
            "nolimits",
            "k8s/missing-memory-limit",
            '              resources:\n                limits:\n                  cpu: "1"\n'
            "                  memory: 512Mi\n",
            "",
            "@block:            - name: report",
        ),
    ]
    emit("k8s/cronjob-hardened.yaml", CRONJOB, [])
    for f in cron_flaws:
        text, _ = apply(CRONJOB, [f])
        extra = (
            [Flaw("", "k8s/missing-cpu-limit", "", "", f.anchor)] if f.name == "nolimits" else []
        )
        emit(f"k8s/cronjob-{f.name}.yaml", text, [f, *extra])
    for name in ("prometheus", "fluent-bit"):
        base = RBAC.format(name=name)
        emit(f"k8s/rbac-{name}-hardened.yaml", base, [])
        for f in RBAC_FLAWS:
            fl = Flaw(f.name, f.rule, f.old.replace("{name}", name), f.new, f.anchor)
            text, _ = apply(base, [fl])
            emit(f"k8s/rbac-{name}-{f.name}.yaml", text, [fl])

    # Terraform: each base in two services, hardened and with each flaw
    for key, base in TF_BASES.items():
        for n in ("billing", "search"):
            b = base.replace("{n}", n)
            emit(f"terraform/{key}-{n}/hardened/main.tf", b, [])
            for f in TF_FLAWS[key]:
                fl = replace(
                    f,
                    old=f.old.replace("{n}", n),
                    new=f.new.replace("{n}", n),
                    anchor=f.anchor.replace("{n}", n),
                )
                text, _ = apply(b, [fl])
                emit(f"terraform/{key}-{n}/{f.name}/main.tf", text, [fl])

    # a root module calling a local module with an open CIDR
    files["terraform/modules/bastion/main.tf"] = (
        'variable "allowed_cidr" {\n  type    = string\n  default = "10.0.0.0/8"\n}\n\n'
        'resource "aws_security_group" "bastion" {\n  name = "bastion"\n  ingress {\n'
        '    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n'
        "    cidr_blocks = [var.allowed_cidr]\n  }\n}\n"
    )
    files["terraform/envs/dev/main.tf"] = (
        'module "bastion" {\n  source       = "../../modules/bastion"\n'
        '  allowed_cidr = "0.0.0.0/0"\n}\n'
    )
    labels.append(
        {"file": "terraform/modules/bastion/main.tf", "rule": "tf/aws-sg-open-ssh", "line": 12}
    )

    # Compose
    emit("compose/shop/hardened/docker-compose.yml", COMPOSE, [])
    for f in COMPOSE_FLAWS:
        text, _ = apply(COMPOSE, [f])
        emit(f"compose/shop/{f.name}/docker-compose.yml", text, [f])

    for rel in list(files):
        if rel.startswith("docker/go/") and "no-dockerignore" not in rel:
            files[rel.rsplit("/", 1)[0] + "/.dockerignore"] = ".git\n.env\n*.md\nbin/\n"
    for rel, text in files.items():
        p = OUT / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(unfake(text))
    labels.sort(key=lambda x: (str(x["file"]), int(str(x["line"])), str(x["rule"])))
    (OUT / "labels.json").write_text(json.dumps(labels, indent=1) + "\n")
    counts: dict[str, int] = {}
    for rel in files:
        counts[rel.split("/", 1)[0]] = counts.get(rel.split("/", 1)[0], 0) + 1
    print(f"wrote {len(files)} files {counts} and {len(labels)} labels to {OUT}")


if __name__ == "__main__":
    main()
