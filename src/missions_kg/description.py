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

    def to_text(self) -> str:
        lines = [curie(self.iri) + (f"  <{self.iri}>" if curie(self.iri) != self.iri else "")]
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


def describe(built: Built, thing: str, *, lang: str = "en") -> Description:
    """Labels, facts with their graphs, and inbound links of the thing ``thing`` names."""
    store = open_store(built)
    node = resolve(store, thing)
    desc = Description(node.value)
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
