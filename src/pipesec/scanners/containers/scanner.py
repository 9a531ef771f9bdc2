"""One image scan: layers indexed (or taken from the cache), secrets per layer, the merged
filesystem catalogued for OS and language packages, packages matched against the
vulnerability store with the deps scanner's code, config and hardening checks.

Every finding's location names the image digest, the layer and the path inside the image
(``image-<digest12>/layer-<N>-<digest12>/etc/app.env``); its identity starts with the full
image digest, so the same flaw in another image is another finding.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from pipesec.core.model import Component, Finding, Location, Note, ScanCount, ScanError
from pipesec.core.scanner import ScanItem, ScannerSettings, finding_from_rule
from pipesec.scanners.containers import config_checks as cc
from pipesec.scanners.containers.cache import LayerCache, cache_dir
from pipesec.scanners.containers.fs import ImageFS
from pipesec.scanners.containers.image import Image, ImageError, iter_chunks
from pipesec.scanners.containers.interface import InstalledPackage
from pipesec.scanners.containers.layers import (
    REG,
    LayerIndex,
    index_layer,
    merge,
    spool_layer,
)

log = logging.getLogger(__name__)

NAME = "containers"


def image_loc(image: Image) -> str:
    return f"image-{image.short}"


def layer_loc(image: Image, layer_pos: int, path: str) -> str:
    layer = image.layers[layer_pos]
    return f"{image_loc(image)}/layer-{layer.index}-{layer.digest.split(':')[-1][:12]}{path}"


class _Spools:
    """Uncompressed layer tars, made on first use and closed at the end."""

    def __init__(self, image: Image) -> None:
        self.image = image
        self.open: dict[int, IO[bytes]] = {}

    def get(self, pos: int) -> IO[bytes]:
        if pos not in self.open:
            self.open[pos] = spool_layer(self.image, self.image.layers[pos])
        return self.open[pos]

    def close(self) -> None:
        for f in self.open.values():
            with contextlib.suppress(OSError):
                f.close()
        self.open.clear()


def _blob_matches(image: Image, digest: str) -> bool:
    h = hashlib.sha256()
    with image.open_blob(digest) as f:
        for chunk in iter_chunks(f):
            h.update(chunk)
    return "sha256:" + h.hexdigest() == digest


def _salt(settings: ScannerSettings, engine: Any) -> str:
    from pipesec import __version__
    from pipesec.scanners.secrets.engine import rules_hash

    key = hashlib.sha256(settings.fingerprint_key).hexdigest()
    return f"{__version__}|{rules_hash(engine.rules)}|{key}"


def _engine(settings: ScannerSettings) -> Any:
    from pipesec.scanners.secrets import engine_for

    return engine_for(settings.disabled_rules)


def scan_image(image: Image, settings: ScannerSettings) -> Iterator[ScanItem]:
    from pipesec.scanners.containers.layer_secrets import from_json, scan_layer, to_json

    engine = _engine(settings)
    cache = LayerCache(cache_dir(), _salt(settings, engine))
    spools = _Spools(image)
    indexes: list[LayerIndex] = []
    layer_secrets: list[list[Finding]] = []
    try:
        for pos, layer in enumerate(image.layers):
            doc = cache.load(layer.digest)
            if doc is not None and _blob_matches(image, layer.digest):
                idx = LayerIndex.from_json(layer, doc["index"])
                found = [from_json(d) for d in doc["secrets"]]
            else:
                spool = spools.get(pos)
                idx = index_layer(layer, spool)
                found = scan_layer(engine, idx, spool, settings.fingerprint_key)
                cache.store(
                    layer.digest, {"index": idx.to_json(), "secrets": [to_json(f) for f in found]}
                )
            indexes.append(idx)
            layer_secrets.append(found)
            for problem in idx.problems:
                yield ScanError(NAME, layer_loc(image, pos, ""), problem)
        merged = merge(indexes)
        fs = ImageFS(merged, indexes, spools.get)
        yield ScanCount(NAME, files=sum(len(i.entries) for i in indexes))
        if cache.hits:
            yield Note(
                NAME,
                image_loc(image),
                f"{cache.hits} of {len(image.layers)} layers' results taken from the cache",
                "cache",
            )
        yield from _layer_secret_findings(image, fs, layer_secrets)
        yield from _config_secrets(image, engine, settings)
        os_info, packages, problems = catalog(fs)
        for p in problems:
            yield ScanError(NAME, image_loc(image), p)
        yield from _packages(image, fs, packages, settings, os_info)
        yield from _config_findings(image, fs, os_info, settings)
    finally:
        spools.close()


# -- secrets -------------------------------------------------------------------------------


def _layer_secret_findings(
    image: Image, fs: ImageFS, per_layer: list[list[Finding]]
) -> Iterator[Finding]:
    for pos, found in enumerate(per_layer):
        layer = image.layers[pos]
        for f in found:
            path = f.location.path
            placed = fs.entry(path)
            gone = placed is None or placed.layer != pos
            props = {
                **f.properties,
                "image": image.ref,
                "image_digest": image.digest,
                "layer": layer.index,
                "layer_digest": layer.digest,
                "path_in_image": path,
            }
            message = f.message
            if gone:
                props["deleted_in_later_layer"] = True
                message += (
                    f" (in {path}, deleted or replaced by a later layer: still in layer "
                    f"{layer.index}, {layer.digest}, which anyone who pulls the image gets)"
                )
            else:
                message += f" (in {path}, layer {layer.index})"
            yield replace(
                f,
                scanner=NAME,
                message=message,
                location=replace(f.location, path=layer_loc(image, pos, path)),
                identity=f"{image.digest}:{layer.digest}:{path}:{f.identity}",
                properties=props,
            )


def _config_texts(image: Image) -> list[tuple[str, str]]:
    """(where, text) of the config's ENV, labels and history, one line each."""
    out = [(f"config Env {n}", f"{n}={v}") for n, v in cc.env_pairs(image.config)]
    out += [(f"config Labels {n}", f"{n}={v}") for n, v in cc.labels(image.config)]
    out += [(f"history step {i + 1}", t) for i, t in enumerate(cc.history(image.config))]
    return out


