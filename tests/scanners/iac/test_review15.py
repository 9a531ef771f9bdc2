"""Session 15's review of the IaC landings (review15): a secret whose text reads as a path
(7e6831a made a file path no literal secret: a base64 secret that starts with ``/`` and holds
another ``/`` was dropped by every IaC secret rule: Dockerfile ENV, Kubernetes env, compose,
CloudFormation, Terraform). Values are built from parts at run time."""

from __future__ import annotations

import pytest
from tests.scanners.iac.helpers import findings, scan_family

from pipesec.scanners.iac.common import looks_like_file_path

#: secret-shaped values that a path regex also matches (base64 holds ``/``)
SECRETS = [
    "/x8Kq" + "2mP9vLw3nRt7wZ/bQ4s",
    "/Ab3dEfGh1" + "jKlMn0pQrStUvWxYz1234567/89abc",
    "./Zk29sLq0" + "Pm3Xv8Rt7Ww2",
]
PATHS = [
    "/credentials/google-storage-service.json",
    "~/.aws/credentials",
    "/run/secrets/db_password",
    "/Users/John/key.pem",
    "/etc/ssl/private/Server2024.key",
    "/var/lib/kubelet/pods/3f2a9c1e-7b4d/volumes",
]


@pytest.mark.parametrize("value", SECRETS)
def test_a_generated_value_with_slashes_is_no_path(value: str) -> None:
    assert not looks_like_file_path(value)


@pytest.mark.parametrize("value", PATHS)
def test_paths_stay_paths(value: str) -> None:
    assert looks_like_file_path(value)


@pytest.mark.parametrize("value", SECRETS)
def test_dockerfile_env_secret_that_reads_as_a_path_is_reported(value: str) -> None:
    text = f"FROM busybox:1.36\nENV DB_PASSWORD={value}\nUSER nobody\n"
    assert findings(scan_family("docker", text), "docker/secret-in-env")


@pytest.mark.parametrize("value", SECRETS)
def test_kubernetes_env_secret_that_reads_as_a_path_is_reported(value: str) -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        "    - name: app\n      image: busybox:1.36\n      env:\n"
        f"        - name: DB_PASSWORD\n          value: '{value}'\n"
    )
    assert findings(scan_family("k8s", text), "k8s/secret-in-env")
