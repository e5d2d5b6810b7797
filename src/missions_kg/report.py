"""A validation report that reads well as text and round-trips as JSON and Turtle.

SHACL results and ``*-violation.rq`` check results share one ``ValidationResult`` shape, so
the CLI, tests and CI treat them alike. Severity order: Violation > Warning > Info. Each
result says where to look: the source graphs holding the offending triple and the files (and
lines, ``data/x.trig:12``: near there) that write it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from . import iris
from .terms import curie

SEVERITY_RANK = {"Violation": 3, "Warning": 2, "Info": 1}
THRESHOLDS = {"violation": 3, "warning": 2, "info": 1}


@dataclass(frozen=True)
class ValidationResult:
    """One problem: terms are N-Triples-like strings for IRIs' text, literals in N3 form."""

    focus: str
    message: str
    severity: str  # Violation | Warning | Info
    source: str  # the shape IRI, or CHECK + check name
    focus_label: str | None = None
    path: str | None = None
    value: str | None = None
    component: str | None = None
    source_graphs: tuple[str, ...] = ()
    kind: str = "shacl"  # shacl | check
    #: where the triple is written: ``file:line`` (near that line), or ``file``
    locations: tuple[str, ...] = ()

    @property
    def rank(self) -> int:
        return SEVERITY_RANK.get(self.severity, 3)

    def located(self, locations) -> ValidationResult:
        from dataclasses import replace

        return replace(self, locations=tuple(locations))

    @classmethod
    def from_dict(cls, data: dict) -> ValidationResult:
        return cls(**{**data, "source_graphs": tuple(data.get("source_graphs", ())),
                      "locations": tuple(data.get("locations", ()))})


@dataclass
class Report:
    """Every result of SHACL and the checks; ``conforms`` means no Violation."""

    results: list[ValidationResult] = field(default_factory=list)
    shapes: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    #: what a person should know about the inputs (from the build), not part of the verdict
    notes: list[str] = field(default_factory=list)
    #: what the SHACL engine met on the way (a recursive shape cut off), also in ``notes``;
    #: kept with the report, unlike the build's notes
    engine_notes: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not any(r.severity == "Violation" for r in self.results)

    def failed(self, fail_on: str = "violation") -> bool:
        """True if any result is at or above ``fail_on`` (violation | warning | info)."""
        threshold = THRESHOLDS[fail_on.lower()]
        return any(r.rank >= threshold for r in self.results)

    def counts(self) -> dict[str, int]:
        out = {name: 0 for name in SEVERITY_RANK}
        for r in self.results:
            out[r.severity] = out.get(r.severity, 0) + 1
        return out

    def sorted_results(self) -> list[ValidationResult]:
        return sorted(self.results, key=lambda r: (-r.rank, r.focus, r.path or "", r.source,
                                                   r.value or ""))

    # -- formats ------------------------------------------------------------------------------

    def to_text(self) -> str:
        lines = []
        for r in self.sorted_results():
            label = f" ({r.focus_label})" if r.focus_label else ""
            where = f" {curie(r.path)}" if r.path else ""
            value = f" = {r.value}" if r.value is not None else ""
            graphs = ", ".join(curie(g) for g in r.source_graphs) or "-"
            lines.append(f"{r.severity:<9} {curie(r.focus)}{label}{where}{value}\n"
                         f"          {r.message}\n"
                         f"          shape: {curie(r.source)}  graph: {graphs}")
            if r.locations:
                lines.append("          at: " + ", ".join(_near(x) for x in r.locations))
        c = self.counts()
        lines.append(f"{'Conforms' if self.conforms else 'Does not conform'}: "
                     f"{c['Violation']} violation(s), {c['Warning']} warning(s), "
                     f"{c['Info']} info(s) from {len(self.shapes)} shape file(s) and "
                     f"{len(self.checks)} check(s).")
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict:
        out = {"conforms": self.conforms, "counts": self.counts(), "shapes": self.shapes,
               "checks": self.checks,
               "results": [{**asdict(r), "source_graphs": list(r.source_graphs),
                            "locations": list(r.locations)} for r in self.sorted_results()]}
        if self.engine_notes:
            out["engine_notes"] = list(self.engine_notes)
        return out

    @classmethod
    def from_dict(cls, data: dict) -> Report:
        """The report :meth:`to_dict` (or ``to_json``) wrote."""
        return cls(results=[ValidationResult.from_dict(r) for r in data["results"]],
                   shapes=list(data["shapes"]), checks=list(data["checks"]),
                   engine_notes=list(data.get("engine_notes", ())))

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_turtle(self) -> str:
        """A SHACL ``sh:ValidationReport``; source graphs as ``dcterms:source``."""
        from .quiet import quiet_rdflib

        with quiet_rdflib():
            return _turtle(self)


def _near(location: str) -> str:
    """``data/x.trig:12`` as ``data/x.trig near line 12``."""
    name, sep, line = location.rpartition(":")
    return f"{name} near line {line}" if sep and line.isdigit() else location


def _turtle(report: Report) -> str:
    from rdflib import BNode, Graph, Literal, URIRef
    from rdflib.namespace import RDF, SH, XSD
    from rdflib.util import from_n3

    from .namespaces import bind_prefixes

    graph = Graph()
    bind_prefixes(graph)
    root = BNode("report")
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(report.conforms, datatype=XSD.boolean)))
    for i, r in enumerate(report.sorted_results()):
        node = BNode(f"r{i}")
        graph.add((root, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, _term(r.focus)))
        graph.add((node, SH.resultMessage, Literal(r.message)))
        graph.add((node, SH.resultSeverity, SH[r.severity]))
        graph.add((node, SH.sourceShape, URIRef(r.source)))
        if r.path and not r.path.startswith(("^", "(", "[")):
            graph.add((node, SH.resultPath, URIRef(r.path)))
        if r.value is not None:
            graph.add((node, SH.value, from_n3(r.value)))
        if r.component:
            graph.add((node, SH.sourceConstraintComponent, URIRef(r.component)))
        for g in r.source_graphs:
            graph.add((node, URIRef(iris.DCTERMS + "source"), URIRef(g)))
    return graph.serialize(format="turtle")


def _term(text: str):
    from rdflib import BNode, URIRef

    return BNode(text[2:]) if text.startswith("_:") else URIRef(text)