def _config_secrets(image: Image, engine: Any, settings: ScannerSettings) -> Iterator[Finding]:
    from pipesec.scanners.secrets.findings import make_finding

    key = settings.fingerprint_key
    where = f"{image_loc(image)}/config"
    seen_lines: set[str] = set()
    # lines the image/* rules report themselves: the generic assignment rules stay quiet
    own = {f"config Env {n}" for n, v in cc.env_pairs(image.config) if cc.secret_assignment(n, v)}
    own |= {
        f"history step {a.step + 1}"
        for a in cc.build_args(cc.history(image.config))
        if cc.secret_assignment(a.name, a.value)
    }
    for label, text in _config_texts(image):
        for m in engine.scan_text(text, path="config.json"):
            if label in own and "generic" in m.rule.tags:
                continue
            seen_lines.add(label)
            f = make_finding(m, where, key, line_text=text)
            yield replace(
                f,
                scanner=NAME,
                message=f"{f.message} (image {label})",
                identity=f"{image.digest}:config:{label}:{f.identity}",
                properties={**f.properties, "image": image.ref, "image_digest": image.digest},
            )
    enabled = cc.SECRET_IN_ENV.id not in settings.disabled_rules
    for name, value in cc.env_pairs(image.config):
        if enabled and f"config Env {name}" not in seen_lines and cc.secret_assignment(name, value):
            yield _config_finding(
                image,
                cc.SECRET_IN_ENV,
                f"ENV {name} holds a literal credential in the image config",
                f"env:{name}",
                snippet=f"{name}={_masked(value)}",
                secret=value,
                key=key,
            )
    steps = cc.history(image.config)
    for arg in cc.build_args(steps):
        label = f"history step {arg.step + 1}"
        if label in seen_lines or not cc.secret_assignment(arg.name, arg.value):
            continue
        yield _config_finding(
            image,
            cc.SECRET_IN_BUILD_ARG,
            f"build argument {arg.name} is recorded with its value in the image history ({label})",
            f"arg:{arg.name}",
            snippet=f"{arg.name}={_masked(arg.value)}",
            secret=arg.value,
            key=key,
        )


