"""Keyless signing against a local fake of the Fulcio and Rekor v1 APIs (loopback only).

The fake is a small certificate authority, CT log and transparency log made here at run
time: Fulcio issues a code-signing certificate for the token's subject with an embedded
SCT (RFC 6962), Rekor answers with a log entry, its signed entry timestamp and an
inclusion proof with a signed checkpoint. The bundle pipesec writes through the sigstore
library is then verified offline against the fake's trusted root, and tampering fails."""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import struct
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
import rfc8785
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier
from typer.testing import CliRunner

from pipesec.cli.main import app

ISSUER = "https://oidc.example.test"
SUBJECT = "release-bot@example.test"
SCT_OID = ObjectIdentifier("1.3.6.1.4.1.11129.2.4.2")
NOW = datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def der(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


class Sigstore:
    """The fake instance's keys and what it answers."""

    def __init__(self) -> None:
        self.ca_key = ec.generate_private_key(ec.SECP384R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake-fulcio")])
        self.ca = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self.ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOW - datetime.timedelta(days=1))
            .not_valid_after(NOW + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(self.ca_key.public_key()), False
            )
            .add_extension(
                x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                critical=True,
            )
            .sign(self.ca_key, hashes.SHA384())
        )
        self.ct_key = ec.generate_private_key(ec.SECP256R1())
        self.rekor_key = ec.generate_private_key(ec.SECP256R1())
        self.rekor_id = hashlib.sha256(der(self.rekor_key.public_key())).digest()
        self.entries = 0

    def trusted_root(self, url: str) -> dict[str, Any]:
        start = {"start": (NOW - datetime.timedelta(days=1)).isoformat().replace("+00:00", "Z")}

        def log(key: ec.EllipticCurvePrivateKey) -> dict[str, Any]:
            raw = der(key.public_key())
            return {
                "baseUrl": url,
                "hashAlgorithm": "SHA2_256",
                "publicKey": {
                    "rawBytes": b64(raw),
                    "keyDetails": "PKIX_ECDSA_P256_SHA_256",
                    "validFor": start,
                },
                "logId": {"keyId": b64(hashlib.sha256(raw).digest())},
            }

        return {
            "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs": [log(self.rekor_key)],
            "certificateAuthorities": [
                {
                    "subject": {"organization": "example", "commonName": "fake-fulcio"},
                    "uri": url,
                    "certChain": {
                        "certificates": [
                            {"rawBytes": b64(self.ca.public_bytes(serialization.Encoding.DER))}
                        ]
                    },
                    "validFor": start,
                }
            ],
            "ctlogs": [log(self.ct_key)],
            "timestampAuthorities": [],
        }

    def issue(self, csr_pem: bytes, token: str) -> list[str]:
        claims = jwt.decode(token, options={"verify_signature": False})
        csr = x509.load_pem_x509_csr(csr_pem)
        assert csr.is_signature_valid
        issuer = claims["iss"].encode()
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([]))
            .issuer_name(self.ca.subject)
            .public_key(csr.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOW - datetime.timedelta(minutes=1))
            .not_valid_after(NOW + datetime.timedelta(minutes=10))
            .add_extension(
                x509.KeyUsage(True, False, False, False, False, False, False, False, False),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.ca_key.public_key()),
                False,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(csr.public_key()), False)
            .add_extension(
                x509.SubjectAlternativeName([x509.RFC822Name(claims["sub"])]), critical=True
            )
            .add_extension(
                x509.UnrecognizedExtension(ObjectIdentifier("1.3.6.1.4.1.57264.1.1"), issuer),
                critical=False,
            )
            .add_extension(
                x509.UnrecognizedExtension(
                    ObjectIdentifier("1.3.6.1.4.1.57264.1.8"),
                    b"\x0c" + bytes([len(issuer)]) + issuer,  # DER UTF8String
                ),
                critical=False,
            )
        )
        precert = builder.sign(self.ca_key, hashes.SHA384())
        sct = self._sct(precert.tbs_certificate_bytes)
        cert = builder.add_extension(x509.UnrecognizedExtension(SCT_OID, sct), critical=False).sign(
            self.ca_key, hashes.SHA384()
        )
        return [c.public_bytes(serialization.Encoding.PEM).decode() for c in (cert, self.ca)]

    def _sct(self, tbs: bytes) -> bytes:
        """An RFC 6962 SCT list (as the extension's DER OCTET STRING) for a precert."""
        timestamp = int(NOW.timestamp() * 1000)
        issuer_key_hash = hashlib.sha256(der(self.ca_key.public_key())).digest()  # type: ignore[arg-type]
        entry = issuer_key_hash + len(tbs).to_bytes(3, "big") + tbs
        signed = struct.pack("!BBQH", 0, 0, timestamp, 1) + entry + struct.pack("!H", 0)
        signature = self.ct_key.sign(signed, ec.ECDSA(hashes.SHA256()))
        log_id = hashlib.sha256(der(self.ct_key.public_key())).digest()
        sct = (
            b"\x00"
            + log_id
            + struct.pack("!QH", timestamp, 0)
            + bytes([4, 3])
            + struct.pack("!H", len(signature))
            + signature
        )
        listing = struct.pack("!H", len(sct)) + sct
        tls = struct.pack("!H", len(listing)) + listing
        return b"\x04" + _der_length(len(tls)) + tls

    def log(self, proposed: dict[str, Any]) -> dict[str, Any]:
        if proposed["kind"] == "dsse":
            # Rekor stores a DSSE entry as hashes of the envelope and payload, and the
            # signatures with their verifier
            content = proposed["spec"]["proposedContent"]
            envelope = json.loads(content["envelope"])
            signatures = [
                {"signature": s["sig"], "verifier": content["verifiers"][0]}
                for s in envelope["signatures"]
            ]
            proposed = {
                "apiVersion": "0.0.1",
                "kind": "dsse",
                "spec": {
                    "envelopeHash": {
                        "algorithm": "sha256",
                        "value": hashlib.sha256(content["envelope"].encode()).hexdigest(),
                    },
                    "payloadHash": {
                        "algorithm": "sha256",
                        "value": hashlib.sha256(base64.b64decode(envelope["payload"])).hexdigest(),
                    },
                    "signatures": signatures,
                },
            }
        body = rfc8785.dumps(proposed)
        index, integrated = self.entries, int(NOW.timestamp())
        self.entries += 1
        leaf = hashlib.sha256(b"\x00" + body).digest()  # a tree of one entry: root = leaf
        payload = {
            "body": b64(body),
            "integratedTime": integrated,
            "logID": self.rekor_id.hex(),
            "logIndex": index,
        }
        set_sig = self.rekor_key.sign(rfc8785.dumps(payload), ec.ECDSA(hashes.SHA256()))
        note = f"fake-rekor - 1\n1\n{b64(leaf)}\n"
        note_sig = self.rekor_key.sign(note.encode(), ec.ECDSA(hashes.SHA256()))
        checkpoint = f"{note}\n\u2014 fake-rekor {b64(self.rekor_id[:4] + note_sig)}\n"
        return {
            hashlib.sha256(body).hexdigest(): {
                **payload,
                "verification": {
                    "signedEntryTimestamp": b64(set_sig),
                    "inclusionProof": {
                        "logIndex": 0,
                        "rootHash": leaf.hex(),
                        "treeSize": 1,
                        "hashes": [],
                        "checkpoint": checkpoint,
                    },
                },
            }
        }


