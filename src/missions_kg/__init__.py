"""missions-kg: a knowledge graph of the French science-fiction series *Missions*.

The front door, as ``pyshacl.validate`` is pySHACL's: the command line, the server and a
notebook all call these. Each name is imported on first use, so ``import missions_kg`` is cheap
and a command pays only for what it runs::

    import missions_kg as mkg

    project = mkg.Project.locate()              # --root, $MISSIONS_KG_ROOT, checkout, package
    built = mkg.build(project)                  # parse, check, infer (or reuse the cache)
    report = mkg.validate(project, built=built) # SHACL shapes + queries/checks/*-violation.rq
    catalogue = mkg.queries(project)            # the stored queries, by name
    result = mkg.run_query(built, "who-plays", {"character": "Jeanne Renoir"})
    print(mkg.render(result, "csv").decode())
    turtle = mkg.export(built, "turtle")        # bytes; every asserted graph
    print(mkg.describe(built, "Jeanne Renoir").to_text())

Errors are :class:`MissionsKGError` subclasses carrying their exit code (2: bad input; 1: the
data does not pass a check is a :class:`Report`, not an exception).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

#: name → "module:attribute", resolved on first access (PEP 562).
_EXPORTS = {
    "Project": "project:Project",
    "Built": "dataset:Built",
    "build": "dataset:build",
    "validate": "validation:validate",
    "Report": "report:Report",
    "queries": "catalogue:project_catalogue",
    "StoredQuery": "catalogue:StoredQuery",
    "run_query": "engine:run_query",
    "Result": "engine:Result",
    "render": "results:render",
    "export": "exports:export",
    "describe": "description:describe",
    "MissionsKGError": "errors:MissionsKGError",
}
__all__ = ["__version__", "Project", "Built", "build", "validate", "Report", "queries",
           "StoredQuery", "run_query", "Result", "render", "export", "describe",
           "MissionsKGError"]

if TYPE_CHECKING:  # for type checkers and IDEs; at run time names load lazily
    from .catalogue import StoredQuery as StoredQuery
    from .catalogue import project_catalogue as queries  # noqa: F401
    from .dataset import Built as Built
    from .dataset import build as build
    from .description import describe as describe
    from .engine import Result as Result
    from .engine import run_query as run_query
    from .errors import MissionsKGError as MissionsKGError
    from .exports import export as export
    from .project import Project as Project
    from .report import Report as Report
    from .results import render as render
    from .validation import validate as validate


def __getattr__(name: str):
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'missions_kg' has no attribute {name!r}")
    module, _, attr = target.partition(":")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
