"""Keyless signing through the ``sigstore`` library (opt-in; needs the network).

The identity token is the CI's OIDC token: ``SIGSTORE_ID_TOKEN`` when set, else what the
``id`` library detects (GitHub Actions with ``id-token: write``, GitLab's
``id_tokens``). Fulcio issues a short-lived certificate for it and Rekor logs the
signature; the public-good instance unless a client trust config names others.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipesec.core.errors import NetworkError, UsageError


def _token() -> str:
    from sigstore.oidc import detect_credential

    token = os.environ.get("SIGSTORE_ID_TOKEN")
    if not token:
        try:
            token = detect_credential()
        except Exception as exc:  # the id library raises its own error types
            raise UsageError(f"keyless: no OIDC identity token ({exc})") from None
    if not token:
        raise UsageError("keyless: no OIDC identity token (set SIGSTORE_ID_TOKEN or run in CI)")
    return token


def sign_file_keyless(path: Path, trust_config: Path | None) -> str:
    """The Sigstore bundle (JSON) of a keyless signature of ``path``."""
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    return _sign(trust_config, lambda signer: signer.sign_artifact(path.read_bytes()))


def attest_keyless(statement: bytes, trust_config: Path | None) -> str:
    """The Sigstore bundle (JSON) of a keyless DSSE envelope of an in-toto statement."""
    from sigstore.dsse import Statement

    return _sign(trust_config, lambda signer: signer.sign_dsse(Statement(statement)))


def _sign(trust_config: Path | None, sign: Callable[[Any], Any]) -> str:
    from sigstore.errors import Error as SigstoreError
    from sigstore.models import ClientTrustConfig
    from sigstore.oidc import IdentityToken
    from sigstore.sign import SigningContext

    try:
        identity = IdentityToken(_token())
        if trust_config is not None:
            config = ClientTrustConfig.from_json(trust_config.read_text())
        else:
            config = ClientTrustConfig.production()
        context = SigningContext.from_trust_config(config)
        # cache=True: one ephemeral key for the certificate and the signature (with
        # cache=False the library makes a new key at each use)
        with context.signer(identity, cache=True) as signer:
            bundle = sign(signer)
    except SigstoreError as exc:
        raise NetworkError(f"keyless signing failed: {' '.join(str(exc).split())[:300]}") from None
    except OSError as exc:
        raise NetworkError(f"keyless signing failed: {exc}") from None
    return str(bundle.to_json())
