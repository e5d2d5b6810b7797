"""Read RDF files strictly, with pyoxigraph as the gate, into quads in their graphs.

rdflib's parsers are lenient (IRIs with spaces, relative IRIs) and their errors echo input
bytes; pyoxigraph rejects those with a line and column, so every file passes it first and
errors become ``InputError(path, line, column)`` without file contents. No rdflib here.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from . import iris
from .errors import InputError
from .scanning import default_graph_line

BOM = b"\xef\xbb\xbf"
#: Formats a user may give with ``--data FILE``, by file extension.
USER_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
}
_REFUSED = {".rdf": "RDF/XML", ".owl": "RDF/XML", ".xml": "RDF/XML", ".n3": "N3"}
#: JSON-LD drops a node whose @id is relative when there is no base, silently (and every
#: triple it is the subject of). Parsing against this reserved base (RFC 2606 ``.invalid``)
#: makes such IRIs visible so they can be refused instead.
_NO_BASE = "http://missions-kg.invalid/no-base/"
_OX_MSG = re.compile(r"^Parser error at line \d+ (?:between columns \d+ and \d+|column \d+): ")


def read_quads(path: Path, fmt: ox.RdfFormat, *, name: str | None = None) -> list[ox.Quad]:
    """Parse one file strictly; blank nodes get labels unique to the file and stable."""
    shown = name or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=shown) from None
    if data.startswith(BOM):
        data = data[len(BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(f"not UTF-8 (byte {exc.start})", path=shown, line=line,
                         column=column) from None
    if fmt == ox.RdfFormat.JSON_LD:
        _check_jsonld(text, shown)
    jsonld = fmt == ox.RdfFormat.JSON_LD
    try:
        quads = list(ox.parse(data, format=fmt, base_iri=_NO_BASE if jsonld else None))
    except SyntaxError as exc:
        message = _OX_MSG.sub("", str(exc.msg if hasattr(exc, "msg") else exc))
        raise InputError(_short(message), path=shown, line=exc.lineno,
                         column=exc.offset) from None
    except (ValueError, OSError, RecursionError) as exc:
        raise InputError(_short(str(exc)) or type(exc).__name__, path=shown) from None
    if jsonld:
        _refuse_relative(quads, shown)
    if not quads:
        raise InputError("0 triples (empty file or only prefixes)", path=shown,
                         hint="add triples or remove the file")
    return _relabel(quads, shown)


def _short(message: str, limit: int = 200) -> str:
    """One line, bounded: parser messages may quote input."""
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 1] + "…"


def _refuse_relative(quads: list[ox.Quad], shown: str) -> None:
    for q in quads:
        for term in (q.subject, q.predicate, q.object, q.graph_name):
            if isinstance(term, ox.Literal):
                term = term.datatype
            if isinstance(term, ox.NamedNode) and term.value.startswith(_NO_BASE):
                raise InputError(f"relative IRI {term.value[len(_NO_BASE):]!r} and no @base "
                                 "(JSON-LD would silently drop it)", path=shown,
                                 hint="use absolute IRIs, or set @base in the @context")


def _relabel(quads: list[ox.Quad], name: str) -> list[ox.Quad]:
    """Give blank nodes stable, file-specific labels (files never share a blank node)."""
    prefix = "b" + hashlib.sha256(name.encode()).hexdigest()[:8] + "x"
    labels: dict[str, ox.BlankNode] = {}

    def fix(term):
        if isinstance(term, ox.BlankNode):
            if term.value not in labels:
                labels[term.value] = ox.BlankNode(f"{prefix}{len(labels)}")
            return labels[term.value]
        return term

    if not any(isinstance(t, ox.BlankNode) for q in quads for t in q):
        return quads
    return [ox.Quad(fix(q.subject), q.predicate, fix(q.object), fix(q.graph_name))
            for q in quads]


def _check_jsonld(text: str, shown: str) -> None:
    """Refuse what would make a JSON-LD processor fetch: remote/file contexts, @import."""
    try:
        doc = json.loads(text)
    except RecursionError:
        raise InputError("JSON nested too deeply", path=shown) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", path=shown, line=exc.lineno,
                         column=exc.colno) from None
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if "@import" in node:
                raise InputError("JSON-LD @import is not allowed (nothing is fetched)",
                                 path=shown, hint="inline the imported context")
            ctx = node.get("@context")
            for c in ctx if isinstance(ctx, list) else [ctx]:
                if isinstance(c, str):
                    raise InputError("remote or file @context not allowed (nothing is fetched)",
                                     path=shown, hint="inline the context as a JSON object")
            stack.extend(node.values())


# -- the project's own files ----------------------------------------------------------------

def ontology_quads(path: Path, name: str) -> list[ox.Quad]:
    """An ontology Turtle file, moved into the ontology graph."""
    graph = ox.NamedNode(iris.GRAPH_ONTOLOGY)
    return [ox.Quad(q.subject, q.predicate, q.object, graph)
            for q in read_quads(path, ox.RdfFormat.TURTLE, name=name)]


def data_quads(path: Path, name: str) -> list[ox.Quad]:
    """A data TriG file: every triple must sit in a named source graph."""
    quads = read_quads(path, ox.RdfFormat.TRIG, name=name)
    if any(isinstance(q.graph_name, ox.DefaultGraph) for q in quads):
        text = path.read_bytes().removeprefix(BOM).decode("utf-8")
        raise InputError("triples outside any GRAPH block (every fact must live in a "
                         "source graph)", path=name, line=default_graph_line(text),
                         hint="wrap them in GRAPH <https://w3id.org/missions-kg/graph/…> { }")
    return quads


def user_format(path: Path) -> ox.RdfFormat:
    """The format of a contributor's ``--data FILE``, or InputError saying what is accepted."""
    text = str(path)
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]+:/", text):
        raise InputError("data must be a local file, not a URL (nothing is fetched)", path=text)
    suffix = path.suffix.lower()
    if suffix in _REFUSED:
        raise InputError(f"{_REFUSED[suffix]} is not accepted for --data (for now)", path=text,
                         hint="convert it to Turtle, TriG, N-Triples, N-Quads or JSON-LD")
    if suffix not in USER_FORMATS:
        raise InputError(f"unknown RDF format '{suffix or path.name}'", path=text,
                         hint="use .ttl, .trig, .nt, .nq, .jsonld or .json")
    if not path.is_file():
        raise InputError("no such file", path=text)
    return USER_FORMATS[suffix]


def user_quads(path: Path) -> list[ox.Quad]:
    """A contributor's extra file, all of it in the graph ``…/graph/user/<file name>``."""
    fmt = user_format(path)
    graph = ox.NamedNode(iris.GRAPH_USER + quote(path.name, safe=""))
    return [ox.Quad(q.subject, q.predicate, q.object, graph)
            for q in read_quads(path, fmt, name=str(path))]
