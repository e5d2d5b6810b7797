"""The stored-query catalogue as documents: what ``missions-kg queries`` prints (text), the
whole catalogue for programs (JSON), and the tables of ``queries/README.md`` (Markdown).

The README's tables are generated from the headers, between marker lines, so they cannot go
stale: ``missions-kg queries --format markdown`` prints them, :func:`update_readme` rewrites
them in place, and a test fails when the README differs from what the headers say.
"""

from __future__ import annotations

import json
import re

from .catalogue import Catalogue, StoredQuery

BEGIN = "<!-- BEGIN generated: missions-kg queries --format markdown -->"
END = "<!-- END generated -->"


def to_text(queries: list[StoredQuery]) -> str:
    lines = []
    for q in queries:
        service = f"  (federated: needs --allow-service; SERVICE <{q.service}>)" \
            if q.service else ""
        lines.append(f"{q.name}  [{q.form}]  {q.summary}{service}")
        lines += [f"    -p {p.describe()}" for p in q.params.values()]
    return "\n".join(lines) + ("\n" if lines else "")


def to_json(queries: list[StoredQuery], root=None) -> str:
    """Every query's header as data: name, summary, description, tags, form, service,
    parameters (type, default, doc, …) and file (relative to ``root`` when given)."""
    out = []
    for q in queries:
        item = q.as_dict()
        if root is not None and q.path is not None:
            try:
                item["file"] = q.path.resolve().relative_to(root).as_posix()
            except ValueError:
                pass
        out.append(item)
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _params(q: StoredQuery) -> str:
    if not q.params:
        return "–"
    return ", ".join(f"`{p.name}` ({p.kind}" + (f", default `{p.default}`" if p.default
                                                 is not None else ", required") + ")"
                     for p in q.params.values())


def to_markdown(catalogue: Catalogue, checks: Catalogue | None = None) -> str:
    """The three tables of ``queries/README.md``: stored, federated, checks."""
    local = [q for q in catalogue.values() if not q.service]
    federated = [q for q in catalogue.values() if q.service]
    out = ["### Stored queries", "", "| name | summary | parameters |", "|---|---|---|"]
    out += [f"| `{q.name}` | {_cell(q.summary)} | {_params(q)} |" for q in local]
    if federated:
        out += ["", "### Federated queries (need `--allow-service`)", "",
                "| name | summary | endpoint |", "|---|---|---|"]
        out += [f"| `{q.name}` | {_cell(q.summary)} | {q.service} |" for q in federated]
    if checks:
        out += ["", "### Checks (`checks/*-violation.rq`: zero rows on valid data)", "",
                "| check | rule |", "|---|---|"]
        out += [f"| `{q.name}` | {_cell(' '.join(filter(None, (q.summary, q.description))))} |"
                for q in checks.values()]
    return "\n".join(out) + "\n"


def update_readme(text: str, tables: str) -> str:
    """``text`` with the part between the marker lines replaced by ``tables``."""
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"queries/README.md has no {BEGIN} … {END} block")
    return pattern.sub(lambda _: f"{BEGIN}\n{tables}{END}", text)
