"""Engine-independent query results and their output formats.

Both engines (pyoxigraph, rdflib) turn their answers into :class:`Term` tuples, so formatting,
comparing and testing never depends on which engine ran. Importing this module does not import
rdflib (the cold ``query`` path); RDF output (CONSTRUCT/DESCRIBE) goes through pyoxigraph, and
only JSON-LD pulls in rdflib (via :mod:`missions_kg.export`).

Formats: SELECT/ASK → ``table`` (aligned text, IRIs as CURIEs), ``csv``, ``tsv``, ``json``
(SPARQL 1.1 JSON results), ``xml`` (SPARQL XML results); CONSTRUCT/DESCRIBE → ``turtle``,
``jsonld``, ``ntriples``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

from missions_kg.errors import UsageError
from missions_kg.iris import PREFIXES, XSD

XSD_STRING = XSD + "string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
TABULAR_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "jsonld", "ntriples")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Term(NamedTuple):
    """An RDF term as plain data: ``kind`` is ``uri``, ``literal`` or ``bnode`` (as in SPARQL
    JSON results); ``datatype`` is ``None`` for plain strings and language-tagged strings."""

    kind: str
    value: str
    datatype: str | None = None
    lang: str | None = None

    def n3(self) -> str:
        """N-Triples spelling (used by TSV and for sorting)."""
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = (self.value.replace("\\", "\\\\").replace('"', '\\"')
                .replace("\n", "\\n").replace("\r", "\\r"))
        if self.lang:
            return f'"{text}"@{self.lang}'
        return f'"{text}"^^<{self.datatype}>' if self.datatype else f'"{text}"'


def iri(value: str) -> Term:
    return Term("uri", value)


def literal(value: str, datatype: str | None = None, lang: str | None = None) -> Term:
    if datatype in (XSD_STRING, RDF_LANGSTRING):
        datatype = None
    return Term("literal", value, datatype, lang.lower() if lang else None)


@dataclass
class Result:
    """The answer of one query: ``vars`` + ``rows`` (SELECT), ``boolean`` (ASK) or
    ``triples`` (CONSTRUCT/DESCRIBE). ``truncated`` is True when the row cap cut it short."""

    form: str
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Term, Term, Term]] = field(default_factory=list)
    truncated: bool = False
    max_rows: int | None = None
    engine: str = ""
    seconds: float = 0.0

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    def __len__(self) -> int:
        return len(self.triples) if self.is_graph else len(self.rows)


def curie(value: str, prefixes: dict[str, str] | None = None) -> str:
    """``https://schema.org/name`` → ``schema:name`` when a project prefix fits, else the IRI."""
    best = ""
    for prefix, ns in (prefixes or PREFIXES).items():
        if value.startswith(ns) and len(ns) > len(best):
            local = value[len(ns):]
            if re.fullmatch(r"[\w.\-]*", local) and not local.endswith("."):
                best, name = ns, f"{prefix}:{local}"
    return name if best else value


def default_format(result: Result, *, tty: bool) -> str:
    if result.is_graph:
        return "turtle"
    return "table" if tty else "tsv"


def check_format(result_form: str, fmt: str) -> None:
    """Refuse a format that does not fit the query form (a :class:`UsageError`, exit 2)."""
    graph = result_form in ("CONSTRUCT", "DESCRIBE")
    allowed = GRAPH_FORMATS if graph else TABULAR_FORMATS
    if fmt not in allowed:
        kind = "CONSTRUCT/DESCRIBE" if graph else result_form
        raise UsageError(f"--format {fmt} does not fit {kind} queries; "
                         f"use one of: {', '.join(allowed)}")


def render(result: Result, fmt: str, *,
           label_for: Callable[[str], str | None] | None = None) -> bytes:
    """Serialise a result. ``label_for`` (IRI → label) adds ``<var>_label`` columns to
    ``table``/``csv``/``tsv`` output (see :mod:`missions_kg.labels`)."""
    check_format(result.form, fmt)
    if result.is_graph:
        return _render_graph(result, fmt)
    if result.form == "ASK":
        return _render_ask(result, fmt)
    vars_, rows = result.vars, result.rows
    if label_for is not None and fmt in ("table", "csv", "tsv"):
        vars_, rows = _with_labels(vars_, rows, label_for)
    return {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json, "xml": _xml}[fmt](
        vars_, rows, result)


def _with_labels(vars_, rows, label_for):
    iri_cols = [i for i in range(len(vars_)) if any(r[i] and r[i].kind == "uri" for r in rows)]
    new_vars: list[str] = []
    for i, v in enumerate(vars_):
        new_vars.append(v)
        if i in iri_cols:
            new_vars.append(f"{v}_label")
    new_rows = []
    for row in rows:
        out: list[Term | None] = []
        for i, term in enumerate(row):
            out.append(term)
            if i in iri_cols:
                label = label_for(term.value) if term and term.kind == "uri" else None
                out.append(literal(label) if label is not None else None)
        new_rows.append(tuple(out))
    return new_vars, new_rows


