"""Run a query on any SPARQL 1.1 Protocol endpoint (``query --endpoint URL``).

The text sent is the one the embedded engine runs (:func:`missions_kg.engine.prepare`), by
HTTP POST (``application/x-www-form-urlencoded``, ``query=…``), which every SPARQL 1.1 store
accepts (oxigraph ``/query``, Fuseki ``/ds/sparql``, GraphDB ``/repositories/ID``, QLever,
Virtuoso ``/sparql``). The answer is read into the engine's :class:`~missions_kg.answer.Result`
of :class:`~missions_kg.terms.Term` values, so every ``--format`` of a local run works
unchanged: SPARQL JSON or XML results for SELECT/ASK, N-Triples, Turtle or RDF/XML for
CONSTRUCT/DESCRIBE (read with pyoxigraph).

Failures are input errors (exit 2), one line each: a timeout, an endpoint that cannot be
reached, an HTTP error (with the first words of the store's own message), an answer that is
not SPARQL (an HTML page: a wrong URL). The network is opened for the endpoint's host only
(:func:`missions_kg.sandbox.allow_network`). Credentials come from the environment only and
never appear in a message: :data:`ENV_USER` / :data:`ENV_PASSWORD` (basic, or digest with
:data:`ENV_AUTH` ``=digest``) or :data:`ENV_TOKEN` (bearer). httpx does the HTTP (timeouts,
digest auth, redirects that drop credentials when they change host).
"""

from __future__ import annotations

import json
import os
import re
from urllib.parse import urlsplit

from .answer import QueryTimeout, Result, capped
from .errors import MissionsKGError, QueryError, UsageError
from .terms import Term, from_oxigraph, iri, literal

ENV_USER = "MISSIONS_KG_ENDPOINT_USER"
ENV_PASSWORD = "MISSIONS_KG_ENDPOINT_PASSWORD"
ENV_TOKEN = "MISSIONS_KG_ENDPOINT_TOKEN"
ENV_AUTH = "MISSIONS_KG_ENDPOINT_AUTH"
RESULTS_JSON = "application/sparql-results+json"
RESULTS_XML = "application/sparql-results+xml"
_ACCEPT = {"results": f"{RESULTS_JSON}, {RESULTS_XML};q=0.9",
           "rdf": "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"}
_RDF = {"application/n-triples": "N_TRIPLES", "text/plain": "N_TRIPLES",
        "text/turtle": "TURTLE", "application/x-turtle": "TURTLE",
        "application/rdf+xml": "RDF_XML", "application/n-quads": "N_QUADS"}
_NS = "{http://www.w3.org/2005/sparql-results#}"


class EndpointError(MissionsKGError):
    """The endpoint could not be reached or did not answer with SPARQL (exit 2)."""


def check_url(url: str, what: str = "--endpoint") -> str:
    """An http(s) URL without credentials in it; its host (for the sandbox)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{what} must be an http:// or https:// URL")
    if parts.username is not None or parts.password is not None:
        raise UsageError(f"{what}: the URL holds credentials (user@ or user:password@); "
                         f"set {ENV_USER} and {ENV_PASSWORD} (or {ENV_TOKEN}) instead",
                         hint="credentials are never taken from the command line")
    return parts.hostname


def auth_from_env():
    """httpx auth from the environment (or None); UsageError if it is half given."""
    import httpx

    user, password, token = (os.environ.get(k) for k in (ENV_USER, ENV_PASSWORD, ENV_TOKEN))
    if token and (user or password):
        raise UsageError(f"set either {ENV_TOKEN} or {ENV_USER}/{ENV_PASSWORD}, not both")
    if token:
        return _bearer(token)
    if user is None and password is None:
        return None
    if not user or password is None:
        raise UsageError(f"{ENV_USER} and {ENV_PASSWORD} go together; one is not set")
    kind = os.environ.get(ENV_AUTH, "basic").strip().lower()
    if kind not in ("basic", "digest"):
        raise UsageError(f"{ENV_AUTH} must be basic or digest")
    return httpx.DigestAuth(user, password) if kind == "digest" else httpx.BasicAuth(
        user, password)


def _bearer(token: str):
    """``Authorization: Bearer …`` as an httpx auth flow (the token never leaves it)."""
    import httpx

    class Bearer(httpx.Auth):
        def auth_flow(self, request):
            request.headers["Authorization"] = f"Bearer {token}"
            yield request

    return Bearer()


def client(timeout: float):
    import httpx

    return httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=True,
                        auth=auth_from_env(), headers={"User-Agent": "missions-kg"})


def request(http, method: str, url: str, *, what: str, timeout: float, **kwargs):
    """One HTTP exchange; network failures as :class:`EndpointError`, a timeout as
    :class:`QueryTimeout`, all without the request's credentials."""
    import httpx

    try:
        return http.request(method, url, **kwargs)
    except httpx.TimeoutException:
        raise QueryTimeout(f"{what} {url} did not answer within {timeout:g} s",
                           hint="raise --timeout, or check that the store is up") from None
    except httpx.HTTPError as e:
        reason = " ".join(str(e).split())[:200] or type(e).__name__
        raise EndpointError(f"cannot reach {what} {url}: {reason}",
                            hint="check the URL, and that the store is running") from None