def _der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


@pytest.fixture(scope="module")
def fake() -> Iterator[tuple[Sigstore, str]]:
    sigstore = Sigstore()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if self.path == "/api/v2/signingCert":
                token = self.headers["Authorization"].removeprefix("Bearer ")
                csr = base64.b64decode(body["certificateSigningRequest"])
                chain = sigstore.issue(csr, token)
                answer: Any = {"signedCertificateEmbeddedSct": {"chain": {"certificates": chain}}}
                status = 200
            elif self.path == "/api/v1/log/entries":
                answer, status = sigstore.log(body), 201
            else:
                answer, status = {"message": "not found"}, 404
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sigstore, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _token() -> str:
    now = int(NOW.timestamp())
    claims = {"iss": ISSUER, "sub": SUBJECT, "aud": "sigstore", "iat": now, "exp": now + 600}
    return jwt.encode(claims, "fake-oidc-signing-secret-for-tests", algorithm="HS256")


def test_keyless_sign_and_verify(
    fake: tuple[Sigstore, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sigstore, url = fake
    window = {"start": (NOW - datetime.timedelta(days=1)).isoformat().replace("+00:00", "Z")}
    service = {"url": url, "majorApiVersion": 1, "validFor": window, "operator": "test"}
    root = sigstore.trusted_root(url)
    config = {
        "mediaType": "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json",
        "trustedRoot": root,
        "signingConfig": {
            "mediaType": "application/vnd.dev.sigstore.signingconfig.v0.2+json",
            "caUrls": [service],
            "oidcUrls": [service],
            "rekorTlogUrls": [service],
            "tsaUrls": [],
            "rekorTlogConfig": {"selector": "ANY"},
            "tsaConfig": {"selector": "ANY"},
        },
    }
    (tmp_path / "trust.json").write_text(json.dumps(config))
    (tmp_path / "root.json").write_text(json.dumps(root))
    artifact = tmp_path / "app.tar"
    artifact.write_bytes(b"release artifact\n")
    monkeypatch.setenv("SIGSTORE_ID_TOKEN", _token())
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "sign",
            str(artifact),
            "--keyless",
            "--bundle",
            str(tmp_path / "b.json"),
            "--trust-config",
            str(tmp_path / "trust.json"),
        ],
    )
    assert result.exit_code == 0, result.output
    bundle = json.loads((tmp_path / "b.json").read_text())
    assert bundle["verificationMaterial"]["tlogEntries"][0]["kindVersion"]["kind"] == "hashedrekord"
    verify = [
        "verify",
        str(artifact),
        "--bundle",
        str(tmp_path / "b.json"),
        "--certificate-identity",
        SUBJECT,
        "--certificate-oidc-issuer",
        ISSUER,
        "--trusted-root",
        str(tmp_path / "root.json"),
    ]
    result = runner.invoke(app, verify)
    assert result.exit_code == 0, result.output
    # another identity, a changed artifact, an untrusted root: failures
    result = runner.invoke(app, [*verify[:5], "mallory@example.test", *verify[6:]])
    assert result.exit_code == 1 and "FAILED bundle: " in result.output
    artifact.write_bytes(b"patched\n")
    assert runner.invoke(app, verify).exit_code == 1
    # the staging root of the real public instance does not trust the fake's certificate
    staging = (
        Path(__file__).parents[1] / "fixtures/attest/sigstore-python/staging_trusted_root.json"
    )
    artifact.write_bytes(b"release artifact\n")
    result = runner.invoke(app, [*verify[:-1], str(staging)])
    assert result.exit_code == 1 and "FAILED bundle: " in result.output
    # a keyless attestation: DSSE in a bundle, verified with the identity
    (tmp_path / "sbom.json").write_text('{"bomFormat": "CycloneDX"}')
    result = runner.invoke(
        app,
        [
            "attest",
            str(artifact),
            "--keyless",
            "--predicate-type",
            "cyclonedx",
            "--predicate",
            str(tmp_path / "sbom.json"),
            "--bundle",
            str(tmp_path / "att.json"),
            "--trust-config",
            str(tmp_path / "trust.json"),
        ],
    )
    assert result.exit_code == 0, result.output
    attest_args = ["--attestation", str(tmp_path / "att.json"), "--attestation-type"]
    result = runner.invoke(app, [*verify, *attest_args, "cyclonedx"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, [*verify, *attest_args, "slsaprovenance"])
    assert (result.exit_code, result.output) == (
        1,
        "FAILED attestation: none of type slsaprovenance\n",
    )
    artifact.write_bytes(b"patched\n")
    result = runner.invoke(app, [*verify, *attest_args, "cyclonedx"])
    assert result.exit_code == 1
    assert "FAILED attestation: no subject has the artifact's digest" in result.output
