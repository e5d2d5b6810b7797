"""Writing the link store back to ``data/links.trig``.

:func:`write_store` rewrites only the ``GRAPH mkgg:links { … }`` block of the file: the header,
the prefixes and every other block (the source descriptions in ``mkgg:sources``) stay as they
are, byte for byte. The new text is parsed and compared before it replaces the old file
(temporary file, then rename), so a failed write leaves the store unchanged.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from .. import iris
from ..errors import InputError, MissionsKGError
from .links import GRAPH_LINKS, STATUSES, Evidence, Link, LinkStore, links_from, record_iri

_BLOCK = re.compile(r"^GRAPH\s+(?:mkgg:links|<" + re.escape(GRAPH_LINKS) + r">)\s*\{[ \t]*\n"
                    r"(?:.*\n)*?\}[ \t]*(?:\n|$)", re.MULTILINE)
_PREFIX = re.compile(r"^PREFIX\s+([\w-]*):\s*<([^>]*)>", re.MULTILINE | re.IGNORECASE)
_USED_PREFIXES = ("schema", "mkg", "mkgid", "mkgg", "src", "wd", "xsd")


def _iri(value: str) -> str:
    for prefix in _USED_PREFIXES:
        base = iris.PREFIXES[prefix]
        local = value[len(base):]
        if value.startswith(base) and re.fullmatch(r"[A-Za-z0-9_][\w-]*", local or "-"):
            return f"{prefix}:{local}"
    return str(ox.NamedNode(value))


def _lit(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    if lang:
        return str(ox.Literal(value, language=lang))
    if datatype:
        return str(ox.Literal(value, datatype=ox.NamedNode(datatype))).replace(
            f"^^<{datatype}>", "^^" + _iri(datatype))
    return str(ox.Literal(value))


def _sort_key(link: Link):
    return (link.entity, STATUSES.index(link.status), int(link.qid[1:]))


def render_block(store: LinkStore) -> str:
    """The ``GRAPH mkgg:links { … }`` block for ``store`` (deterministic)."""
    out = ["GRAPH mkgg:links {"]
    for link in sorted(store.links, key=_sort_key):
        link.validate()
        out.append("")
        if link.status == "verified":
            out.append(f"  {_iri(link.entity)} schema:sameAs wd:{link.qid} .")
        props = [("a", "mkg:WikidataLink, schema:Claim"),
                 ("schema:name", _lit(link.name or f"Wikidata link: "
                                      f"{link.entity.rsplit('/', 1)[-1]} = {link.qid}", "en")),
                 ("schema:about", _iri(link.entity)),
                 ("mkg:linkTarget", f"wd:{link.qid}"),
                 ("mkg:linkStatus", _lit(link.status))]
        if link.note:
            props.append(("schema:description", _lit(link.note, "en")))
        if link.accepted_by:
            props.append(("mkg:acceptedBy", _lit(link.accepted_by)))
        if link.score is not None:
            props.append(("mkg:score", _lit(f"{link.score:.3f}", datatype=iris.XSD + "decimal")))
        props += [("mkg:reason", _lit(r, "en")) for r in sorted(link.reasons)]
        props += [("mkg:targetInstanceOf", f"wd:{q}") for q in link.instance_of]
        props += [("mkg:ambiguousWith", _iri(record_iri(link.entity, q)))
                  for q in link.ambiguous_with]
        evidence_iris = [f"{link.record}-evidence-{n}" for n in range(1, len(link.evidence) + 1)]
        props += [("mkg:evidence", _iri(e)) for e in evidence_iris]
        out.append(_block(_iri(link.record), props))
        for n, (iri, ev) in enumerate(zip(evidence_iris, link.evidence, strict=True), 1):
            out.append(_block(_iri(iri), _evidence_props(link, ev, n)))
    extra = sorted(f"  {_term(q.subject)} {_term(q.predicate)} {_term(q.object)} ."
                   for q in store.extra)
    if extra:
        out += ["", "  # --- other triples in this graph (kept as they were) ---", *extra]
    out.append("}")
    return "\n".join(out) + "\n"


def _evidence_props(link: Link, ev: Evidence, n: int) -> list[tuple[str, str]]:
    what = (link.name or "").removeprefix("Wikidata link: ") or \
        f"{link.entity.rsplit('/', 1)[-1]} = {link.qid}"
    props = [("a", "mkg:LinkEvidence, schema:Claim"),
             ("schema:name", _lit(f"Evidence {n} for {what}", "en")),
             ("schema:about", _iri(link.entity))]
    if ev.source:
        props.append(("schema:isBasedOn", _iri(ev.source)))
    if ev.citation:
        props.append(("schema:citation", _lit(ev.citation)))
    if ev.excerpt:
        props.append(("schema:text", _lit(ev.excerpt)))
    if ev.url:
        props.append(("schema:url", str(ox.NamedNode(ev.url))))
    if ev.matched_label:
        props.append(("mkg:matchedLabel", _lit(ev.matched_label, ev.label_lang)))
    if ev.matched_description:
        props.append(("mkg:matchedDescription", _lit(ev.matched_description, ev.label_lang)))
    if ev.checked_on:
        props.append(("mkg:checkedOn", _lit(ev.checked_on, datatype=iris.XSD + "date")))
    return props


def _block(subject: str, props: list[tuple[str, str]]) -> str:
    lines = [f"  {subject} {props[0][0]} {props[0][1]}"]
    lines += [f"      {p} {o}" for p, o in props[1:]]
    return " ;\n".join(lines) + " ."


def _term(term) -> str:
    return _iri(term.value) if isinstance(term, ox.NamedNode) else str(term)


_NEW_FILE = """\
# The link store: links from our entities to Wikidata items (graph mkgg:links), written by
# `missions-kg links reconcile` and by hand. See README "Linking to Wikidata".

