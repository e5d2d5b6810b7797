"""Terms and facts as the pages show them: a value with its label and link, a badge per
source graph, a conflict flag. Built from :func:`missions_kg.describe` (facts with their
graphs, inbound links) and the one label policy (:class:`missions_kg.labels.Labeller`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from .. import iris
from ..labels import pick_label
from ..store import graph_quads
from ..terms import curie, from_oxigraph
from .context import Site

RDF_TYPE = iris.RDF + "type"
WIKIDATA_LINK = iris.ONTOLOGY + "WikidataLink"


@dataclass
class Value:
    """One RDF term for a page: ``text`` to show, ``href`` (a local path, or an external IRI),
    ``note`` (language tag, datatype CURIE, or the CURIE of an IRI)."""

    text: str
    href: str | None = None
    local: bool = False
    note: str = ""
    kind: str = "literal"


@dataclass
class Badge:
    name: str  # graph name (seed-001-…), the text of the badge
    path: str  # /graph/{name}
    title: str  # the source's title, for the tooltip
    inferred: bool = False


@dataclass
class Fact:
    value: Value
    badges: list[Badge]
    conflict: bool = False


@dataclass
class PropertyGroup:
    iri: str
    label: str
    href: str | None
    facts: list[Fact] = field(default_factory=list)

    @property
    def conflict(self) -> bool:
        return any(f.conflict for f in self.facts)


def value_of(site: Site, term, lang: str) -> Value:
    """A pyoxigraph term as a :class:`Value` (labels in ``lang``)."""
    if isinstance(term, ox.NamedNode):
        path = site.page_path(term.value)
        label = site.labeller(lang)(term.value)
        return Value(label or curie(term.value), path or term.value, path is not None,
                     curie(term.value) if label else "", "uri")
    if isinstance(term, ox.Literal):
        note = term.language or ""
        if not note and term.datatype.value != iris.XSD + "string":
            note = curie(term.datatype.value)
        return Value(term.value, None, False, note)
    return Value("(an unnamed node)", None, False, "", "bnode")


def badge(site: Site, graph: str, lang: str = "en") -> Badge:
    """The badge of a source graph: its name, its page, its title (the graph's label)."""
    name = site.graph_name(graph)
    return Badge(name, f"/graph/{name}", site.labeller(lang)(graph) or name,
                 graph == iris.GRAPH_INFERRED)


def text_in(site: Site, subject: str, predicate: str, lang: str) -> str | None:
    """The best literal of ``subject predicate`` in ``lang`` (the label policy's order)."""
    found = sorted({(q.object.value, q.object.language) for q in graph_quads(
        site.store, ox.NamedNode(subject), ox.NamedNode(predicate))
        if isinstance(q.object, ox.Literal)}, key=lambda c: (c[0], c[1] or ""))
    return pick_label(found, lang)


def property_label(site: Site, iri: str, lang: str) -> str:
    return site.labeller(lang)(iri) or curie(iri)


def group_facts(site: Site, subject: str, facts, lang: str) -> list[PropertyGroup]:
    """``describe``'s (predicate, object, graphs) grouped by property, types first, then by
    label; each fact with its badges and the conflict flag of ``disagreements``."""
    groups: dict[str, PropertyGroup] = {}
    for pred, obj, graphs in facts:
        group = groups.get(pred)
        if group is None:
            group = groups[pred] = PropertyGroup(pred, property_label(site, pred, lang),
                                                 site.page_path(pred) or pred)
        rivals = site.conflict_values(subject, pred)
        conflict = bool(rivals) and from_oxigraph(obj) in rivals
        group.facts.append(Fact(value_of(site, obj, lang), [badge(site, g, lang) for g in graphs],
                                conflict))
    for group in groups.values():
        group.facts.sort(key=lambda f: (not f.conflict, f.value.text.casefold()))
    return sorted(groups.values(),
                  key=lambda g: (g.iri != RDF_TYPE, not g.conflict, g.label.casefold()))


def wikidata_links(site: Site, subject: str, lang: str) -> list[dict]:
    """The link records (``mkg:WikidataLink``) about ``subject``, each with its evidence:
    [{"target": Value, "status": str, "facts": [PropertyGroup], "evidence": [[...]]}]."""
    out = []
    about = ox.NamedNode(iris.SCHEMA + "about")
    for q in graph_quads(site.store, None, about, ox.NamedNode(subject)):
        record = q.subject
        if not isinstance(record, ox.NamedNode) or next(graph_quads(
                site.store, record, ox.NamedNode(RDF_TYPE), ox.NamedNode(WIKIDATA_LINK)),
                None) is None:
            continue
        rows = _facts_of(site, record)
        target = next((o for p, o, _ in rows if p == iris.ONTOLOGY + "linkTarget"), None)
        status = next((o.value for p, o, _ in rows if p == iris.ONTOLOGY + "linkStatus"), "")
        evidence = [_facts_of(site, o) for p, o, _ in rows
                    if p == iris.ONTOLOGY + "evidence" and isinstance(o, ox.NamedNode)]
        shown = [r for r in rows if r[0] not in (RDF_TYPE, iris.SCHEMA + "about",
                                                 iris.ONTOLOGY + "evidence")]
        out.append({"iri": record.value, "status": status,
                    "target": value_of(site, target, lang) if target is not None else None,
                    "facts": group_facts(site, record.value, shown, lang),
                    "evidence": [group_facts(site, record.value,
                                             [r for r in ev if r[0] not in (
                                                 RDF_TYPE, iris.SCHEMA + "about")], lang)
                                 for ev in evidence]})
    return sorted(out, key=lambda r: (r["status"] != "verified", r["iri"]))


def _facts_of(site: Site, node) -> list[tuple[str, object, list[str]]]:
    grouped: dict[tuple, list[str]] = defaultdict(list)
    for q in graph_quads(site.store, node):
        grouped[(q.predicate.value, q.object)].append(q.graph_name.value)
    return sorted(((p, o, sorted(gs)) for (p, o), gs in grouped.items()),
                  key=lambda f: (f[0], str(f[1])))


def inbound(site: Site, desc, lang: str) -> list[dict]:
    """``describe``'s inbound links ("mentioned by"), labelled, with their badges."""
    out = []
    for subject, pred, graphs in desc.inbound:
        out.append({"subject": value_of(site, subject, lang),
                    "property": property_label(site, pred, lang),
                    "property_href": site.page_path(pred) or pred,
                    "badges": [badge(site, g, lang) for g in graphs]})
    return sorted(out, key=lambda r: (r["property"].casefold(), r["subject"].text.casefold()))


def roles(site: Site, iri: str, lang: str) -> list[dict]:
    """The cast pattern read both ways (schema.org's Role: a ``schema:PerformanceRole`` with
    ``schema:actor`` and ``mkg:playsCharacter``): who plays this character, or whom this
    actor plays. One row per person, however many sources give the credit (each source has
    its own role node), with every role node and every source that gives one."""
    node = ox.NamedNode(iri)
    plays, actor = ox.NamedNode(iris.ONTOLOGY + "playsCharacter"), ox.NamedNode(
        iris.SCHEMA + "actor")
    found: dict[str, dict[str, set[str]]] = {}  # person -> role node -> graphs
    for mine, other in ((plays, actor), (actor, plays)):
        for q in graph_quads(site.store, None, mine, node):
            for r in graph_quads(site.store, q.subject, other):
                if isinstance(r.object, ox.NamedNode):
                    found.setdefault(r.object.value, {}).setdefault(q.subject.value, set()).update(
                        (q.graph_name.value, r.graph_name.value))
    out = []
    for person, by_role in found.items():
        graphs = sorted(set().union(*by_role.values()))
        out.append({"other": value_of(site, ox.NamedNode(person), lang),
                    "roles": [value_of(site, ox.NamedNode(role), lang) for role in sorted(by_role)],
                    "badges": [badge(site, g, lang) for g in graphs]})
    return sorted(out, key=lambda r: r["other"].text.casefold())
