"""Keys shared by the chain-of-custody tests (scrypt makes each encrypted key cost ~0.2 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipesec.attest import keys


@pytest.fixture(scope="session")
def ec_key() -> keys.PrivateKey:
    return keys.generate("ecdsa-p256")


@pytest.fixture(scope="session")
def ed_key() -> keys.PrivateKey:
    return keys.generate("ed25519")


@pytest.fixture(scope="session")
def other_key() -> keys.PrivateKey:
    return keys.generate("ecdsa-p256")


@pytest.fixture(scope="session")
def key_files(tmp_path_factory: pytest.TempPathFactory, ec_key: keys.PrivateKey) -> Path:
    """PREFIX.key (password "pw") and PREFIX.pub of ``ec_key``; returns PREFIX."""
    prefix = tmp_path_factory.mktemp("keys") / "ci"
    prefix.with_suffix(".key").write_bytes(keys.encrypt_private_key(ec_key, b"pw"))
    prefix.with_suffix(".pub").write_bytes(keys.public_pem(ec_key))
    return prefix