def _masked(value: str) -> str:
    from pipesec.core import redact

    return redact.preview(value)


def _config_finding(
    image: Image,
    rule: Any,
    message: str,
    what: str,
    *,
    path: str = "",
    snippet: str = "",
    secret: str | None = None,
    key: bytes = b"",
    **extra: Any,
) -> Finding:
    from pipesec.core.fingerprints import secret_identity

    ident = secret_identity(secret, key) if secret is not None else what
    props = {"image": image.ref, "image_digest": image.digest, **extra.pop("properties", {})}
    return finding_from_rule(
        rule,
        NAME,
        path=path or f"{image_loc(image)}/config",
        message=message,
        snippet=snippet,
        identity=f"{image.digest}:{what}:{ident}",
        properties=props,
        **extra,
    )


# -- packages ------------------------------------------------------------------------------


def _entry_point(module: str, name: str) -> Callable[..., Any] | None:
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            return None
        raise
    fn = getattr(mod, name, None)
    return fn if callable(fn) else None


def catalog(fs: Any) -> tuple[Any, list[InstalledPackage], list[str]]:
    """OS packages (``containers/os``) and language packages (``containers/installed``)."""
    packages: list[InstalledPackage] = []
    problems: list[str] = []
    os_info = None
    catalog_os = _entry_point("pipesec.scanners.containers.os", "catalog_os")
    if catalog_os is not None:
        os_info, found, probs = catalog_os(fs)
        packages += found
        problems += probs
    else:
        log.debug("no OS package cataloguer installed")
    catalog_installed = _entry_point("pipesec.scanners.containers.installed", "catalog_installed")
    if catalog_installed is not None:
        found, probs = catalog_installed(fs)
        packages += found
        problems += probs
    return os_info, packages, problems


def _component(image: Image, fs: ImageFS, pkg: InstalledPackage) -> Component:
    try:
        pos = fs.layer_of(pkg.path) - 1
    except OSError:
        pos = len(image.layers) - 1
    return Component(
        ecosystem=pkg.ecosystem,
        name=pkg.name,
        version=pkg.version,
        purl=pkg.purl,
        location=Location(layer_loc(image, pos, pkg.path)),
        licenses=pkg.licenses,
    )


def _packages(
    image: Image,
    fs: ImageFS,
    packages: list[InstalledPackage],
    settings: ScannerSettings,
    os_info: Any,
) -> Iterator[ScanItem]:
    from pipesec.scanners.deps.interface import Package, ParseResult
    from pipesec.scanners.deps.scanner import Input, _Comp

    comps: list[tuple[InstalledPackage, _Comp]] = []
    seen: set[tuple[str, str, str, str]] = set()
    for pkg in packages:
        key = (pkg.ecosystem, pkg.name, pkg.version, pkg.path)
        if key in seen:
            continue
        seen.add(key)
        comp = _component(image, fs, pkg)
        yield comp
        inp = Input(pkg.path, "image", ParseResult())
        comps.append((pkg, _Comp(inp, Package(pkg.ecosystem, pkg.name, pkg.version), comp)))
    if comps:
        yield from _vulnerable(image, comps, settings, os_info)


_OS_PURLS = ("pkg:deb/", "pkg:apk/", "pkg:rpm/")


