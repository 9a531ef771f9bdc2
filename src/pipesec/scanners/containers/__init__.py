"""The containers scanner (issue 17): container images given with ``--image``.

It runs only when the command line names an image (``settings.inputs["image"]``: local
paths the CLI resolved, an OCI layout, an OCI archive or a docker save tar). This module
stays light; the work is in :mod:`.scanner`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipesec.core.model import Rule
    from pipesec.core.scanner import ScanItem, ScannerSettings
    from pipesec.core.workspace import Workspace

IMAGE_INPUT = "image"
PLATFORM_INPUT = "platform"
#: the name the operator gave each image (a registry reference, a daemon image), by position
IMAGE_NAME_INPUT = "image-name"


class ContainersScanner:
    name = "containers"
    default = True

    def __init__(self) -> None:
        #: rules of other scanners whose findings this scan reported (secrets in layers,
        #: vulnerable packages): the report needs their metadata
        self._borrowed: list[Rule] = []

    def rules(self) -> Sequence[Rule]:
        from pipesec.scanners.containers.config_checks import RULES
        from pipesec.scanners.containers.os.eol import BASE_OS_EOL  # lives with the EOL table

        return [*RULES, BASE_OS_EOL, *self._borrowed]

    def _borrow(self) -> None:
        from pipesec.scanners.deps.rules import VULNERABLE_PACKAGE
        from pipesec.scanners.secrets.rules import all_rules

        self._borrowed = [VULNERABLE_PACKAGE, *(r.to_rule() for r in all_rules())]

    def scan(self, workspace: Workspace, settings: ScannerSettings) -> Iterator[ScanItem]:
        images = settings.inputs.get(IMAGE_INPUT) or []
        if not images:
            return
        from pipesec.core.model import ScanError
        from pipesec.scanners.containers.image import ImageError, Platform, open_local
        from pipesec.scanners.containers.scanner import NAME, scan_image

        self._borrow()
        platform = Platform.parse((settings.inputs.get(PLATFORM_INPUT) or ["linux/amd64"])[0])
        names = list(settings.inputs.get(IMAGE_NAME_INPUT) or [])
        for i, path in enumerate(images):
            shown = names[i] if i < len(names) and names[i] else path
            try:
                image = open_local(path, platform)
            except ImageError as exc:
                yield ScanError(NAME, shown, exc.message)
                continue
            image.ref = shown
            try:
                yield from scan_image(image, settings)
            except ImageError as exc:
                yield ScanError(NAME, shown, str(exc))
            finally:
                image.close()
