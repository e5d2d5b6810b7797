"""Validate a build: the SHACL shapes (:mod:`missions_kg.shacl`), the checks
(``queries/checks/*-violation.rq``: every row a check returns is a violation), and the
schema.org vocabulary check (:mod:`missions_kg.vocabulary`).

Checks are read by the one catalogue reader (:mod:`missions_kg.catalogue`) and run on the one
store (:mod:`missions_kg.store`), so a check and a stored query with the same text count the
same. Each result names its focus (with a label, :mod:`missions_kg.labels`), path, value,
message, the shape or check, the source graphs holding the offending triple, and the files
and lines where it is written (:mod:`missions_kg.locate`). A result is reported once however
many ways an engine found it. An unchanged project is not validated again
(:mod:`missions_kg.verdicts`).
"""

from __future__ import annotations

from pathlib import Path

from . import iris, progress
from .dataset import Built, build
from .errors import MissionsKGError, ShapesError
from .project import Project
from .report import Report, ValidationResult


def validate(project: Project | None = None, *, built: Built | None = None, extra_data=(),
             lang: str = "en", engine: str | None = None, reuse: bool = True) -> Report:
    """Run the shapes and the checks over the project (built or cached) and report;
    ``report.conforms`` is the verdict, ``report.failed(fail_on)`` the CLI's exit 1.
    ``engine``: the SHACL engine (:data:`missions_kg.shacl.ENGINES`; default the fastest
    installed). ``reuse``: read back the report of an unchanged project."""
    from . import shacl, verdicts

    project = project or (built.project if built is not None else Project.locate())
    built = built or build(project, extra_data=extra_data)
    engine = engine or shacl.default_engine()
    release = vocabulary_file(project)
    files = project.shape_files() + project.check_files() + ([release] if release else [])
    report_key = verdicts.key(built, files, shacl.engine_version(engine), {"lang": lang})
    cached = verdicts.load(built, report_key) if reuse else None
    if cached is not None:
        cached.notes = list(built.notes) + cached.engine_notes
        return cached
    report = _validate(project, built, lang, engine, release)
    verdicts.save(built, report_key, report)
    return report


def _validate(project: Project, built: Built, lang: str, engine: str, release) -> Report:
    from .labels import Labeller
    from .locate import Locator
    from .store import open_store

    report = Report(shapes=[project.relative(p) for p in project.shape_files()],
                    checks=[p.name for p in project.check_files()], notes=list(built.notes))
    store = open_store(built)
    labeller = Labeller(store, lang)
    results: list[ValidationResult] = []
    with progress.task("Validating") as bar:
        if project.shape_files():
            from . import shacl

            bar.describe(f"Validating: SHACL ({engine})")
            shacl_results, report.engine_notes = shacl.run(project, built, engine)
            report.notes += report.engine_notes
            for r in shacl_results:
                results.append(_result(
                    store, labeller, r.focus, r.path, r.value,
                    "; ".join(r.messages) or _text(r.component), r.severity,
                    _text(r.source_shape), _text(r.component) or None, "shacl"))
        bar.describe("Validating: checks")
        for path in project.check_files():
            results += run_check(path, built, lang, labeller=labeller)
        if release is not None:
            bar.describe("Validating: schema.org vocabulary")
            report.checks.append(VOCABULARY_CHECK)
            results += vocabulary_results(built, release, labeller)
    where = Locator(project.root)
    for r in dict.fromkeys(results):  # once, however many ways it was found
        report.results.append(r.located(_locations(built, store, where, r)))
    return report


def _locations(built: Built, store, where, r: ValidationResult) -> tuple[str, ...]:
    """``file:line`` (or ``file``) where the offending triple is written."""
    graphs = [g for g in r.source_graphs if g != iris.GRAPH_INFERRED]
    path, value = r.path, r.value
    if not graphs and r.source_graphs and not r.focus.startswith("_:"):
        import pyoxigraph as ox  # inferred: point at where the focus itself is described

        found = source_graphs(store, ox.NamedNode(r.focus))
        graphs, path, value = [g for g in found if g != iris.GRAPH_INFERRED], None, None
    out: list[str] = []
    for graph in graphs:
        for name in built.graph_files.get(graph, ()):
            line = where.line(name, r.focus, path, value)
            entry = f"{name}:{line}" if line else name
            if entry not in out:
                out.append(entry)
    return tuple(out)


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
    from .store import open_store

    vocab = vocabulary.load_cached(release, built.project.cache_dir)
    out = []
    for v in vocabulary.check_build(built.union_path, open_store(built), vocab):
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

    from .labels import Labeller
    from .store import open_store
    from .verdicts import load_check

    store = open_store(built)
    labeller = labeller or Labeller(store, lang)
    try:
        check = load_check(path, built.project.cache_dir)
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
