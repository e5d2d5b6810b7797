"""A small, bounded HTTP client for Wikidata's action API and SPARQL endpoint.

Every request has a timeout, a size cap and a User-Agent (Wikidata's policy asks for one);
every reply is checked against the documented format before it is used. Any failure —
timeout, connection refused, HTTP error, not JSON, wrong shape — is one
:class:`WikidataError` (exit 2) whose message names the endpoint and what went wrong.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from .. import __version__
from ..errors import MissionsKGError
from ..iris import WD
from . import QID

USER_AGENT = f"missions-kg/{__version__} (https://w3id.org/missions-kg; Wikidata linking)"
MAX_BYTES = 2_000_000


class WikidataError(MissionsKGError):
    """Wikidata could not be asked, or answered something we cannot read (exit 2)."""


@dataclass
class Hit:
    """One search result of ``wbsearchentities``."""

    qid: str
    label: str
    description: str = ""
    language: str | None = None
    match_type: str = ""
    match_text: str = ""
    aliases: list[str] = field(default_factory=list)


@dataclass
class Client:
    api: str
    sparql: str
    timeout: float = 10.0
    requests: int = 0

    def _get(self, base: str, params: dict[str, str], accept: str) -> tuple[str, object]:
        url = base + ("&" if "?" in base else "?") + urllib.parse.urlencode(params)
        host = urllib.parse.urlsplit(base).netloc or base
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                                       "Accept": accept})
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:  # noqa: S310
                body = reply.read(MAX_BYTES + 1)
        except TimeoutError:
            raise WikidataError(f"{host} did not answer within {self.timeout:g} s",
                                hint="try again later or raise --timeout") from None
        except urllib.error.HTTPError as exc:
            raise WikidataError(f"{host} answered HTTP {exc.code} {exc.reason}") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError | socket.timeout):
                raise WikidataError(f"{host} did not answer within {self.timeout:g} s",
                                    hint="try again later or raise --timeout") from None
            raise WikidataError(f"cannot reach {host}: {reason}") from None
        except (OSError, ValueError) as exc:
            raise WikidataError(f"cannot ask {host}: {exc}") from None
        if len(body) > MAX_BYTES:
            raise WikidataError(f"{host} sent more than {MAX_BYTES} bytes; refused")
        try:
            return url, json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise WikidataError(f"malformed reply from {host}: not JSON") from None

    def search(self, text: str, language: str, limit: int = 5) -> tuple[str, list[Hit]]:
        """``wbsearchentities``: items whose label or alias matches ``text`` in ``language``."""
        url, doc = self._get(self.api, {
            "action": "wbsearchentities", "search": text, "language": language,
            "uselang": language, "type": "item", "limit": str(limit), "format": "json"},
            "application/json")
        host = urllib.parse.urlsplit(self.api).netloc
        if isinstance(doc, dict) and isinstance(doc.get("error"), dict):
            info = str(doc["error"].get("info") or doc["error"].get("code"))[:200]
            raise WikidataError(f"{host} refused the search for {text!r}: {info}")
        if not isinstance(doc, dict) or not isinstance(doc.get("search"), list):
            raise WikidataError(f"malformed reply from {host} for {text!r}: no 'search' list")
        return url, [_hit(item, host, text) for item in doc["search"][:limit]]

    def select(self, query: str) -> list[dict[str, dict]]:
        """Run a SELECT on the SPARQL endpoint; the bindings of its JSON results."""
        _url, doc = self._get(self.sparql, {"query": query, "format": "json"},
                              "application/sparql-results+json")
        host = urllib.parse.urlsplit(self.sparql).netloc
        try:
            bindings = doc["results"]["bindings"]
            if not isinstance(doc["head"]["vars"], list) or not isinstance(bindings, list):
                raise TypeError
            for row in bindings:
                for cell in row.values():
                    if not isinstance(cell, dict) or not isinstance(cell["value"], str):
                        raise TypeError
        except (KeyError, TypeError):
            raise WikidataError(f"malformed reply from {host}: not SPARQL JSON results") from None
        return bindings


def _hit(item, host: str, text: str) -> Hit:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str) \
            or not QID.fullmatch(item["id"]):
        raise WikidataError(f"malformed reply from {host} for {text!r}: a result without an "
                            "item id (Q…)")
    display = item.get("display") if isinstance(item.get("display"), dict) else {}
    label = display.get("label") if isinstance(display.get("label"), dict) else {}
    match = item.get("match") if isinstance(item.get("match"), dict) else {}
    aliases = item.get("aliases") if isinstance(item.get("aliases"), list) else []
    return Hit(qid=item["id"], label=str(item.get("label") or label.get("value") or ""),
               description=str(item.get("description") or ""),
               language=label.get("language") or match.get("language"),
               match_type=str(match.get("type") or ""), match_text=str(match.get("text") or ""),
               aliases=[str(a) for a in aliases])


def qid_values(qids) -> str:
    return " ".join(f"<{WD}{q}>" for q in sorted(set(qids), key=lambda q: int(q[1:])))
