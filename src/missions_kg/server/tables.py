"""A query's answer as an HTML table: IRIs labelled (the one label policy) and linked to
their pages, literals with their language or datatype."""

from __future__ import annotations

from ..terms import Term, to_oxigraph
from .context import Site
from .views import value_of


def _value(site: Site, term: Term | None, lang: str):
    if term is None:
        return None
    return value_of(site, to_oxigraph(term), lang)


def result_table(site: Site, result, lang: str) -> dict:
    """{"form", "columns", "rows" (lists of Value or None), "boolean", "truncated", "count"}."""
    if result.form == "ASK":
        return {"form": "ASK", "columns": [], "rows": [], "boolean": result.boolean,
                "truncated": False, "count": 1}
    if result.is_graph:
        columns = ["subject", "predicate", "object"]
        rows = [[_value(site, t, lang) for t in triple] for triple in result.triples]
    else:
        columns = list(result.vars)
        rows = [[_value(site, t, lang) for t in row] for row in result.rows]
    return {"form": result.form, "columns": columns, "rows": rows, "boolean": None,
            "truncated": result.truncated, "count": len(rows)}