PREFIX schema: <https://schema.org/>
PREFIX mkg: <https://w3id.org/missions-kg/ontology#>
PREFIX mkgid: <https://w3id.org/missions-kg/id/>
PREFIX mkgg: <https://w3id.org/missions-kg/graph/>
PREFIX src: <https://w3id.org/missions-kg/source/>
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

"""


def render_file(store: LinkStore, old_text: str | None) -> str:
    """The whole file: ``old_text`` with its links block replaced (or appended)."""
    text = old_text if old_text is not None else _NEW_FILE
    block = render_block(store)
    declared = {m.group(1): m.group(2) for m in _PREFIX.finditer(text)}
    missing = [f"PREFIX {p}: <{iris.PREFIXES[p]}>" for p in _USED_PREFIXES if p not in declared]
    wrong = [p for p in _USED_PREFIXES if p in declared and declared[p] != iris.PREFIXES[p]]
    if wrong:
        raise InputError(f"{store.path.name}: prefix {wrong[0]}: is not {iris.PREFIXES[wrong[0]]}",
                         hint="fix the PREFIX line; the link store uses the project prefixes")
    if missing:
        block = "\n".join(missing) + "\n\n" + block
    m = _BLOCK.search(text)
    if m:
        return text[:m.start()] + block + text[m.end():]
    return text.rstrip("\n") + "\n\n" + block


def write_store(store: LinkStore) -> None:
    """Replace the links block of ``store.path``, keep everything else, write atomically.

    The new text must parse, hold exactly the store's links, and leave every triple outside
    ``mkgg:links`` unchanged; otherwise nothing is written.
    """
    from ..files import write_output

    path = store.path
    old = path.read_text(encoding="utf-8") if path.is_file() else None
    new = render_file(store, old)
    before = _quads(old, path) if old is not None else set()
    after = _quads(new, path)
    outside = lambda qs: {q for q in qs if q.graph_name.value != GRAPH_LINKS}  # noqa: E731
    if outside(before) != outside(after):
        raise MissionsKGError(f"{path}: rewriting the links block would change other graphs; "
                              "nothing written", hint="keep GRAPH mkgg:links in one block")
    again = links_from([q for q in after if q.graph_name.value == GRAPH_LINKS])
    if render_block(LinkStore(path, *again)) != render_block(store):
        raise MissionsKGError(f"{path}: the rewritten links do not read back; nothing written")
    write_output(path, new.encode("utf-8"))


def _quads(text: str, path: Path) -> set[ox.Quad]:
    try:
        return set(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TRIG))
    except SyntaxError as exc:
        raise InputError(f"links store would not parse: {exc}", path=path) from None

