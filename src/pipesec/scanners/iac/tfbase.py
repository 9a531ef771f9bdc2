"""The pieces every Terraform rule module shares: the registry, a module view, hit helpers.

Checks run on one evaluated module instance (:class:`ModuleView`) and yield
``(path, Hit)``: the line of the offending attribute, or of the block that lacks a
setting. Values that cannot be known statically (references, functions) never fire.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from pipesec.scanners.iac.common import (
    Hit,
    Registry,
    is_world,
)
from pipesec.scanners.iac.hcl import Attr, Block, Expr

REGISTRY = Registry()
R = REGISTRY.rule
TfHit = tuple[str, Hit]


@dataclass
class ModuleView:
    """The evaluated blocks of one module instance."""

    blocks: list[Block] = field(default_factory=list)
    #: blocks with no instance (``count = 0``, an empty ``for_each``): only the secret
    #: checks read them
    dormant: list[Block] = field(default_factory=list)
    #: (block type, kind) -> (position, block): rules look resources up per resource, so a
    #: scan over the list each time would be quadratic in a module's size
    _index: dict[tuple[str, str], list[tuple[int, Block]]] | None = field(
        default=None, repr=False, compare=False
    )
    #: id(block) -> (block, its CEL map), for the data rules
    _cel: dict[int, tuple[Block, Any]] | None = field(default=None, repr=False, compare=False)
    #: companion resources written in another module (the caller's
    #: ``aws_s3_bucket_versioning`` with ``bucket = module.s3.id``, a called module's
    #: ``aws_flow_log`` with ``vpc_id = var.vpc_id``), their references rewritten to this
    #: module's names: :meth:`linked` reads them, no check reports them (``tfproject``)
    outside: list[Block] = field(default_factory=list)
    #: provider type -> the major version the module's ``.terraform.lock.hcl`` locks
    #: (HashiCorp's providers only; empty without a lock file): rules whose setting's default
    #: changed across provider versions read it (``providers.aws < 6``)
    providers: dict[str, int] = field(default_factory=dict)
    _providers_cel: Any = field(default=None, repr=False, compare=False)
    #: the resources that calls of well-known registry modules configure
    #: (``terraform-aws-modules/rds/aws``): only the data rules read them (:mod:`.tf_registry`)
    _registry: list[Block] | None = field(default=None, repr=False, compare=False)
    #: the values :meth:`linked` (and :meth:`links`) read, indexed by what they hold
    _links: dict[Any, Links] | None = field(default=None, repr=False, compare=False)
    #: the module's ``aws_iam_policy_document`` data sources by name, for :meth:`cel`
    _documents: dict[str, Block] | None = field(default=None, repr=False, compare=False)
    #: the documents rendered (by name), and their CEL values by the rendered dict's id
    #: (the view keeps the dicts, so the ids stay theirs): each converted once per view
    _rendered: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _shared: dict[int, Any] = field(default_factory=dict, repr=False, compare=False)

    def _of_kinds(self, block_type: str, types: tuple[str, ...]) -> Iterator[Block]:
        if self._index is None:
            index: dict[tuple[str, str], list[tuple[int, Block]]] = {}
            for i, b in enumerate(self.blocks):
                index.setdefault((b.type, b.kind), []).append((i, b))
            self._index = index
        found = [self._index.get((block_type, t), []) for t in dict.fromkeys(types)]
        if len(found) == 1:
            return (b for _, b in found[0])
        return (b for _, b in sorted(chain.from_iterable(found), key=lambda e: e[0]))

    def providers_cel(self) -> Any:
        """:attr:`providers` as a CEL map (``providers`` of the data rules), made once."""
        if self._providers_cel is None:
            from pipesec.scanners.iac.cel import to_cel

            self._providers_cel = to_cel(self.providers)
        return self._providers_cel

    def cel(self, block: Block) -> Any:
        """The resource's attributes as a CEL map (converted once per view); a policy given
        as a reference to an ``aws_iam_policy_document``'s ``json`` reads as the document."""
        if self._cel is None:
            self._cel = {}
        found = self._cel.get(id(block))
        if found is None:
            from pipesec.scanners.iac.cel import to_cel
            from pipesec.scanners.iac.datarules import block_to_map

            value = self.policy(block_to_map(block))
            for doc in self._rendered.values():
                self._shared.setdefault(id(doc), None)
            found = self._cel[id(block)] = (block, to_cel(value, shared=self._shared))
        return found[1]

    def policy(self, value: Any) -> Any:
        """``value`` with every reference to an ``aws_iam_policy_document`` of the module's
        ``json`` replaced by the policy the document renders (:mod:`.tf_policydoc`)."""
        if self._documents is None:
            self._documents = {
                d.labels[1]: d
                for d in reversed(list(self.data("aws_iam_policy_document")))
                if len(d.labels) >= 2
            }
        if not self._documents:
            return value
        from pipesec.scanners.iac.tf_policydoc import render_documents

        return render_documents(value, self._documents, self._rendered)

    def kinds(self) -> frozenset[str]:
        """The resource types of the module (registry module calls' among them), and its data
        sources' as ``data.<type>``."""
        return frozenset(
            b.kind if b.type == "resource" else f"data.{b.kind}"
            for b in chain(self.blocks, self._registry_blocks())
            if b.type in ("resource", "data")
        )

    def _registry_blocks(self) -> list[Block]:
        if self._registry is None:
            from pipesec.scanners.iac.tf_registry import registry_resources

            self._registry = registry_resources(self.of_type("module"))
        return self._registry

    def registry(self, *types: str) -> Iterator[Block]:
        """The resources of ``types`` that registry module calls configure (data rules only:
        what else such a module creates is not known)."""
        return (b for b in self._registry_blocks() if b.kind in types)

    def resources(self, *types: str) -> Iterator[Block]:
        return self._of_kinds("resource", types)

    def data(self, *types: str) -> Iterator[Block]:
        return self._of_kinds("data", types)

    def of_type(self, block_type: str) -> Iterator[Block]:
        for b in self.blocks:
            if b.type == block_type:
                yield b

    def linked(
        self, target: Block, types: Iterable[str], attr: str = "bucket", name: str = "bucket"
    ) -> list[Block]:
        """Resources of ``types`` whose ``attr`` refers to ``target`` (by address, or by the
        value of the target's ``name`` attribute)."""
        types = tuple(types)

        def entries() -> list[tuple[Block, Any, Block]]:
            found = chain(self.resources(*types), (b for b in self.outside if b.kind in types))
            return [(b, b.value(attr), b) for b in found]

        return self.links((types, attr), entries).to(target, target.value(name))

    def links(self, key: Any, entries: Callable[[], list[tuple[Block, Any, Block]]]) -> Links:
        """The :class:`Links` of ``entries``, made once per view under ``key``."""
        if self._links is None:
            self._links = {}
        found = self._links.get(key)
        if found is None:
            found = self._links[key] = Links(entries())
        return found


