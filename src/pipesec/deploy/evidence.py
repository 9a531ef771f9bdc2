"""What an artifact or image brings to the gate: its digest, how to check its signature,
and the DSSE envelopes (attestations) found beside it.

Attestation files hold one DSSE envelope (JSON object), a JSON list of them, JSON Lines
(one envelope a line), or Sigstore bundles carrying a ``dsseEnvelope``. The predicate type
of an envelope is peeked at before verification only to say which requirement a bad
envelope was meant for; nothing unverified decides anything.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipesec.attest.errors import VerificationError
from pipesec.attest.keys import PublicKey

MAX_ATTESTATION_FILE = 32 * 2**20
MAX_SIGNATURE_FILE = 64 * 2**10
MAX_ENVELOPES = 256
#: where a keyless signature's Sigstore bundle is looked for beside the artifact
BUNDLE_SUFFIXES = (".sigstore.json", ".sigstore")


@dataclass(frozen=True, slots=True)
class Envelope:
    source: str
    envelope: dict[str, Any] | None
    problem: str = ""  # why it could not be read
    predicate_type: str = ""  # peeked, unverified


@dataclass(slots=True)
class Subject:
    """One thing to deploy: a file, or an image (OCI layout / admission store)."""

    name: str
    digest: dict[str, str]
    #: raises VerificationError (message starting ``signature:``) unless a trusted key signed it
    check_signature: Callable[[Sequence[PublicKey]], None]
    #: the same with Sigstore identities (identity, issuer) and a trusted root: keyless
    check_keyless: Callable[[Sequence[tuple[str, str]], Path], None] | None = None
    envelopes: list[Envelope] = field(default_factory=list)
    looked_in: list[str] = field(default_factory=list)

    @property
    def digest_text(self) -> str:
        return "sha256:" + self.digest.get("sha256", "")


def peek_type(envelope: dict[str, Any]) -> str:
    """The predicateType an envelope claims (unverified; '' when it cannot be read)."""
    try:
        text = str(envelope.get("payload", "")).replace("-", "+").replace("_", "/")
        payload = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
        value = json.loads(payload)
    except (binascii.Error, ValueError, RecursionError):
        return ""
    kind = value.get("predicateType") if isinstance(value, dict) else None
    return kind if isinstance(kind, str) else ""


def _as_envelope(value: Any) -> dict[str, Any] | None:
    if isinstance(value, dict) and isinstance(value.get("dsseEnvelope"), dict):
        value = value["dsseEnvelope"]  # a Sigstore bundle
    if isinstance(value, dict) and "payload" in value and "signatures" in value:
        return value
    return None


def parse_envelopes(data: bytes, source: str) -> list[Envelope]:
    """The envelopes of one attestation file; an unreadable part is kept as a problem."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return [Envelope(source, None, "not UTF-8 text")]
    docs: list[Any]
    try:
        whole = json.loads(text)
        docs = whole if isinstance(whole, list) else [whole]
    except RecursionError:
        return [Envelope(source, None, "nested too deeply")]
    except ValueError:
        docs = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                docs.append(json.loads(line))
            except (ValueError, RecursionError):
                return [Envelope(f"{source}:{n}", None, "not JSON")]
    out = []
    for i, doc in enumerate(docs[:MAX_ENVELOPES]):
        where = source if len(docs) == 1 else f"{source}#{i + 1}"
        envelope = _as_envelope(doc)
        if envelope is None:
            out.append(Envelope(where, None, "not a DSSE envelope"))
        else:
            out.append(Envelope(where, envelope, predicate_type=peek_type(envelope)))
    return out


def _read_bounded(path: Path, limit: int) -> bytes:
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise VerificationError(f"{path.name}: larger than {limit} bytes")
    return data


def read_envelopes(path: Path) -> list[Envelope]:
    try:
        data = _read_bounded(path, MAX_ATTESTATION_FILE)
    except VerificationError as exc:
        return [Envelope(path.name, None, str(exc))]
    except OSError as exc:
        return [Envelope(path.name, None, f"cannot read ({exc.strerror or exc})")]
    return parse_envelopes(data, path.name)


def _sibling(path: Path, suffix: str) -> Path:
    return path.with_name(path.name.rstrip("/") + suffix)


def for_artifact(artifact: Path, attestations: Sequence[Path] = ()) -> Subject:
    """A file or an OCI image layout directory, with ``ARTIFACT.sig`` and
    ``ARTIFACT.att.json`` beside it and the extra attestation files given."""
    from pipesec.attest import oci
    from pipesec.attest.verify import artifact_digest, verify_blob, verify_image

    digest = artifact_digest(artifact)
    sig_path = _sibling(artifact, ".sig")

    def check_blob(keys: Sequence[PublicKey]) -> None:
        if not sig_path.is_file():
            raise VerificationError(f"signature: no signature ({sig_path.name} not found)")
        verify_blob(artifact, _read_bounded(sig_path, MAX_SIGNATURE_FILE), keys)

    def check_image(keys: Sequence[PublicKey]) -> None:
        verify_image(artifact, keys)

    def check_keyless(identities: Sequence[tuple[str, str]], trusted_root: Path) -> None:
        from pipesec.attest.bundle import verify_keyless
        from pipesec.attest.files import read_document

        found = [p for p in (_sibling(artifact, s) for s in BUNDLE_SUFFIXES) if p.is_file()]
        if not found:
            name = _sibling(artifact, BUNDLE_SUFFIXES[0]).name
            raise VerificationError(f"signature: no Sigstore bundle ({name} not found)")
        document = read_document(found[0], "bundle")
        problems = []
        for identity, issuer in identities:
            try:
                verify_keyless(artifact, document, identity, issuer, trusted_root)
                return
            except VerificationError as exc:
                problems.append(str(exc))
        raise VerificationError(problems[0])

    layout = oci.is_layout(artifact)
    subject = Subject(
        artifact.name,
        digest,
        check_image if layout else check_blob,
        None if layout else check_keyless,
    )
    beside = _sibling(artifact, ".att.json")
    files = ([beside] if beside.is_file() else []) + list(attestations)
    subject.looked_in = [beside.name] + [p.name for p in attestations]
    for path in files:
        subject.envelopes.extend(read_envelopes(path))
    return subject
