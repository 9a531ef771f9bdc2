"""Keyless signing through the ``sigstore`` library (opt-in; needs the network).

The identity token is the CI's OIDC token: ``SIGSTORE_ID_TOKEN`` when set, else what the
``id`` library detects (GitHub Actions with ``id-token: write``, GitLab's
``id_tokens``). Fulcio issues a short-lived certificate for it and Rekor logs the
signature; the public-good instance unless a client trust config names others.
"""

from __future__ import annotations

import os
from pathlib import Path

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
    from sigstore.errors import Error as SigstoreError
    from sigstore.models import ClientTrustConfig
    from sigstore.oidc import IdentityToken
    from sigstore.sign import SigningContext

    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    try:
        identity = IdentityToken(_token())
        if trust_config is not None:
            config = ClientTrustConfig.from_json(trust_config.read_text())
        else:
            config = ClientTrustConfig.production()
        context = SigningContext.from_trust_config(config)
        with context.signer(identity, cache=False) as signer:
            bundle = signer.sign_artifact(path.read_bytes())
    except SigstoreError as exc:
        raise NetworkError(f"keyless signing failed: {' '.join(str(exc).split())[:300]}") from None
    except OSError as exc:
        raise NetworkError(f"keyless signing failed: {exc}") from None
    return str(bundle.to_json())
