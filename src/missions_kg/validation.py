"""Validate a build: the SHACL shapes (:mod:`missions_kg.shacl`) plus the checks
(``queries/checks/*-violation.rq``: every row a check returns is a violation).

Checks are read by the one catalogue reader (:mod:`missions_kg.catalogue`) and run on the one
store (:mod:`missions_kg.store`), so a check and a stored query with the same text count the
same. Each result names its focus (with a label, :mod:`missions_kg.labels`), path, value,
message, the shape or check, and the source graphs holding the offending triple.
"""

from __future__ import annotations

from pathlib import Path

from . import iris
from .dataset import Built, build
from .errors import MissionsKGError, ShapesError
from .project import Project
from .report import Report, ValidationResult


def validate(project: Project | None = None, *, built: Built | None = None, extra_data=(),
             lang: str = "en") -> Report:
    """Run the shapes and the checks over the project (built or cached) and report;
    ``report.conforms`` is the verdict, ``report.failed(fail_on)`` the CLI's exit 1."""
    project = project or (built.project if built is not None else Project.locate())
    from .labels import Labeller
    from .store import open_store

    built = built or build(project, extra_data=extra_data)
    report = Report(shapes=[project.relative(p) for p in project.shape_files()],
                    checks=[p.name for p in project.check_files()], notes=list(built.notes))
    store = open_store(built)
    labeller = Labeller(store, lang)
    if project.shape_files():
        from . import shacl

        for r in shacl.run(project, built):
            report.results.append(_result(
                store, labeller, r.focus, r.path, r.value,
                "; ".join(r.messages) or _text(r.component), r.severity,
                _text(r.source_shape), _text(r.component) or None, "shacl"))
    for path in project.check_files():
        report.results += run_check(path, built, lang, labeller=labeller)
    release = vocabulary_file(project)
    if release is not None:
        report.checks.append(VOCABULARY_CHECK)
        report.results += vocabulary_results(built, release, labeller)
    return report


#: The name a schema.org conformance result carries as its check.
VOCABULARY_CHECK = "schemaorg-vocabulary"


def vocabulary_file(project: Project) -> Path | None:
    """The vendored schema.org release a project checks against, if it ships one."""
    from .vocabulary import release_path

    path = release_path(project)
    return path if path.is_file() else None


def vocabulary_results(built: Built, release: Path, labeller) -> list[ValidationResult]:
    """Every ``schema:`` triple (asserted and inferred) that schema.org does not allow."""
    from . import vocabulary

    vocab = vocabulary.load(release)
    out = []
    for v in vocabulary.check(built.quads(), vocab):
        focus = v.focus[1:-1] if v.focus.startswith("<") else v.focus
        out.append(ValidationResult(
            focus=focus, message=f"schema.org {vocab.version}: {v.reason}", severity="Violation",
            source=iris.CHECK + VOCABULARY_CHECK,
            focus_label=labeller(focus) if v.focus.startswith("<") else None,
            path=v.predicate[1:-1] if v.predicate.startswith("<") else v.predicate,
            value=v.value, component=iris.SH + "SPARQLConstraintComponent",
            source_graphs=(v.graph,) if v.graph else (), kind="check"))
    return out


def run_check(path: Path, built: Built, lang: str = "en", *,
              labeller=None) -> list[ValidationResult]:
    """Run one ``*-violation.rq`` SELECT on the build's store; every row is a Violation.
    The check may project ``?focus`` (else its first column), ``?path``, ``?value`` and
    ``?message`` (else its summary)."""
    import pyoxigraph as ox

    from .catalogue import load_query
    from .labels import Labeller
    from .store import open_store

    store = open_store(built)
    labeller = labeller or Labeller(store, lang)
    try:
        check = load_query(path, require_summary=False)
        if check.form != "SELECT":
            raise ShapesError(f"check {path.name} must be a SELECT query")
        rows = store.query(check.text)
    except ShapesError:
        raise
    except MissionsKGError as exc:
        raise ShapesError(f"check {path.name}: {exc}") from exc
    except SyntaxError as exc:
        from .syntax import from_oxigraph

        raise ShapesError(f"check {from_oxigraph(exc, check.text, path.name)}") from None
    except (OSError, ValueError) as exc:
        raise ShapesError(f"check {path.name}: cannot run: {exc}") from None
    names = [v.value for v in rows.variables]
    name = path.name.removesuffix(".rq")
    out = []
    for row in rows:
        focus = row["focus"] if "focus" in names else row[0]
        if focus is None:
            continue
        message = row["message"] if "message" in names else None
        out.append(_result(
            store, labeller, focus, row["path"] if "path" in names else None,
            row["value"] if "value" in names else None,
            message.value if isinstance(message, ox.Literal) else (check.summary or name),
            "Violation", iris.CHECK + name, iris.SH + "SPARQLConstraintComponent", "check"))
    return out


def _result(store, labeller, focus, path, value, message, severity, source, component,
            kind) -> ValidationResult:
    import pyoxigraph as ox

    return ValidationResult(
        focus=_text(focus), message=message, severity=severity, source=source,
        focus_label=labeller(focus.value) if isinstance(focus, ox.NamedNode) else None,
        path=path if isinstance(path, str) or path is None else _text(path),
        value=_n3(value), component=component,
        source_graphs=source_graphs(store, focus, path if isinstance(path, ox.NamedNode)
                                    else None, value),
        kind=kind)


def _text(term) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _n3(term) -> str | None:
    """A value as N-Triples (``"3"^^<…#integer>``, ``<iri>``), or None."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    from .terms import from_oxigraph

    return from_oxigraph(term).n3() if not isinstance(term, ox.Triple) else str(term)


def source_graphs(store, focus, path=None, value=None) -> tuple[str, ...]:
    """Graphs asserting the offending triple; else every graph where ``focus`` is subject."""
    from .store import graph_quads

    if focus is None:
        return ()
    for pattern in ((focus, path, value), (focus, path, None), (focus, None, None)):
        if pattern[1] is None and pattern[2] is not None:
            continue
        graphs = {q.graph_name.value for q in graph_quads(store, *pattern)}
        if graphs:
            return tuple(sorted(graphs))
    return ()
