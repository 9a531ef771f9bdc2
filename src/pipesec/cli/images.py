"""``--image REF`` for ``scan`` and ``sbom``: REF resolved to a local image before the scan.

A path (an OCI layout directory, an OCI archive, a docker save tarball) is read in place. A
registry reference is pulled only with ``--pull`` (the one network use this flag opens);
without it, a local Docker or Podman is asked to export the image (``image save``) when
one is installed. A malformed REF is a usage error (exit 2); an image that cannot be read
or obtained is an input error (exit 3). Temporary copies are removed when pipesec exits.
"""

from __future__ import annotations

import atexit
import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from pipesec.core.errors import InputError, UsageError

log = logging.getLogger(__name__)

#: seconds a daemon export may take
EXPORT_TIMEOUT = 600


def _tempdir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="pipesec-image-"))
    atexit.register(shutil.rmtree, path, True)
    return path


def resolve(ref: str, platform: str, pull: bool) -> tuple[str, str, list[str]]:
    """(local path, name to show, notes) for one ``--image`` value."""
    from pipesec.scanners.containers.image import (
        ImageError,
        Platform,
        looks_like_path,
        open_local,
        parse_reference,
        split_local,
    )

    plat = Platform.parse(platform)
    if not ref.strip():
        raise UsageError("--image: empty image reference")
    if looks_like_path(ref):
        where, tag = split_local(ref)
        if not Path(where).expanduser().exists():
            raise InputError(ref, "no such image file or directory")
        image = open_local(ref, plat)  # raises ImageError (exit 3) when unreadable
        image.close()
        local = str(Path(where).expanduser().resolve())
        return (f"{local}:{tag}" if tag else local), ref, []
    parts = parse_reference(ref)  # UsageError when malformed
    notes: list[str] = []
    if pull:
        from pipesec.scanners.containers.registry import pull as do_pull

        dest = _tempdir()
        do_pull(parts, plat, dest)
        return str(dest), ref, notes
    exported, why = _export_from_daemon(ref, platform)
    if exported is not None:
        try:
            open_local(str(exported), plat).close()
        except ImageError:
            raise
        return str(exported), ref, notes
    raise InputError(
        ref,
        f"not a local image file and {why}; pass --pull to fetch it from the registry, or "
        "give an OCI layout / docker save tarball",
    )


def _export_from_daemon(ref: str, platform: str) -> tuple[Path | None, str]:
    """``docker image save`` (else ``podman``) of ``ref`` into a temporary tar."""
    tools = [t for t in ("docker", "podman") if shutil.which(t)]
    if not tools:
        return None, "no Docker or Podman CLI is installed to export it from a local daemon"
    for tool in tools:
        exe = shutil.which(tool)
        assert exe is not None
        try:
            inspect = subprocess.run(
                [exe, "image", "inspect", "--format", "{{.Id}}", "--", ref],
                capture_output=True,
                timeout=60,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.debug("%s image inspect failed: %s", tool, exc)
            continue
        if inspect.returncode != 0:
            continue
        out = _tempdir() / "image.tar"
        try:
            saved = subprocess.run(
                [exe, "image", "save", "-o", str(out), "--", ref],
                capture_output=True,
                timeout=EXPORT_TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise InputError(ref, f"{tool} image save failed: {exc}") from None
        if saved.returncode != 0:
            err = saved.stderr.decode("utf-8", "replace").strip().splitlines()
            raise InputError(ref, f"{tool} image save failed: {err[-1] if err else 'no output'}")
        return out, ""
    return None, f"{' and '.join(tools)} do(es) not have it locally"


def image_inputs(
    images: list[str] | None, platform: str | None, pull: bool
) -> dict[str, list[str]]:
    """The containers scanner's inputs for the ``--image`` values."""
    if not images:
        if pull:
            raise UsageError("--pull goes with --image")
        if platform:
            raise UsageError("--platform goes with --image")
        return {}
    from pipesec.scanners.containers import IMAGE_INPUT, IMAGE_NAME_INPUT, PLATFORM_INPUT

    plat = platform or "linux/amd64"
    paths, names = [], []
    for ref in images:
        path, name, notes = resolve(ref, plat, pull)
        for note in notes:
            log.warning("%s", note)
        paths.append(path)
        names.append(name)
    return {IMAGE_INPUT: paths, IMAGE_NAME_INPUT: names, PLATFORM_INPUT: [plat]}
