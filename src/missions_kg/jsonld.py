"""JSON-LD that reads back as exactly the same RDF, compacted with the shipped context.

Written in JSON-LD's *flattened* form: every node object sits at the top of its graph and
values only point to other nodes by ``@id``, never embed them. Embedding (what rdflib's
serializer does with a blank node used once) loses blank nodes that point to themselves or to
each other in a cycle; a flat list cannot. Keys and ``@id``/``@type`` values are compacted with
the context shipped in the package (``missions_kg/jsonld-context.json``: ``@vocab``
schema.org plus the project prefixes), which is never fetched. A literal is written as a JSON
number or boolean only where that reads back as the same literal; otherwise as
``{"@value", "@type"}`` or ``{"@value", "@language"}``. Same quads, same bytes: nodes, keys
and values are sorted. No rdflib: the export path stays light.
"""

from __future__ import annotations

import json
import re
from importlib import resources

import pyoxigraph as ox

from .iris import RDF, XSD

_TYPE = RDF + "type"
_STRING, _INTEGER, _BOOLEAN = XSD + "string", XSD + "integer", XSD + "boolean"


def context() -> dict:
    """The shipped JSON-LD context (``{"@context": {...}}``)."""
    text = resources.files("missions_kg").joinpath("jsonld-context.json").read_text("utf-8")
    return json.loads(text)


class Compactor:
    """Compact IRIs (keys, types, ids) and literals against a context; the framed writer
    (:mod:`missions_kg.jsonld_framed`) uses its IRI side."""

    def __init__(self, ctx: dict) -> None:
        self.vocab = ctx.get("@vocab", "")
        self.prefixes = sorted(((k, v) for k, v in ctx.items()
                                if not k.startswith("@") and isinstance(v, str)),
                               key=lambda kv: -len(kv[1]))
        self.terms = {k for k in ctx if not k.startswith("@")}

    def iri(self, value: str, *, vocab: bool) -> str:
        """A compact form that expands back to ``value`` (vocab-relative for keys/types)."""
        if vocab and self.vocab and value.startswith(self.vocab):
            local = value[len(self.vocab):]
            if re.fullmatch(r"[A-Za-z_][\w\-]*", local) and local not in self.terms:
                return local
        for prefix, ns in self.prefixes:
            if value.startswith(ns) and len(value) > len(ns) and not value[len(ns):].startswith(
                    "//"):
                return f"{prefix}:{value[len(ns):]}"
        return value

    def node_id(self, term) -> str:
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        return self.iri(term.value, vocab=False)

    def value(self, term):
        if not isinstance(term, ox.Literal):
            return {"@id": self.node_id(term)}
        if term.language:
            return {"@language": term.language, "@value": term.value}
        datatype = term.datatype.value
        if datatype == _STRING:
            return term.value
        if datatype == _INTEGER and re.fullmatch(r"0|-?[1-9][0-9]*", term.value) and \
                abs(int(term.value)) < 2**53:
            return int(term.value)  # reads back as the same canonical xsd:integer
        if datatype == _BOOLEAN and term.value in ("true", "false"):
            return term.value == "true"
        return {"@type": self.iri(datatype, vocab=True), "@value": term.value}


def _nodes(quads, compact: Compactor) -> list[dict]:
    nodes: dict[str, dict] = {}
    for q in quads:
        node = nodes.setdefault(compact.node_id(q.subject), {"@id": compact.node_id(q.subject)})
        if q.predicate.value == _TYPE and not isinstance(q.object, ox.Literal):
            node.setdefault("@type", []).append(compact.iri(q.object.value, vocab=True))
        else:
            key = compact.iri(q.predicate.value, vocab=True)
            node.setdefault(key, []).append(compact.value(q.object))
    out = []
    for node in nodes.values():
        for key, values in node.items():
            if isinstance(values, list):
                values.sort(key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
                node[key] = values[0] if len(values) == 1 else values
        out.append(node)
    return sorted(out, key=lambda n: n["@id"])


def jsonld_from_quads(quads: list[ox.Quad]) -> bytes:
    """Flattened, compacted JSON-LD with named graphs kept; stable bytes."""
    ctx = context()["@context"]
    compact = Compactor(ctx)
    by_graph: dict[object, list] = {}
    for q in quads:
        by_graph.setdefault(q.graph_name, []).append(q)
    top = _nodes(by_graph.pop(ox.DefaultGraph(), []), compact)
    for graph in sorted(by_graph, key=lambda g: compact.node_id(g)):
        top.append({"@id": compact.node_id(graph), "@graph": _nodes(by_graph[graph], compact)})
    top.sort(key=lambda n: (n["@id"], "@graph" in n))
    doc = {"@context": ctx, "@graph": top}
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
