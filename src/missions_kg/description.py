"""Everything the graph says about one thing, and which source says it.

``resolve`` accepts a full IRI, a CURIE with the project prefixes, an entity slug, or a
label/name (case-insensitive; an ambiguous label lists the candidates and exits 2).
Runs on the pyoxigraph store of the build (no rdflib import).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from . import iris
from .dataset import Built
from .errors import UsageError
from .labels import LABEL_PREDICATES, NAME_PREDICATES, Labeller
from .store import graph_quads, open_store
from .terms import curie


def _exists(store, node) -> bool:
    return (next(graph_quads(store, node), None) is not None
            or next(graph_quads(store, None, None, node), None) is not None)


def resolve(store: ox.Store, thing: str, *, partial: bool = True) -> ox.NamedNode:
    """The IRI ``thing`` names, or UsageError (not found / ambiguous with candidates).
    A label may match part of a name only with ``partial``."""
    text = thing.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if "://" in text or text.startswith("urn:") or (
            ":" in text and text.split(":", 1)[0] in iris.PREFIXES):
        if "://" not in text and not text.startswith("urn:"):
            prefix, local = text.split(":", 1)
            text = iris.PREFIXES[prefix] + local
        try:
            node = ox.NamedNode(text)
        except ValueError:
            raise UsageError(f"'{thing}' is not a valid IRI") from None
        if not _exists(store, node):
            raise UsageError(f"nothing in the graph is named <{text}>")
        return node
    try:  # an entity slug: jeanne-renoir -> mkgid:jeanne-renoir
        node = ox.NamedNode(iris.ID + text)
        if _exists(store, node):
            return node
    except ValueError:
        pass
    return _by_label(store, text, thing, partial)


def _fold(text: str) -> str:
    """Case- and accent-insensitive form: 'Hélène' and 'helene' match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def label_matches(store: ox.Store, text: str, *, partial: bool = False) -> dict[str, set[str]]:
    """IRI → the labels that match ``text`` (case and accents ignored; with ``partial``, a
    label that contains it counts when none is equal). The one matcher of ``describe`` and of
    name parameters (:mod:`missions_kg.lookup`)."""
    wanted = _fold(text)
    exact, close = defaultdict(set), defaultdict(set)
    for pred in LABEL_PREDICATES:
        for q in graph_quads(store, None, ox.NamedNode(pred)):
            if not isinstance(q.subject, ox.NamedNode) or not isinstance(q.object, ox.Literal):
                continue
            value = _fold(q.object.value)
            if value == wanted:
                exact[q.subject.value].add(q.object.value)
            elif partial and wanted in value:
                close[q.subject.value].add(q.object.value)
    return dict(exact or close)


def listing(found: dict[str, set[str]], limit: int = 15) -> str:
    """``mkgid:a (Name A); mkgid:b (Name B)``, for messages that list candidates."""
    shown = "; ".join(f"{curie(iri)} ({', '.join(sorted(names))})"
                      for iri, names in sorted(found.items())[:limit])
    return shown + (f" and {len(found) - limit} more" if len(found) > limit else "")


def _by_label(store, text: str, thing: str, partial: bool) -> ox.NamedNode:
    found = label_matches(store, text, partial=partial)
    if len(found) == 1:
        return ox.NamedNode(next(iter(found)))
    if not found:
        raise UsageError(f"no IRI, CURIE or label matches '{thing}'",
                         hint="try a full IRI, e.g. mkgid:<slug>, or part of a name")
    raise UsageError(f"'{thing}' matches {len(found)} things: {listing(found)}",
                     hint="give the IRI or CURIE of the one you mean")


