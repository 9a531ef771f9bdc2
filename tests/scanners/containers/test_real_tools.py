"""Images written by real tools: umoci builds an OCI layout layer by layer (it computes the
whiteout of a deleted file itself) and skopeo converts it to an OCI archive and a docker
save tarball. Skipped, with the reason, where the Debian packages are not installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from tests.scanners.containers.test_images import _findings, _scan, _token

pytestmark = pytest.mark.skipif(
    not (shutil.which("umoci") and shutil.which("skopeo")),
    reason="umoci and skopeo (Debian packages) are not installed",
)


def _run(*args: str) -> None:
    subprocess.run(list(args), check=True, capture_output=True, timeout=120)


def test_umoci_and_skopeo_images_show_the_deleted_secret(tmp_path: Path) -> None:
    lay = f"{tmp_path}/lay"
    _run("umoci", "init", "--layout", lay)
    _run("umoci", "new", "--image", f"{lay}:app")
    _run("umoci", "unpack", "--rootless", "--image", f"{lay}:app", f"{tmp_path}/b1")
    root = tmp_path / "b1" / "rootfs"
    (root / "etc").mkdir()
    (root / "etc" / "os-release").write_text('ID=debian\nVERSION_ID="12"\n')
    (root / "app").mkdir()
    (root / "app" / ".env").write_text(f"TOKEN={_token()}\n")
    _run("umoci", "repack", "--image", f"{lay}:app", f"{tmp_path}/b1")
    _run("umoci", "unpack", "--rootless", "--image", f"{lay}:app", f"{tmp_path}/b2")
    (tmp_path / "b2" / "rootfs" / "app" / ".env").unlink()
    _run("umoci", "repack", "--image", f"{lay}:app", f"{tmp_path}/b2")
    _run("skopeo", "copy", "-q", f"oci:{lay}:app", f"docker-archive:{tmp_path}/save.tar:app:1")
    _run("skopeo", "copy", "-q", f"oci:{lay}:app", f"oci-archive:{tmp_path}/oci.tar")
    for ref in (f"{lay}:app", f"{tmp_path}/oci.tar", f"{tmp_path}/save.tar"):
        found = _findings(_scan(ref))
        secrets = [f for f in found if f.rule_id == "secrets/github-pat"]
        assert len(secrets) == 1, ref
        assert "still in layer 1" in secrets[0].message
        assert "image/runs-as-root" in {f.rule_id for f in found}