def http_error(response, what: str) -> EndpointError:
    """The store's refusal in one line, with the first words of its own message."""
    body = response.text if "html" not in response.headers.get("content-type", "") else \
        re.sub(r"<[^>]+>", " ", response.text)
    said = " ".join(body.split())[:240]
    hint = {401: "set the credentials (see --help)", 403: "the store refused: check rights",
            404: "check the URL"}.get(response.status_code)
    return EndpointError(f"{what} {response.url.copy_with(query=None)} answered HTTP "
                         f"{response.status_code} {response.reason_phrase}"
                         + (f": {said}" if said else ""), hint=hint)


def run(endpoint: str, text: str, form: str, *, timeout: float, max_rows: int,
        name: str = "query") -> Result:
    """Send ``text`` (a SELECT/ASK/CONSTRUCT/DESCRIBE of form ``form``) to ``endpoint``."""
    from . import sandbox

    host = check_url(endpoint)
    kind = "rdf" if form in ("CONSTRUCT", "DESCRIBE") else "results"
    with sandbox.allow_network([host]), client(timeout) as http:
        response = request(http, "POST", endpoint, what="the endpoint", timeout=timeout,
                           data={"query": text}, headers={"Accept": _ACCEPT[kind]})
    if response.status_code >= 400:
        raise http_error(response, "the endpoint")
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if kind == "rdf":
            return capped(Result(form, triples=_triples(response.content, media)), max_rows)
        if media in (RESULTS_JSON, "application/json"):
            return capped(_from_json(response.content), max_rows)
        if media in (RESULTS_XML, "application/xml", "text/xml"):
            return capped(_from_xml(response.content), max_rows)
    except (ValueError, KeyError, TypeError, SyntaxError) as e:
        raise EndpointError(f"{name}: the endpoint's answer is not valid {media or 'data'}: "
                            f"{' '.join(str(e).split())[:160]}") from None
    raise _not_sparql(media, endpoint)


def _not_sparql(media: str, endpoint: str) -> EndpointError:
    if "html" in media:
        return EndpointError(f"{endpoint} answered with an HTML page, not SPARQL results",
                             hint="is it the query endpoint? e.g. …/query (oxigraph), "
                                  "…/sparql (Virtuoso, Fuseki), …/repositories/ID (GraphDB)")
    return EndpointError(f"{endpoint} answered {media or 'without a content type'}, not "
                         "SPARQL results", hint="is it a SPARQL 1.1 query endpoint?")


def _json_term(cell: dict) -> Term:
    kind, value = cell["type"], cell["value"]
    if kind == "uri":
        return iri(value)
    if kind == "bnode":
        return Term("bnode", value)
    if kind in ("literal", "typed-literal"):
        return literal(value, cell.get("datatype"), cell.get("xml:lang"))
    raise ValueError(f"unknown term type {kind!r}")


def _from_json(data: bytes) -> Result:
    doc = json.loads(data)
    if "boolean" in doc:
        return Result("ASK", boolean=bool(doc["boolean"]))
    names = list(doc["head"]["vars"])
    rows = [tuple(_json_term(b[v]) if v in b else None for v in names)
            for b in doc["results"]["bindings"]]
    return Result("SELECT", vars=names, rows=rows)


def _from_xml(data: bytes) -> Result:
    from xml.etree import ElementTree

    root = ElementTree.fromstring(data)  # expat: no external entities, no DTD fetches
    boolean = root.find(f"{_NS}boolean")
    if boolean is not None:
        return Result("ASK", boolean=(boolean.text or "").strip() == "true")
    names = [v.get("name") for v in root.iter(f"{_NS}variable")]
    rows = []
    for result in root.iter(f"{_NS}result"):
        cells: dict[str, Term] = {}
        for binding in result.findall(f"{_NS}binding"):
            node = binding[0]
            tag, value = node.tag.removeprefix(_NS), node.text or ""
            if tag == "uri":
                cells[binding.get("name")] = iri(value)
            elif tag == "bnode":
                cells[binding.get("name")] = Term("bnode", value)
            else:
                lang = node.get("{http://www.w3.org/XML/1998/namespace}lang")
                cells[binding.get("name")] = literal(value, node.get("datatype"), lang)
        rows.append(tuple(cells.get(n) for n in names))
    return Result("SELECT", vars=names, rows=rows)


def _triples(data: bytes, media: str) -> list[tuple[Term, Term, Term]]:
    import pyoxigraph as ox

    fmt = _RDF.get(media)
    if fmt is None:
        raise _not_sparql(media, "the endpoint")
    return [(from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object))
            for q in ox.parse(data, format=getattr(ox.RdfFormat, fmt))]


def not_remote(option: str) -> QueryError:
    return QueryError(f"{option} works on the local project, not with --endpoint",
                      hint="publish your files first (missions-kg publish --store URL)")
