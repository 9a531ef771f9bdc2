"""pom.xml: declared dependencies with versions resolved from properties,
``dependencyManagement`` and parent POMs found inside the scanned tree (``relativePath``,
default ``../pom.xml``). Only what the POM states: transitive dependencies need a build.

DTDs and entities are refused (no XXE, no entity expansion).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.parsers import expat

from pipesec.scanners.deps.ecosystems import MAVEN
from pipesec.scanners.deps.interface import (
    LockfileError,
    Package,
    ParseResult,
    Problem,
    SiblingReader,
    SimpleSource,
)

MAX_PARENTS = 8
_PROP = re.compile(r"\$\{([^}]+)\}")


@dataclass
class Node:
    tag: str
    line: int
    text: str = ""
    children: list[Node] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)

    def find(self, tag: str) -> Node | None:
        for c in self.children:
            if c.tag == tag:
                return c
        return None

    def findall(self, tag: str) -> list[Node]:
        return [c for c in self.children if c.tag == tag]

    def get(self, tag: str) -> str:
        c = self.find(tag)
        return c.text.strip() if c is not None else ""


def parse_xml(text: str) -> Node:
    """A small element tree with line numbers; namespaces are dropped from tags."""
    parser = expat.ParserCreate()
    stack: list[Node] = []
    root: list[Node] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        node = Node(
            tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1], parser.CurrentLineNumber, attrs=attrs
        )
        if stack:
            stack[-1].children.append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(tag: str) -> None:
        stack.pop()

    def data(s: str) -> None:
        if stack:
            stack[-1].text += s

    def doctype(*_: object) -> None:
        raise LockfileError("DOCTYPE declarations are not allowed", parser.CurrentLineNumber)

    def entity(*_: object) -> None:
        raise LockfileError("entity declarations are not allowed", parser.CurrentLineNumber)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(text, True)
    except expat.ExpatError as exc:
        raise LockfileError(
            f"invalid XML: {expat.ErrorString(exc.code)}", exc.lineno, exc.offset + 1
        ) from None
    if not root:
        raise LockfileError("invalid XML: no root element", 1)
    return root[0]


@dataclass
class Pom:
    props: dict[str, str]
    managed: dict[str, str]


def _load_chain(project: Node, sibling: SiblingReader, base: str) -> Pom:
    """Properties and managed versions of the parents (outermost first), then this POM."""
    chain: list[Node] = [project]
    cur, cur_base = project, base
    for _ in range(MAX_PARENTS):
        parent = cur.find("parent")
        if parent is None:
            break
        rel_node = parent.find("relativePath")
        if rel_node is not None and not rel_node.text.strip():
            break  # <relativePath/>: the parent comes from a repository, not this tree
        rel = parent.get("relativePath") or "../pom.xml"
        if not rel.endswith(".xml"):
            rel = rel.rstrip("/") + "/pom.xml"
        path = _join(cur_base, rel)
        text = sibling(path) if path is not None else None
        if text is None:
            break
        try:
            node = parse_xml(text)
        except LockfileError:
            break
        if node.get("artifactId") != parent.get("artifactId"):
            break
        chain.append(node)
        cur, cur_base = node, path.rsplit("/", 1)[0] if path and "/" in path else ""
    props: dict[str, str] = {}
    managed: dict[str, str] = {}
    for node in reversed(chain):
        for p in (node.find("properties") or Node("", 0)).children:
            props[p.tag] = p.text.strip()
        gid = node.get("groupId") or (node.find("parent") or Node("", 0)).get("groupId")
        ver = node.get("version") or (node.find("parent") or Node("", 0)).get("version")
        props.update(
            {
                "project.groupId": gid,
                "project.version": ver,
                "pom.version": ver,
                "version": ver,
                "project.artifactId": node.get("artifactId"),
                "project.parent.version": (node.find("parent") or Node("", 0)).get("version"),
            }
        )
        dm = node.find("dependencyManagement")
        deps = dm.find("dependencies") if dm is not None else None
        for d in deps.findall("dependency") if deps is not None else []:
            managed[f"{d.get('groupId')}:{d.get('artifactId')}"] = d.get("version")
    return Pom(props, managed)


def _join(base: str, rel: str) -> str | None:
    parts = [p for p in base.split("/") if p] if base else []
    for part in rel.replace("\\", "/").split("/"):
        if part in ("", "."):
            continue
        if part == ".." and parts and parts[-1] != "..":
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts) or None


def resolve(value: str, props: dict[str, str], pattern: re.Pattern[str] = _PROP) -> str:
    """``${name}`` (or ``pattern``'s group 1) replaced from props, nested up to 10 deep."""
    for _ in range(10):
        new = pattern.sub(lambda m: props.get(m.group(1), m.group(0)), value)
        if new == value:
            break
        value = new
    return value


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    project = parse_xml(text)
    if project.tag != "project":
        raise LockfileError(f"not a Maven POM: root element is <{project.tag}>", project.line)
    pom = _load_chain(project, sibling, "")
    result = ParseResult()
    roots: dict[str, str] = {}
    deps = project.find("dependencies")
    for d in deps.findall("dependency") if deps is not None else []:
        group = resolve(d.get("groupId"), pom.props)
        artifact = resolve(d.get("artifactId"), pom.props)
        name = f"{group}:{artifact}"
        declared = d.get("version") or pom.managed.get(name, "")
        version = resolve(declared, pom.props)
        scope_tag = d.get("scope")
        scope = (
            "dev" if scope_tag == "test" else "optional" if d.get("optional") == "true" else "prod"
        )
        if scope_tag in ("system", "import"):
            continue
        art = d.find("artifactId")
        line = art.line if art is not None else d.line
        pkg = Package(MAVEN, name, version, line, direct=True, scope=scope)
        if not version:
            pkg.pinned = False
            pkg.key = f"spec:{name}"
            pkg.spec = "no version (not in the POM, its dependencyManagement or parents here)"
        elif "${" in version:
            result.problems.append(
                Problem(f"{name}: cannot resolve version {version!r} inside the repository", line)
            )
            pkg.pinned = False
            pkg.key = f"spec:{name}"
            pkg.spec = version
            pkg.version = ""
        elif exact := re.fullmatch(r"\[\s*([^\[\](),\s]+)\s*\]", version):
            pkg.version = exact.group(1)  # [1.2.3]: exactly this version (a hard pin)
            pkg.key = f"{name}@{pkg.version}"
        elif re.search(r"[\[\](),]", version):
            # a range (written in place or held by a property): kept as the spec, so the
            # dependency is reported unpinned with what was declared, never dropped
            pkg.pinned = False
            pkg.key = f"spec:{name}:{version}"
            pkg.spec = version if declared == version else f"{declared} = {version}"
            pkg.version = ""
        result.packages.append(pkg)
        roots[pkg.key] = scope
    result.roots = roots
    return result


SOURCE = SimpleSource("pom.xml", ("pom.xml",), parse)
