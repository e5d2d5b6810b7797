"""Typed query parameters: declared in a stored query's header, given as ``-p name=value``.

Each value is checked and turned into an RDF term (:class:`~missions_kg.terms.Term`) here;
:mod:`missions_kg.bindings` writes the term into the query in its N-Triples spelling (raw user
text never reaches the query). See :mod:`missions_kg.catalogue` for the header syntax.

An ``iri`` parameter may take a name instead (``{type: iri, match: label}``: "Hélène Viviès"
→ ``mkgid:helene-vivies``; ``match: graph``: "seed-001-…" → ``mkgg:seed-001-…``), resolved on
the client against the project's data (:mod:`missions_kg.lookup`), so the query itself only
ever compares IRIs; ``class: mkg:FictionalCharacter`` keeps the candidates of that class.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .errors import MissionsKGError, QueryError
from .iris import PREFIXES, XSD
from .terms import Term, iri, literal

TYPES = ("iri", "xsd:integer", "xsd:decimal", "xsd:boolean", "xsd:date", "xsd:gYear",
         "xsd:string", "literal", "langString")
SPEC_KEYS = ("type", "default", "min", "max", "lang", "doc", "match", "class")
#: How an ``iri`` parameter may be given by name (see the module docstring).
MATCHES = ("label", "graph")
INT64 = 2**63 - 1
_BAD_IRI_CHAR = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_LANG_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")


@dataclass(frozen=True)
class Param:
    """One declared parameter; ``default is None`` means required."""

    name: str
    type: str
    default: str | None = None
    doc: str = ""
    lang: str | None = None
    min: str | None = None
    max: str | None = None
    #: ``label`` or ``graph``: an ``iri`` parameter that may be given by name
    match: str | None = None
    #: with ``match: label``, only things of this class (IRI or CURIE) are candidates
    cls: str | None = None

    @property
    def required(self) -> bool:
        return self.default is None

    def as_dict(self) -> dict:
        return {"type": self.type, "default": self.default, "required": self.required,
                "doc": self.doc, "lang": self.lang, "min": self.min, "max": self.max,
                "match": self.match, "class": self.cls}

    @property
    def kind(self) -> str:
        """The type as a person reads it: ``iri or name`` for a ``match`` parameter."""
        return self.type + {"label": " or name", "graph": " or graph name"}.get(
            self.match or "", "")

    def describe(self) -> str:
        extra = "required" if self.required else f"default {self.default}"
        return f"{self.name} ({self.kind}, {extra})" + (f": {self.doc}" if self.doc else "")


def convert(param: Param, raw: str, *, lang: str = "en", prefixes: dict[str, str] | None = None,
            query: str = "", resolve=None) -> Term:
    """Turn one textual value into a typed term, or raise :class:`QueryError` saying why.

    ``resolve(param, name) -> IRI`` turns a name into an IRI for a ``match`` parameter (the
    CLI passes one over the project's data); without it a name is refused."""
    where = f"{query}: " if query else ""

    def bad(why: str) -> QueryError:
        return QueryError(f"{where}parameter {param.name}={raw!r}: {why}")

    t = param.type
    known = {**PREFIXES, **(prefixes or {})}
    if t == "iri" and param.match and not is_iri(raw, known):
        if not raw.strip():
            raise bad("empty; give a name, an IRI or a CURIE")
        if resolve is None:
            raise bad(f"a name, and nothing here resolves names ({param.match}); "
                      "give the IRI or CURIE")
        try:
            found = resolve(param, raw.strip())
        except MissionsKGError as e:
            raise QueryError(f"{where}{e.message}", hint=e.hint) from None
        return iri(expand_iri(found, known, bad))
    if t == "iri":
        return iri(expand_iri(raw, known, bad))
    if t in ("xsd:string", "literal"):
        return literal(raw)
    if t == "langString":
        text, tag = raw, param.lang if param.lang not in (None, "any") else lang
        m = re.fullmatch(r"(.*)@([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)", raw, re.DOTALL)
        if m:
            text, tag = m.groups()
        if not tag or not _LANG_TAG.fullmatch(tag):
            raise bad(f"invalid language tag {tag!r}")
        return literal(text, lang=tag)
    if t == "xsd:integer":
        if not re.fullmatch(r"[+-]?[0-9]+", raw.strip()):
            raise bad("not an integer")
        value = int(raw)
        _check_range(param, value, bad)
        return literal(str(value), XSD + "integer")
    if t == "xsd:decimal":
        try:
            if not re.fullmatch(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", raw.strip()):
                raise InvalidOperation
            value = Decimal(raw.strip())
        except InvalidOperation:
            raise bad("not a decimal number (e.g. 2.5)") from None
        _check_range(param, value, bad)
        text = format(value, "f")
        return literal(text if "." in text else text + ".0", XSD + "decimal")
    if t == "xsd:boolean":
        mapping = {"true": "true", "1": "true", "false": "false", "0": "false"}
        if raw.strip().lower() not in mapping:
            raise bad("not a boolean (true/false)")
        return literal(mapping[raw.strip().lower()], XSD + "boolean")
    if t == "xsd:date":
        try:
            if not re.fullmatch(r"-?[0-9]{4}-[0-9]{2}-[0-9]{2}", raw.strip()):
                raise ValueError
            dt.date.fromisoformat(raw.strip())
        except ValueError:
            raise bad("not a date (YYYY-MM-DD)") from None
        return literal(raw.strip(), XSD + "date")
    if t == "xsd:gYear":
        if not re.fullmatch(r"-?[0-9]{4,}", raw.strip()):
            raise bad("not a year (YYYY)")
        _check_range(param, int(raw), bad)
        return literal(raw.strip(), XSD + "gYear")
    raise bad(f"unknown type {t!r}")  # unreachable: types are checked when the header is read


def _check_range(param: Param, value, bad) -> None:
    lo = Decimal(param.min) if param.min is not None else Decimal(-INT64 - 1)
    hi = Decimal(param.max) if param.max is not None else Decimal(INT64)
    if not lo <= value <= hi:
        raise bad(f"out of range ({lo}..{hi})")


def is_iri(raw: str, prefixes: dict[str, str]) -> bool:
    """Is ``raw`` written as an IRI or CURIE (not a name to resolve)?"""
    try:
        expand_iri(raw, prefixes, lambda why: ValueError(why))
    except ValueError:
        return False
    return True


def expand_iri(raw: str, prefixes: dict[str, str], bad) -> str:
    """Absolute IRI or CURIE → IRI; refuses anything that could break out of an IRI term."""
    value = raw.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    m = _BAD_IRI_CHAR.search(value)
    if m:
        raise bad(f"invalid IRI: contains {m.group()!r}")
    prefix, sep, local = value.partition(":")
    if not sep or not _SCHEME.match(value):
        raise bad("invalid IRI: not absolute and not a CURIE (e.g. mkgid:helene-vivies)")
    if prefix in prefixes:
        return prefixes[prefix] + local
    if local.startswith("//") or prefix.lower() in ("urn", "mailto", "tag", "did"):
        return value
    raise bad(f"invalid IRI: unknown prefix {prefix + ':'!r} (known: "
              f"{', '.join(sorted(prefixes))})")


def param_from_spec(name: str, spec, where: str) -> Param:
    """A :class:`Param` from its header entry ``name: {type: …, default: …, doc: …}`` (a YAML
    mapping; scalars are kept as the text a user would type with ``-p``)."""
    if not re.fullmatch(r"[A-Za-z_]\w*", str(name)):
        raise QueryError(f"{where}: parameter name {name!r} is not a SPARQL variable name")
    if not isinstance(spec, dict):
        raise QueryError(f"{where}: parameter {name}: expected {{type: …, doc: …}}")
    unknown = sorted(set(map(str, spec)) - set(SPEC_KEYS))
    if unknown:
        raise QueryError(f"{where}: parameter {name}: unknown key {unknown[0]!r} "
                         f"(keys: {', '.join(SPEC_KEYS)})")
    fields = {str(k): _text(v) for k, v in spec.items() if v is not None}
    ptype = {"rdf:langString": "langString", "string": "xsd:string"}.get(
        fields.get("type", ""), fields.get("type", ""))
    if ptype not in TYPES:
        raise QueryError(f"{where}: parameter {name}: type {ptype!r} is not one of "
                         f"{', '.join(TYPES)}")
    match = fields.get("match")
    if match is not None and (ptype != "iri" or match not in MATCHES):
        raise QueryError(f"{where}: parameter {name}: match must be one of "
                         f"{', '.join(MATCHES)}, on an iri parameter")
    cls = fields.get("class")
    if cls is not None:
        if match != "label":
            raise QueryError(f"{where}: parameter {name}: class goes with match: label")
        cls = expand_iri(cls, PREFIXES, lambda why: QueryError(
            f"{where}: parameter {name}: class {cls!r}: {why}"))
    param = Param(name, ptype, fields.get("default"), fields.get("doc", ""), fields.get("lang"),
                  fields.get("min"), fields.get("max"), match, cls)
    try:
        for bound in (param.min, param.max):
            if bound is not None:
                Decimal(bound)
    except InvalidOperation:
        raise QueryError(f"{where}: parameter {name}: min/max must be numbers") from None
    if param.default is not None and name != "lang":
        convert(param, param.default, query=where, resolve=lambda _p, value: "urn:x-name:ok")
    return param


def _text(value) -> str:
    """A YAML scalar as the text a user would type: ``true``, ``1``, ``2.5``, ``Jeanne``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
