"""Names given for ``match`` parameters, resolved to IRIs on the client.

A stored query compares IRIs only, so it runs the same on any store; a person may still type
a name (``who-plays -p character="jeanne renoir"``). The name is looked up here, in the
project's build, before the query text is made:

* ``match: label``: the accent- and case-insensitive matcher of ``describe``
  (:func:`missions_kg.description.label_matches`) over every name and label of the build,
  kept to things of the parameter's ``class`` (asserted or inferred type, through
  ``rdfs:subClassOf*`` in the ontology graph). One match is the answer; several are an error
  listing them; none is an error with a hint (close names, or how to search).
* ``match: graph``: a graph's short name (``seed-001-thelogbook-ulysse``, ``user/my.ttl``)
  is ``mkgg:`` + the name, and must be a graph of the build.

An IRI or CURIE is never looked up: it is used as given (:func:`missions_kg.params.convert`).
"""

from __future__ import annotations

from collections.abc import Callable

from . import iris
from .errors import UsageError


def resolver(built_or_factory) -> Callable:
    """``resolve(param, name) -> IRI`` over a build (or a function returning one, called on
    the first name only, so a run without names never builds for nothing)."""
    memo: dict = {}
    box: list = []

    def built():
        if not box:
            box.append(built_or_factory() if callable(built_or_factory) else built_or_factory)
        return box[0]

    def resolve(param, name: str) -> str:
        key = (param.match, param.cls, name)
        if key not in memo:
            memo[key] = (by_graph_name(built(), param, name) if param.match == "graph"
                         else by_label(built(), param, name))
        return memo[key]

    return resolve


def by_label(built, param, name: str) -> str:
    from .description import label_matches, listing
    from .store import open_store
    from .terms import curie

    store = open_store(built)
    found = _of_class(store, label_matches(store, name), param.cls)
    what = f"a {curie(param.cls)}" if param.cls else "anything"
    if len(found) == 1:
        return next(iter(found))
    if found:
        raise UsageError(f"parameter {param.name}={name!r} names {len(found)} things: "
                         f"{listing(found)}", hint="give the IRI or CURIE of the one you mean")
    close = _of_class(store, label_matches(store, name, partial=True), param.cls)
    hint = (f"did you mean {listing(close, 5)}?" if close else
            "`missions-kg describe NAME` searches every name; or give an IRI or CURIE")
    raise UsageError(f"parameter {param.name}={name!r}: no name or label of {what} is "
                     "that (case and accents do not matter)", hint=hint)


def _of_class(store, found: dict[str, set[str]], cls: str | None) -> dict[str, set[str]]:
    if not cls or not found:
        return found
    keep = {}
    for iri, names in found.items():
        ask = (f"ASK {{ GRAPH ?g {{ <{iri}> a ?t }} "
               f"GRAPH <{iris.GRAPH_ONTOLOGY}> {{ ?t <{iris.RDFS}subClassOf>* <{cls}> }} }}")
        if store.query(ask):  # IRIs from the store and from a checked header, nothing typed
            keep[iri] = names
    return keep


def by_graph_name(built, param, name: str) -> str:
    graph = built.graph_named(name)
    if graph is None:
        raise UsageError(f"parameter {param.name}={name!r}: no graph of this dataset is named "
                         f"{iris.GRAPH}{name}", hint=built.graph_hint(name))
    return graph
