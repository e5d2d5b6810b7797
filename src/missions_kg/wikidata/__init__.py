"""Linking the graph to Wikidata: the link store, reconciliation, exports, federated queries.

* :mod:`.links` — the link store ``data/links.trig`` (graph ``mkgg:links``): model, reading,
  review; :mod:`.links_writer` writes it atomically (the file's other content is kept).
* :mod:`.reconcile` — find and score candidates through the action API (``wbsearchentities``)
  and the SPARQL endpoint; off unless asked (``--online``).
* :mod:`.statements` — our statements about verified entities, mapped to Wikidata properties by
  the ontology's SKOS mappings; :mod:`.citations` cites each source (reference URL, or
  imported from a Wikipedia edition listed with its evidence in ``wikimedia.toml``);
  :mod:`.quickstatements` and :mod:`.wikidata_rdf` write them.
* :mod:`.listing` — what ``missions-kg links`` shows; :mod:`.formats` registers the two
  exports with :mod:`missions_kg.formats`. The federated queries (``queries/wikidata/*.rq``)
  are stored queries; ``--wikidata-endpoint`` points them elsewhere
  (:func:`missions_kg.catalogue.with_endpoint`).

Nothing here opens a socket unless a command was given ``--online`` / ``--allow-service``.
"""

from __future__ import annotations

import re

from ..iris import WD

#: A well-formed item id: Q, then a number without leading zero.
QID = re.compile(r"Q[1-9][0-9]*")
DEFAULT_API = "https://www.wikidata.org/w/api.php"
DEFAULT_SPARQL = "https://query.wikidata.org/sparql"
ENV_SPARQL = "MISSIONS_KG_WIKIDATA_SPARQL"
ENV_API = "MISSIONS_KG_WIKIDATA_API"


def qid_of(iri: str) -> str | None:
    """``http://www.wikidata.org/entity/Q42`` → ``Q42``; anything else → None."""
    if iri.startswith(WD) and QID.fullmatch(iri[len(WD):]):
        return iri[len(WD):]
    return None
