"""The link store: ``data/links.trig``, graph ``mkgg:links``.

Each link is a record (``mkg:WikidataLink``) about one entity and one Wikidata item, with its
status (``verified`` / ``candidate`` / ``rejected``), score, reasons, the P31 classes seen for
the item, who accepted it, and its evidence (``mkg:LinkEvidence``: the source it rests on, a
citation and excerpt, the matched label and description, the day it was checked). A verified
link is also a ``schema:sameAs`` triple, so queries that follow sameAs see only verified links.

:func:`write_store` rewrites only the ``GRAPH mkgg:links { … }`` block of the file: the header,
the prefixes and every other block (the source descriptions in ``mkgg:sources``) stay as they
are, byte for byte. The new text is parsed and compared before it replaces the old file
(temporary file, then rename), so a failed write leaves the store unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .. import iris
from ..errors import InputError, MissionsKGError
from . import QID, qid_of

STATUSES = ("verified", "candidate", "rejected")
STORE_FILE = "links.trig"
GRAPH_LINKS = iris.GRAPH + "links"
MKG, S, RDF_TYPE = iris.ONTOLOGY, iris.SCHEMA, iris.RDF + "type"
_BLOCK = re.compile(r"^GRAPH\s+(?:mkgg:links|<" + re.escape(GRAPH_LINKS) + r">)\s*\{[ \t]*\n"
                    r"(?:.*\n)*?\}[ \t]*(?:\n|$)", re.MULTILINE)
_PREFIX = re.compile(r"^PREFIX\s+([\w-]*):\s*<([^>]*)>", re.MULTILINE | re.IGNORECASE)
_USED_PREFIXES = ("schema", "mkg", "mkgid", "mkgg", "src", "wd", "xsd")


@dataclass
class Evidence:
    """One piece of evidence for a link (every field optional except what the source gave)."""

    source: str | None = None  # IRI of the described source (schema:isBasedOn)
    citation: str | None = None
    excerpt: str | None = None
    url: str | None = None  # the page or request that showed it
    checked_on: str | None = None  # YYYY-MM-DD, only when known
    matched_label: str | None = None
    label_lang: str | None = None
    matched_description: str | None = None


@dataclass
class Link:
    entity: str
    qid: str
    status: str = "candidate"
    accepted_by: str | None = None
    score: float | None = None
    reasons: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    instance_of: list[str] = field(default_factory=list)  # QIDs of the item's P31
    ambiguous_with: list[str] = field(default_factory=list)  # QIDs of rival candidates
    name: str | None = None  # the record's schema:name
    note: str | None = None  # the record's schema:description (English)

    @property
    def record(self) -> str:
        return record_iri(self.entity, self.qid)

    def validate(self) -> None:
        if not QID.fullmatch(self.qid):
            raise InputError(f"{self.qid!r} is not a Wikidata item id (Q followed by digits)")
        if self.status not in STATUSES:
            raise InputError(f"link status {self.status!r} is not one of {', '.join(STATUSES)}")


def record_iri(entity: str, qid: str) -> str:
    local = entity[len(iris.ID):] if entity.startswith(iris.ID) else re.sub(r"\W+", "-", entity)
    return f"{iris.ID}link-{local}-{qid.lower()}"


@dataclass
class LinkStore:
    path: Path
    links: list[Link]
    extra: list[ox.Quad] = field(default_factory=list)  # other triples in mkgg:links, kept

    def find(self, entity: str, qid: str) -> Link | None:
        return next((k for k in self.links if k.entity == entity and k.qid == qid), None)

    def for_entity(self, entity: str) -> list[Link]:
        return [k for k in self.links if k.entity == entity]

    def verified(self) -> list[Link]:
        return [k for k in self.links if k.status == "verified"]


def store_path(project) -> Path:
    return project.root / "data" / STORE_FILE


# -- reading --------------------------------------------------------------------------------

def read_store(path: Path) -> LinkStore:
    """Parse ``path`` (a missing file is an empty store) into links + kept extra triples."""
    from ..loading import read_quads

    if not path.is_file():
        return LinkStore(path, [])
    quads = [q for q in read_quads(path, ox.RdfFormat.TRIG, name=str(path))
             if q.graph_name.value == GRAPH_LINKS]
    return LinkStore(path, *_links_from(quads))


def _links_from(quads: list[ox.Quad]) -> tuple[list[Link], list[ox.Quad]]:
    by_subject: dict[str, list[ox.Quad]] = {}
    for q in quads:
        by_subject.setdefault(q.subject.value, []).append(q)
    used: set[ox.Quad] = set()
    links = []
    for subject, sq in sorted(by_subject.items()):
        if not any(q.predicate.value == RDF_TYPE and q.object.value == MKG + "WikidataLink"
                   for q in sq):
            continue
        one = {q.predicate.value: q.object for q in sq}
        about, target = one.get(S + "about"), one.get(MKG + "linkTarget")
        qid = qid_of(target.value) if target is not None else None
        if about is None or qid is None:
            continue  # a malformed record stays as extra triples; the shape reports it
        link = Link(about.value, qid, one[MKG + "linkStatus"].value
                    if MKG + "linkStatus" in one else "candidate")
        link.accepted_by = _value(one.get(MKG + "acceptedBy"))
        score = one.get(MKG + "score")
        link.score = float(score.value) if score is not None else None
        link.reasons = [o.value for o in _many(sq, MKG + "reason")]
        link.instance_of = sorted((qid_of(o.value) for o in _many(sq, MKG + "targetInstanceOf")
                                   if qid_of(o.value)), key=_qnum)
        rivals = {_record_qid(o.value, by_subject) for o in _many(sq, MKG + "ambiguousWith")}
        link.ambiguous_with = sorted(rivals - {None}, key=_qnum)
        link.name = _value(one.get(S + "name"))
        link.note = _value(one.get(S + "description"))
        for ev in sorted(_many(sq, MKG + "evidence"), key=_evidence_order):
            eq = by_subject.get(ev.value, [])
            link.evidence.append(_evidence(eq))
            used.update(eq)
        if record_iri(link.entity, qid) != subject:
            continue  # an unexpected record IRI: kept verbatim as extra triples
        used.update(sq)
        links.append(link)
    verified = {(k.entity, k.qid) for k in links if k.status == "verified"}
    for q in quads:  # sameAs of verified links is derived from the records
        if q.predicate.value == S + "sameAs" and (q.subject.value, qid_of(q.object.value)) \
                in verified:
            used.add(q)
    return links, [q for q in quads if q not in used]


def _evidence_order(term) -> tuple:
    head, _, number = term.value.rpartition("-")
    return (head, int(number)) if number.isdigit() else (term.value, 0)


def _many(quads: list[ox.Quad], predicate: str) -> list:
    return sorted((q.object for q in quads if q.predicate.value == predicate), key=str)


def _record_qid(record: str, by_subject) -> str | None:
    for q in by_subject.get(record, []):
        if q.predicate.value == MKG + "linkTarget":
            return qid_of(q.object.value)
    return None


def _evidence(quads: list[ox.Quad]) -> Evidence:
    one = {q.predicate.value: q.object for q in quads}
    label = one.get(MKG + "matchedLabel")
    return Evidence(
        source=_value(one.get(S + "isBasedOn")), citation=_value(one.get(S + "citation")),
        excerpt=_value(one.get(S + "text")), url=_value(one.get(S + "url")),
        checked_on=_value(one.get(MKG + "checkedOn")), matched_label=_value(label),
        label_lang=label.language if isinstance(label, ox.Literal) else None,
        matched_description=_value(one.get(MKG + "matchedDescription")))


def _value(term) -> str | None:
    return None if term is None else term.value


def _qnum(qid: str) -> int:
    return int(qid[1:])


# -- writing --------------------------------------------------------------------------------

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
    return (link.entity, STATUSES.index(link.status), _qnum(link.qid))


def render_block(store: LinkStore) -> str:
    """The ``GRAPH mkgg:links { … }`` block for ``store`` (deterministic)."""
    out = ["GRAPH mkgg:links {"]
    for link in sorted(store.links, key=_sort_key):
        link.validate()
        out.append("")
        if link.status == "verified":
            out.append(f"  {_iri(link.entity)} schema:sameAs wd:{link.qid} .")
        props = [("a", "mkg:WikidataLink"),
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
    from ..export import write_atomic

    path = store.path
    old = path.read_text(encoding="utf-8") if path.is_file() else None
    new = render_file(store, old)
    before = _quads(old, path) if old is not None else set()
    after = _quads(new, path)
    outside = lambda qs: {q for q in qs if q.graph_name.value != GRAPH_LINKS}  # noqa: E731
    if outside(before) != outside(after):
        raise MissionsKGError(f"{path}: rewriting the links block would change other graphs; "
                              "nothing written", hint="keep GRAPH mkgg:links in one block")
    again = _links_from([q for q in after if q.graph_name.value == GRAPH_LINKS])
    if render_block(LinkStore(path, *again)) != render_block(store):
        raise MissionsKGError(f"{path}: the rewritten links do not read back; nothing written")
    write_atomic(path, new.encode("utf-8"))


def _quads(text: str, path: Path) -> set[ox.Quad]:
    try:
        return set(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TRIG))
    except SyntaxError as exc:
        raise InputError(f"links store would not parse: {exc}", path=path) from None


def load(project) -> LinkStore:
    return read_store(store_path(project))


def set_status(store: LinkStore, entity: str, qid: str, status: str, by: str,
               reason: str | None = None) -> Link:
    """A person's review: make the record (entity, qid) ``verified`` or ``rejected``.

    Refuses to verify an item that is already another entity's verified item, or a second
    item for an entity that has one (reject the old link first). The record must exist (it
    holds the evidence): links are found by reconciliation or written with their evidence.
    """
    from ..errors import UsageError

    if status not in ("verified", "rejected"):
        raise UsageError(f"a review sets verified or rejected, not {status!r}")
    if not by.strip():
        raise UsageError("say who reviews the link (--by NAME)")
    link = store.find(entity, qid)
    if link is None:
        raise UsageError(f"no link record for <{entity}> = {qid}",
                         hint="run `links reconcile --online --entity …` to find it with evidence")
    if status == "verified":
        for other in store.verified():
            if other.qid == qid and other.entity != entity:
                raise UsageError(f"{qid} is already the verified item of <{other.entity}>")
            if other.entity == entity and other.qid != qid:
                raise UsageError(f"<{entity}> is already linked to {other.qid}",
                                 hint=f"reject {other.qid} first")
    link.status, link.accepted_by = status, by.strip()
    link.ambiguous_with = []
    for rival in store.for_entity(entity):
        rival.ambiguous_with = [q for q in rival.ambiguous_with if q != qid]
    if reason:
        link.reasons.append(f"review: {reason}")
    return link
