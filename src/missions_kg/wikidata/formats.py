"""The Wikidata exports, registered as formats of kind ``export`` (loaded by name from
:mod:`missions_kg.formats`, so nothing below the CLI imports this package to export)."""

from __future__ import annotations

from ..formats import Format, register

register(Format("quickstatements", "export", "text/plain", ".qs", ("qs",),
                summary="QuickStatements v1: our statements about verified items",
                writer="missions_kg.wikidata.quickstatements:export"))
register(Format("wikidata-rdf", "export", "text/turtle", ".ttl",
                summary="the same in Wikidata's RDF shape (wdt:/p:/ps:/pq:)",
                writer="missions_kg.wikidata.wikidata_rdf:export"))