def _vulnerable(
    image: Image, comps: list[tuple[InstalledPackage, Any]], settings: ScannerSettings, os_info: Any
) -> Iterator[ScanItem]:
    """Advisories of every package: OS packages through ``containers/os/match`` (source
    package keys, Ubuntu's release variants) when installed, the rest (and OS packages
    without it: binary and source key) through the deps scanner's ``_match``."""
    from pipesec import vulndb
    from pipesec.scanners.deps.interface import Package
    from pipesec.scanners.deps.scanner import (
        DepsSettings,
        _Comp,
        _match,
        _unscored,
        _vuln_finding,
    )

    opts = DepsSettings()  # the store: $PIPESEC_DB, else the user's default database
    db_path = vulndb.resolve_db_path(opts.db, Path.cwd())
    try:
        opts = opts.model_copy(update={"unscored_severity": _unscored(opts, settings)})
        db = vulndb.open_db(db_path, unscored_severity=opts.unscored_severity or "medium")
    except vulndb.DatabaseError as exc:
        yield ScanError(NAME, image_loc(image), f"{len(comps)} packages cannot be checked: {exc}")
        return
    os_name = ""
    if os_info is not None:
        os_name = getattr(os_info, "pretty_name", "") or (
            f"{getattr(os_info, 'id', '')} {getattr(os_info, 'version_id', '')}".strip()
        )
    try:
        match_os = _entry_point("pipesec.scanners.containers.os.match", "match_os_packages")
        lookup = _entry_point("pipesec.scanners.containers.os.match", "lookup_key")
        os_pkgs = [p for p, _ in comps if p.purl.startswith(_OS_PURLS)] if match_os else []
        os_found: dict[InstalledPackage, list[Any]] = {}
        if match_os is not None and os_pkgs:
            os_found = match_os(db, os_pkgs)
        keys: list[tuple[str, str, str]] = []
        for pkg, _ in comps:
            if pkg in os_found:
                continue
            keys.append((pkg.ecosystem, pkg.name, pkg.version))
            if pkg.source_name and pkg.source_name != pkg.name:
                keys.append((pkg.ecosystem, pkg.source_name, pkg.source_version or pkg.version))
        matches = _match(db, db_path, keys, opts) if keys else {}
        for pkg, c in comps:
            version = pkg.version
            if pkg in os_found:
                advs = os_found[pkg]
                if lookup is not None:
                    version = lookup(pkg)[1]
            else:
                advs = list(matches.get((pkg.ecosystem, pkg.name, pkg.version), []))
                if pkg.source_name and pkg.source_name != pkg.name:
                    src = (pkg.ecosystem, pkg.source_name, pkg.source_version or pkg.version)
                    have = {a.id for a in advs}
                    advs += [a for a in matches.get(src, []) if a.id not in have]
            for adv in advs:
                at = _Comp(c.input, Package(pkg.ecosystem, pkg.name, version), c.component)
                f = _vuln_finding(at, adv, None)
                props = {
                    **f.properties,
                    "image": image.ref,
                    "image_digest": image.digest,
                    "path_in_image": pkg.path,
                    "purl": pkg.purl,
                }
                if os_name and pkg.purl.startswith(_OS_PURLS):
                    props["operating_system"] = os_name
                if pkg.source_name and pkg.source_name != pkg.name:
                    props["source_package"] = pkg.source_name
                yield replace(
                    f,
                    scanner=NAME,
                    message=f"{f.message} (in {pkg.path} of image {image.ref})",
                    identity=f"{image.digest}:{pkg.path}:{f.identity}",
                    properties=props,
                )
    finally:
        db.close()


# -- config and hardening ------------------------------------------------------------------


def _eol(image: Image, fs: ImageFS, os_info: Any) -> Finding | None:
    """``image/base-os-eol`` from the EOL table of ``containers/os/eol.py`` (the shipped
    table, or the one ``db sync`` refreshed beside the database), when installed."""
    if os_info is None:
        return None
    try:
        mod = importlib.import_module("pipesec.scanners.containers.os.eol")
    except ModuleNotFoundError:
        return None
    import datetime as dt

    from pipesec import vulndb

    table, source = mod.load_table(vulndb.resolve_db_path(None, Path.cwd()))
    status = mod.eol(os_info, dt.date.today(), table, source)
    if status is None:
        return None
    path = getattr(os_info, "path", "") or ""
    where = Location(_where(image, fs, path) if path else f"{image_loc(image)}/config")
    f: Finding | None = mod.eol_finding(status, os_info, where)
    if f is None:
        return None
    return replace(
        f,
        identity=f"{image.digest}:eol:{f.identity}",
        properties={**f.properties, "image": image.ref, "image_digest": image.digest},
    )