#: the words of a reference: a match of :meth:`Expr.refers_to` holds the address's last word
#: whole (it is bounded by the address's own separator and by the lookahead)
_WORD = re.compile(r"[\w-]+")


class Links:
    """Values that may refer to a block, indexed by the words they hold, so that finding the
    values that refer to one target costs its few candidates, not every value (each bucket
    against each bucket-configuration resource was quadratic: 800 buckets with their four
    companions cost 11.5 s). An entry is (the block that holds the value, the value, what to
    return); :func:`refers` decides among the candidates, so the answer is the same."""

    def __init__(self, entries: list[tuple[Block, Any, Block]]) -> None:
        self.entries = entries
        self._words: dict[str, dict[str, list[int]]] | None = None
        self.by_key: dict[str | tuple[str, str], list[int]] = {}
        for i, (b, v, _) in enumerate(entries):
            keys: set[str | tuple[str, str]]
            if isinstance(v, str):
                keys = {("literal", v)}
            elif isinstance(v, Expr):
                keys = {("expr", v.text), *_WORD.findall(v.text)}
                fe = _for_each(b)
                if fe is not None and v.text.startswith("each.value"):
                    keys.update(_WORD.findall(fe))
            else:
                continue
            for key in keys:
                self.by_key.setdefault(key, []).append(i)

    def to(self, target: Block, name: Any) -> list[Block]:
        """What the entries whose value refers to ``target`` return, in entry order."""
        words = _WORD.findall(target.address)
        if len(words) < 2:
            found = set(range(len(self.entries)))
        else:
            found = set(self.by_key.get(words[-1], ()))
        if isinstance(name, str):
            found.update(self.by_key.get(("literal", name), ()))
        elif isinstance(name, Expr):
            found.update(self.by_key.get(("expr", name.text), ()))
        return [
            self.entries[i][2]
            for i in sorted(found)
            if refers(self.entries[i][0], self.entries[i][1], target, name, self._mentions)
        ]

    def _mentions(self, text: str, address: str) -> bool:
        """``Expr(text).refers_to(address)``. A long value is a candidate for every target
        it names (one policy listing every bucket of the module), so searching it per
        target was quadratic; it is indexed once by its words instead, and a target costs
        the occurrences of its address's last word."""
        if len(text) < _LONG:
            return Expr(text).refers_to(address)
        if self._words is None:
            self._words = {}
        words = self._words.get(text)
        if words is None:
            words = self._words[text] = {}
            for m in _WORD.finditer(text):
                words.setdefault(m.group(), []).append(m.start())
        return mentions(text, words, address)