@dataclass
class Description:
    iri: str
    labels: dict[str, list[str]] = field(default_factory=dict)  # language ("" = none) -> texts
    facts: list[tuple[str, ox.Term, list[str]]] = field(default_factory=list)  # p, o, graphs
    inbound: list[tuple[ox.Term, str, list[str]]] = field(default_factory=list)  # s, p, graphs
    names: dict[str, str] = field(default_factory=dict)  # IRI -> display label
    #: the retired IRIs followed to reach ``iri`` (each ``owl:deprecated true`` with one
    #: ``dcterms:isReplacedBy``), the one asked for first; empty when that one is current
    followed: list[str] = field(default_factory=list)
    #: ``iri`` itself is retired (``owl:deprecated true``): no single replacement to follow
    deprecated: bool = False
    #: what replaces ``iri`` when it is retired but not followed (several IRIs, or none)
    replaced_by: list[str] = field(default_factory=list)

    def notice(self) -> str:
        """One line saying the IRI asked for is retired, and what is described instead;
        "" when it is current."""
        if self.followed:
            via = (f" (via {', '.join(curie(i) for i in self.followed[1:])})"
                   if len(self.followed) > 1 else "")
            still = " (itself retired: its replacements loop or split)" if self.deprecated \
                else ""
            return (f"Deprecated: {curie(self.followed[0])} is replaced by {curie(self.iri)}"
                    f"{via}; describing {curie(self.iri)}{still}.")
        if self.deprecated and self.replaced_by:
            return (f"Deprecated: {curie(self.iri)} is replaced by "
                    f"{', '.join(curie(i) for i in self.replaced_by)}; describe the one you "
                    "mean.")
        if self.deprecated:
            return f"Deprecated: {curie(self.iri)} is retired and has no replacement."
        return ""

    def to_text(self) -> str:
        lines = [notice] if (notice := self.notice()) else []
        lines.append(curie(self.iri) + (f"  <{self.iri}>" if curie(self.iri) != self.iri
                                         else ""))
        for lang, texts in sorted(self.labels.items()):
            lines.append(f"  label{'@' + lang if lang else ''}: " + " | ".join(sorted(texts)))
        lines.append(f"Facts ({len(self.facts)}):")
        lines += [f"  {curie(p)}  {self._show(o)}  [{_graphs(gs)}]" for p, o, gs in self.facts]
        lines.append(f"Inbound links ({len(self.inbound)}):")
        lines += [f"  {self._show(s)}  {curie(p)}  [{_graphs(gs)}]" for s, p, gs in self.inbound]
        return "\n".join(lines) + "\n"

    def _show(self, term) -> str:
        if isinstance(term, ox.NamedNode):
            name = self.names.get(term.value)
            return curie(term.value) + (f" ({name})" if name else "")
        if isinstance(term, ox.Literal):
            if term.language:
                return f'"{term.value}"@{term.language}'
            dt = term.datatype.value
            return f'"{term.value}"' + ("" if dt == iris.XSD + "string" else f"^^{curie(dt)}")
        return str(term)


def _graphs(graphs: list[str]) -> str:
    return ", ".join(curie(g).removeprefix("mkgg:") for g in graphs)


_DEPRECATED = ox.NamedNode(iris.OWL + "deprecated")
_REPLACED_BY = ox.NamedNode(iris.DCTERMS + "isReplacedBy")


def _retired(store, node: ox.NamedNode) -> tuple[bool, list[str]]:
    """(is ``node`` deprecated, the IRIs that replace it), from any graph."""
    flagged = any(isinstance(q.object, ox.Literal) and q.object.value in ("true", "1")
                  for q in graph_quads(store, node, _DEPRECATED))
    return flagged, sorted({q.object.value for q in graph_quads(store, node, _REPLACED_BY)
                            if isinstance(q.object, ox.NamedNode)})


def follow(store, node: ox.NamedNode) -> tuple[ox.NamedNode, list[str], bool, list[str]]:
    """Follow retired IRIs to what replaces them, while each has exactly one replacement:
    (the IRI reached, the retired IRIs followed, is it retired itself, its replacements)."""
    followed: list[str] = []
    while True:
        flagged, replacements = _retired(store, node)
        if not flagged or len(replacements) != 1 or replacements[0] in followed \
                or replacements[0] == node.value:
            return node, followed, flagged, replacements if flagged else []
        followed.append(node.value)
        node = ox.NamedNode(replacements[0])


def describe(built: Built, thing: str, *, lang: str = "en") -> Description:
    """Labels, facts with their graphs, and inbound links of the thing ``thing`` names. A
    retired IRI (``owl:deprecated true``) with one replacement (``dcterms:isReplacedBy``) is
    followed: the replacement is described, and ``followed``/``notice()`` say so."""
    store = open_store(built)
    node, followed, deprecated, replaced_by = follow(store, resolve(store, thing))
    desc = Description(node.value, followed=followed, deprecated=deprecated,
                       replaced_by=replaced_by)
    facts: dict[tuple, list[str]] = defaultdict(list)
    for q in graph_quads(store, node):
        facts[(q.predicate.value, q.object)].append(q.graph_name.value)
        if q.predicate.value in NAME_PREDICATES and isinstance(q.object, ox.Literal):
            desc.labels.setdefault(q.object.language or "", [])
            if q.object.value not in desc.labels[q.object.language or ""]:
                desc.labels[q.object.language or ""].append(q.object.value)
    inbound: dict[tuple, list[str]] = defaultdict(list)
    for q in graph_quads(store, None, None, node):
        inbound[(q.subject, q.predicate.value)].append(q.graph_name.value)
    desc.facts = sorted(((p, o, sorted(gs)) for (p, o), gs in facts.items()),
                        key=lambda f: (f[0], str(f[1])))
    desc.inbound = sorted(((s, p, sorted(gs)) for (s, p), gs in inbound.items()),
                          key=lambda f: (str(f[0]), f[1]))
    labeller = Labeller(store, lang)
    for term in [o for _, o, _ in desc.facts] + [s for s, _, _ in desc.inbound]:
        if isinstance(term, ox.NamedNode) and term.value not in desc.names:
            name = labeller(term.value)
            if name:
                desc.names[term.value] = name
    return desc