def _config_findings(
    image: Image, fs: ImageFS, os_info: Any, settings: ScannerSettings
) -> Iterator[Finding]:
    cfg = image.config
    if cc.user_is_root(cfg):
        inner = cfg.get("config")
        user = (inner or {}).get("User") if isinstance(inner, dict) else None
        yield _config_finding(
            image,
            cc.RUNS_AS_ROOT,
            "the image runs as root: "
            + (f"USER is {user!r}" if user else "its config sets no USER"),
            "root",
            snippet=f"User: {user or ''}",
        )
    for i, url in cc.remote_adds(cc.history(cfg)):
        from pipesec.scanners.deps.scanner import safe

        yield _config_finding(
            image,
            cc.ADD_REMOTE_URL,
            f"history step {i + 1} ADDs {safe(url)[:200]} without a checksum",
            f"add:{safe(url)}",
            snippet=safe(url)[:200],
        )
    for port in cc.exposed_ports(cfg):
        if port.split("/")[0] == "22":
            yield _config_finding(
                image, cc.SSH_PORT, f"the image exposes port {port} (SSH)", f"port:{port}"
            )
    shells = [p for p in cc.SHELLS if fs.exists(p)]
    if shells:
        yield _config_finding(
            image,
            cc.SHELL_PRESENT,
            f"the final image holds a shell: {', '.join(shells)}",
            "shell",
            path=_where(image, fs, shells[0]),
            snippet=shells[0],
        )
    managers = [p for p in cc.PACKAGE_MANAGERS if fs.exists(p)]
    if managers:
        yield _config_finding(
            image,
            cc.PACKAGE_MANAGER_PRESENT,
            f"the final image holds a package manager: {', '.join(managers)}",
            "package-manager",
            path=_where(image, fs, managers[0]),
            snippet=managers[0],
        )
    for path, placed in sorted(fs.placed().items()):
        e = placed.entry
        if e.kind == REG and cc.is_setuid(e.mode):
            bits = "setuid" if e.mode & 0o4000 else "setgid"
            yield _config_finding(
                image,
                cc.SETUID_BINARY,
                f"{path} is {bits} (mode {e.mode & 0o7777:04o}, owner uid {e.uid})",
                f"setuid:{path}",
                path=layer_loc(image, placed.layer, path),
                snippet=path,
            )
    if cc_enabled("image/base-os-eol", settings):
        eol = _eol(image, fs, os_info)
        if eol is not None:
            yield eol


def cc_enabled(rule_id: str, settings: ScannerSettings) -> bool:
    return rule_id not in settings.disabled_rules


def _where(image: Image, fs: ImageFS, path: str) -> str:
    placed = fs.entry(path)
    return layer_loc(image, placed.layer if placed else len(image.layers) - 1, path)


def inventory(path: str, name: str, platform: str) -> tuple[list[Component], list[str]]:
    """The components of an image (``pipesec sbom --image``): no secrets, no matching."""
    from pipesec.scanners.containers.image import Platform, open_local

    image = open_local(path, Platform.parse(platform))
    image.ref = name
    spools = _Spools(image)
    try:
        indexes = [index_layer(layer, spools.get(pos)) for pos, layer in enumerate(image.layers)]
        fs = ImageFS(merge(indexes), indexes, spools.get)
        _, packages, problems = catalog(fs)
        problems = [p for idx in indexes for p in idx.problems] + problems
        comps: dict[tuple[str, Location | None], Component] = {}
        for pkg in packages:
            comp = _component(image, fs, pkg)
            comps.setdefault((comp.purl, comp.location), comp)
        return list(comps.values()), problems
    except ImageError as exc:
        return [], [str(exc)]
    finally:
        spools.close()
        image.close()