_EACH = re.compile(r"(?<![\w.])each\.")
#: an unknown value that names one thing wherever it is written (not "known after apply")
_NAMED = re.compile(r"(?:var|local|each)\.[\w.\[\]\"-]+")


def _for_each(b: Block) -> str | None:
    fe = b.value("for_each")
    return fe.text if isinstance(fe, Expr) else None


#: a value at least this long is indexed by its words (:meth:`Links._mentions`)
_LONG = 512
#: nothing of a reference before its address (:func:`hcl._reference`'s lookbehind)
_STARTS = re.compile(r"(?<![\w.])")


def mentions(text: str, words: dict[str, list[int]], address: str) -> bool:
    """``Expr(text).refers_to(address)``, with ``words`` the starts of each
    whole ``[\\w-]+`` word of ``text``: a match ends with the address's last word, whole
    (after the address's own dot, before the lookahead), so only where that word stands
    can one end."""
    dot = address.rfind(".")
    last = address[dot + 1 :]
    if dot < 0 or not _WORD.fullmatch(last):
        return Expr(text).refers_to(address)
    for p in words.get(last, ()):
        i = p + len(last) - len(address)
        if i >= 0 and text.startswith(address, i) and _STARTS.match(text, i):
            return True
    return False


def _plain(text: str, address: str) -> bool:
    return Expr(text).refers_to(address)


def refers(
    b: Block,
    v: Any,
    target: Block,
    name: Any = None,
    mention: Callable[[str, str], bool] = _plain,
) -> bool:
    """``v``, the value of one of ``b``'s attributes, is ``target``: a reference to its
    address; ``each.value...`` in a block whose ``for_each`` iterates over ``target``'s
    resource (``for_each = aws_s3_bucket.data``: one instance per bucket); or the same
    value as ``name`` (the target's own name attribute): the same literal, or the same
    expression (``var.name`` in both, ``each.value`` under the same ``for_each``)."""
    if isinstance(v, str):
        return isinstance(name, str) and v == name
    if not isinstance(v, Expr):
        return False
    if mention(v.text, target.address):
        return True
    fe = _for_each(b)
    if fe is not None and v.text.startswith("each.value") and mention(fe, target.address):
        return True
    if not (isinstance(name, Expr) and name.text == v.text and _NAMED.fullmatch(v.text)):
        return False
    return not _EACH.search(v.text) or (fe is not None and fe == _for_each(target))


def at_attr(block: Block, a: Attr, message: str = "", key: str = "") -> TfHit:
    return block.path, Hit(a.line, a.column, message, key=key or block.address + "." + a.name)


def at_block(block: Block, message: str = "", key: str = "") -> TfHit:
    return block.path, Hit(block.line, block.column, message, key=key or block.address)


def at_missing(block: Block, dotted: str, message: str = "") -> TfHit:
    """The deepest existing block on the way to a missing attribute."""
    cur = block
    for part in dotted.split(".")[:-1]:
        found = cur.children(part)
        if not found:
            break
        cur = found[0]
    return block.path, Hit(cur.line, cur.column, message, key=block.address + "." + dotted)


def _line_in(lines: list[str], a: Attr, pattern: str) -> int:
    rx = re.compile(pattern)
    for n in range(a.line, min(a.end_line, len(lines)) + 1):
        if rx.search(lines[n - 1]):
            return n
    return a.line


def _tf(title: str) -> tuple[str, ...]:
    return (f"https://registry.terraform.io/providers/hashicorp/{title}",)


def _as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [v]


def _world(values: Any) -> bool:
    return any(is_world(v) for v in _as_list(values))