def _show(term: Term | None) -> str:
    if term is None:
        return ""
    if term.kind == "uri":
        return curie(term.value)
    if term.kind == "bnode":
        return f"_:{term.value}"
    text = term.value.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f"{text} @{term.lang}" if term.lang else text


def _table(vars_, rows, result: Result, width: int = 60) -> bytes:
    cells = [[_show(t) for t in row] for row in rows]
    cells = [[c if len(c) <= width else c[: width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(vars_)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(vars_, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
              for r in cells]
    n = len(rows)
    foot = f"({n} row{'s' if n != 1 else ''}"
    if result.truncated:
        foot += f"; truncated at --max-rows {result.max_rows}"
    lines.append(foot + ")")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _csv(vars_, rows, result) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)  # RFC 4180, CRLF line ends, as the SPARQL CSV spec asks
    writer.writerow(vars_)
    for row in rows:
        writer.writerow(["" if t is None else (f"_:{t.value}" if t.kind == "bnode" else t.value)
                         for t in row])
    return buf.getvalue().encode("utf-8")


def _tsv(vars_, rows, result) -> bytes:
    lines = ["\t".join(f"?{v}" for v in vars_)]
    lines += ["\t".join("" if t is None else t.n3().replace("\t", "\\t") for t in row)
              for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _json_term(t: Term) -> dict:
    out = {"type": t.kind, "value": t.value}
    if t.lang:
        out["xml:lang"] = t.lang
    elif t.datatype:
        out["datatype"] = t.datatype
    return out


def _json(vars_, rows, result) -> bytes:
    bindings = [{v: _json_term(t) for v, t in zip(vars_, row, strict=True) if t is not None}
                for row in rows]
    doc = {"head": {"vars": list(vars_)}, "results": {"bindings": bindings}}
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _xml_safe(text: str) -> str:
    m = _NOT_XML.search(text)
    if m:
        raise UsageError(f"a value holds character U+{ord(m.group()):04X}, which XML cannot "
                         "carry; use --format json or tsv")
    return escape(text).replace("\r", "&#13;")


def _xml(vars_, rows, result) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"  <variable name={quoteattr(v)}/>" for v in vars_]
    out += ["</head>", "<results>"]
    for row in rows:
        out.append("  <result>")
        for v, t in zip(vars_, row, strict=True):
            if t is None:
                continue
            if t.kind == "uri":
                inner = f"<uri>{_xml_safe(t.value)}</uri>"
            elif t.kind == "bnode":
                inner = f"<bnode>{_xml_safe(t.value)}</bnode>"
            else:
                attr = (f" xml:lang={quoteattr(t.lang)}" if t.lang else
                        f" datatype={quoteattr(t.datatype)}" if t.datatype else "")
                inner = f"<literal{attr}>{_xml_safe(t.value)}</literal>"
            out.append(f"    <binding name={quoteattr(v)}>{inner}</binding>")
        out.append("  </result>")
    out += ["</results>", "</sparql>"]
    return ("\n".join(out) + "\n").encode("utf-8")


def _render_ask(result: Result, fmt: str) -> bytes:
    value = "true" if result.boolean else "false"
    if fmt == "json":
        return (json.dumps({"head": {}, "boolean": bool(result.boolean)}) + "\n").encode()
    if fmt == "xml":
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns='
                f'"http://www.w3.org/2005/sparql-results#">\n<head/>\n<boolean>{value}'
                "</boolean>\n</sparql>\n").encode()
    if fmt == "csv":
        return f"_askResult\r\n{value}\r\n".encode()
    if fmt == "tsv":
        return f"?_askResult\n{value}\n".encode()
    return f"{'yes' if result.boolean else 'no'}\n".encode()


def to_oxigraph(t: Term):
    import pyoxigraph as ox

    if t.kind == "uri":
        return ox.NamedNode(t.value)
    if t.kind == "bnode":
        return ox.BlankNode(t.value)
    if t.lang:
        return ox.Literal(t.value, language=t.lang)
    return ox.Literal(t.value, datatype=ox.NamedNode(t.datatype) if t.datatype else None)


def _render_graph(result: Result, fmt: str) -> bytes:
    import pyoxigraph as ox

    triples = sorted(set(result.triples), key=lambda tr: tuple(t.n3() for t in tr))
    ox_triples = [ox.Triple(*(to_oxigraph(t) for t in tr)) for tr in triples]
    if fmt == "jsonld":
        from missions_kg.export import jsonld_from_quads

        return jsonld_from_quads([ox.Quad(t.subject, t.predicate, t.object) for t in ox_triples])
    rdf_format = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}[fmt]
    return ox.serialize(ox_triples, format=rdf_format, prefixes=dict(sorted(PREFIXES.items())))
