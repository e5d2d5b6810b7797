"""Engine-independent query results, and their serialisations.

Both engines (pyoxigraph, rdflib) answer with :class:`~missions_kg.terms.Term` tuples, so
formatting, comparing and testing never depends on which engine ran. Format names come from
:mod:`missions_kg.formats`: SELECT/ASK answers take ``results`` formats (``table``, ``csv``,
``tsv``, ``json``, ``xml``), CONSTRUCT/DESCRIBE answers ``rdf`` formats (``turtle``,
``ntriples``, ``jsonld``, ``xml`` for RDF/XML, …). Importing this module does not import rdflib;
only JSON-LD output does (via :mod:`missions_kg.jsonld`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable

from . import formats
from .answer import Result
from .errors import UsageError
from .terms import Term, curie, literal, to_oxigraph

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def default_format(result: Result, *, tty: bool) -> str:
    if result.is_graph:
        return "turtle"
    return "table" if tty else "tsv"


def kind_of(result: Result) -> str:
    """The format kind a result takes: ``rdf`` for CONSTRUCT/DESCRIBE, else ``results``."""
    return "rdf" if result.is_graph else "results"


def check_format(result: Result, name: str) -> formats.Format:
    """The format ``name`` resolved for this result's kind; UsageError (exit 2) if none fits."""
    kind = kind_of(result)
    try:
        return formats.get(name, kind)
    except UsageError:
        what = "CONSTRUCT/DESCRIBE" if result.is_graph else result.form
        raise UsageError(f"--format {name} does not fit {what} queries; use one of: "
                         f"{', '.join(formats.names(kind))}") from None


def render(result: Result, fmt: str, *,
           label_for: Callable[[str], str | None] | None = None,
           width: int | None = None) -> bytes:
    """Serialise a result. ``label_for`` (IRI → label) adds ``<var>_label`` columns to
    ``table``/``csv``/``tsv`` output (see :mod:`missions_kg.labels`); ``width`` (a terminal's)
    makes a ``table`` fit it, the widest cells cut with "…"."""
    name = check_format(result, fmt).name
    if result.is_graph:
        return _render_graph(result, name)
    if result.form == "ASK":
        return _render_ask(result, name)
    vars_, rows = result.vars, result.rows
    if label_for is not None and name in ("table", "csv", "tsv"):
        vars_, rows = _with_labels(vars_, rows, label_for)
    if name == "table":
        return _table(vars_, rows, result, fit=width)
    return {"csv": _csv, "tsv": _tsv, "json": _json, "xml": _xml}[name](vars_, rows, result)


def select_columns(result: Result, columns: list[str]) -> Result:
    """``result`` with only ``columns`` (SELECT variables, in that order); UsageError naming
    the ones it has when a column is not there."""
    if result.form != "SELECT":
        raise UsageError("--columns is for SELECT queries")
    missing = [c for c in columns if c not in result.vars]
    if missing:
        raise UsageError(f"--columns: no column {missing[0]!r} (the query has: "
                         f"{', '.join(result.vars)})")
    index = [result.vars.index(c) for c in columns]
    from dataclasses import replace

    return replace(result, vars=list(columns),
                   rows=[tuple(row[i] for i in index) for row in result.rows])


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


def _table(vars_, rows, result: Result, width: int = 60, fit: int | None = None) -> bytes:
    cells = [[_show(t) for t in row] for row in rows]
    widths = [min(width, max([len(v)] + [len(r[i]) for r in cells]))
              for i, v in enumerate(vars_)]
    if fit:
        widths = fit_widths(widths, fit)
    vars_ = [_cut(v, w) for v, w in zip(vars_, widths, strict=True)]
    cells = [[_cut(c, w) for c, w in zip(row, widths, strict=True)] for row in cells]
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


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def fit_widths(widths: list[int], total: int, floor: int = 6) -> list[int]:
    """Column widths whose table (two spaces between columns) fits ``total`` characters:
    the widest column gives up a character at a time, none below ``floor`` (headers are cut
    too). A table that cannot fit even then keeps the floors."""
    widths = list(widths)
    least = [min(floor, w) for w in widths]

    def size() -> int:
        return sum(widths) + 2 * (len(widths) - 1)

    while size() > total:
        i = max(range(len(widths)), key=lambda k: (widths[k] - least[k], widths[k]))
        if widths[i] <= least[i]:
            break
        widths[i] -= 1
    return widths


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
    from xml.sax.saxutils import escape  # imports urllib.request: 13 ms, only for XML

    m = _NOT_XML.search(text)
    if m:
        raise UsageError(f"a value holds character U+{ord(m.group()):04X}, which XML cannot "
                         "carry; use --format json or tsv")
    return escape(text).replace("\r", "&#13;")


def _xml(vars_, rows, result) -> bytes:
    from xml.sax.saxutils import quoteattr

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


def _render_graph(result: Result, fmt: str) -> bytes:
    import pyoxigraph as ox

    triples = sorted(set(result.triples), key=lambda tr: tuple(t.n3() for t in tr))
    quads = [ox.Quad(*(to_oxigraph(t) for t in tr)) for tr in triples]
    from .serialize import serialize_quads

    return serialize_quads(quads, fmt)
