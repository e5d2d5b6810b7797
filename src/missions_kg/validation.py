"""Validate the built dataset: SHACL shapes (pyshacl) plus ``queries/checks/*-violation.rq``.

pyshacl runs on one plain Graph holding the union (data + ontology + inferred): given a
Dataset it would validate each named graph on its own. Inference is ``none`` because the
build already inferred; ``do_owl_imports=False`` so nothing is fetched. A shape or check
that cannot be loaded is a ``ShapesError`` (exit 2), never a "does not conform" (exit 1).
"""

from __future__ import annotations

import re
from pathlib import Path

from . import iris
from .build import Built, build
from .errors import MissionsKGError, ShapesError
from .project import Project
from .report import Report, ValidationResult

LABELS = (iris.RDFS + "label", iris.SCHEMA + "name", iris.SKOS + "prefLabel")
_SPARQL_IN_SHAPES = re.compile(r"\bSERVICE\b|\bLOAD\b", re.IGNORECASE)


def validate(project: Project, *, built: Built | None = None, extra_data=(),
             lang: str = "en") -> Report:
    """Run the shapes and the checks over the project (built or cached) and report."""
    built = built or build(project, extra_data=extra_data)
    report = Report(shapes=[project.relative(p) for p in project.shape_files()],
                    checks=[p.name for p in project.check_files()])
    if project.shape_files():
        report.results += _shacl(project, built, lang)
    for path in project.check_files():
        report.results += run_check(path, built, lang)
    return report


def union_graph(dataset):
    """All triples of a Dataset in one plain Graph (Dataset.triples() warns in rdflib 7.6)."""
    from rdflib import Graph

    data = Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        data.add((s, p, o))
    return data


def _shapes_graph(project: Project):
    import pyoxigraph as ox
    from rdflib import Graph

    from .loading import rdflib_term, read_quads

    graph = Graph()
    for path in project.shape_files():
        for q in read_quads(path, ox.RdfFormat.TURTLE, name=project.relative(path)):
            if _SPARQL_IN_SHAPES.search(q.object.value if isinstance(q.object, ox.Literal)
                                        else "") and q.predicate.value.startswith(iris.SH):
                raise ShapesError(f"{project.relative(path)}: SPARQL in shape "
                                  f"{q.subject.value} uses SERVICE or LOAD (refused)")
            graph.add((rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object)))
    return graph


def _shacl(project: Project, built: Built, lang: str) -> list[ValidationResult]:
    import pyshacl

    from .loading import quiet_rdflib

    dataset = built.rdflib_dataset()
    data = union_graph(dataset)
    shapes = _shapes_graph(project)
    with quiet_rdflib():
        try:
            _conforms, results, _text = pyshacl.validate(
                data, shacl_graph=shapes, inference="none", do_owl_imports=False,
                allow_warnings=True, allow_infos=True, advanced=False, inplace=True)
        except MissionsKGError:
            raise
        except Exception as exc:  # pyshacl load errors, re.error, pyparsing errors, ...
            raise _shapes_error(exc, project) from exc
    if isinstance(results, Exception):
        raise _shapes_error(results, project)
    return _read_results(results, dataset, data, lang)


def _shapes_error(exc: BaseException, project: Project) -> ShapesError:
    text = " ".join(str(getattr(exc, "message", None) or exc).split())[:300]
    files = ", ".join(project.relative(p) for p in project.shape_files())
    return ShapesError(f"cannot load the SHACL shapes ({files}): {type(exc).__name__}: {text}",
                       hint="fix the shape named above")


def _read_results(results, dataset, union, lang: str) -> list[ValidationResult]:
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF, SH

    out = []
    for node in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(node, SH.focusNode)
        path = results.value(node, SH.resultPath)
        value = results.value(node, SH.value)
        messages = sorted(str(m) for m in results.objects(node, SH.resultMessage))
        severity = results.value(node, SH.resultSeverity)
        component = results.value(node, SH.sourceConstraintComponent)
        out.append(ValidationResult(
            focus=_text(focus), message="; ".join(messages) or _text(component),
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            source=_text(results.value(node, SH.sourceShape)),
            focus_label=label(union, focus, lang),
            path=_text(path) if isinstance(path, URIRef) else (_path_text(results, path)
                                                                if path else None),
            value=value.n3() if isinstance(value, Literal | URIRef) else _opt(value),
            component=_text(component) if component else None,
            source_graphs=source_graphs(dataset, focus,
                                        path if isinstance(path, URIRef) else None, value),
        ))
    return out


def _text(term) -> str:
    from rdflib import BNode

    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _opt(term) -> str | None:
    return None if term is None else _text(term)


def _path_text(results, path) -> str:
    from rdflib.namespace import SH

    inverse = results.value(path, SH.inversePath)
    return f"^{inverse}" if inverse is not None else "(complex path)"


def label(dataset, node, lang: str = "en") -> str | None:
    """A display label from a plain Graph: ``lang``, then en, fr, de, untagged, any."""
    from rdflib import URIRef

    if node is None:
        return None
    found = {}
    for pred in LABELS:
        for value in dataset.objects(node, URIRef(pred)):
            found.setdefault(getattr(value, "language", None) or "", str(value))
    for choice in (lang, "en", "fr", "de", ""):
        if choice in found:
            return found[choice]
    return next(iter(found.values()), None)


def source_graphs(dataset, focus, path=None, value=None) -> tuple[str, ...]:
    """Graphs asserting the offending triple; else every graph where ``focus`` is subject."""
    if focus is None:
        return ()
    graphs = set()
    if path is not None and value is not None:
        graphs = {str(g) for _s, _p, _o, g in dataset.quads((focus, path, value, None)) if g}
    if not graphs:
        graphs = {str(g) for _s, _p, _o, g in dataset.quads((focus, path, None, None)) if g}
    if not graphs:
        graphs = {str(g) for _s, _p, _o, g in dataset.quads((focus, None, None, None)) if g}
    return tuple(sorted(graphs))


# -- *-violation.rq checks -------------------------------------------------------------------

def check_summary(text: str, fallback: str) -> str:
    """The check's reason: its ``#+ summary:`` header, else its first comment lines."""
    reason = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        body = stripped.lstrip("#+").strip()
        if body.lower().startswith("summary:"):
            return body[8:].strip()
        if body and ":" not in body.split()[0]:
            reason.append(body)
    return " ".join(reason) or fallback


def run_check(path: Path, built: Built, lang: str = "en") -> list[ValidationResult]:
    """Run one ``*-violation.rq`` SELECT; every row is a Violation."""
    import pyoxigraph as ox

    from .safety import check_query_text

    name = path.name.removesuffix(".rq")
    try:
        text = path.read_text(encoding="utf-8")
        check_query_text(text, name=path.name)
        rows = built.oxigraph_store().query(text, use_default_graph_as_union=True)
    except MissionsKGError as exc:
        raise ShapesError(f"check {path.name}: {exc}") from exc
    except SyntaxError as exc:
        raise ShapesError(f"check {path.name}:{exc.lineno}:{exc.offset}: invalid SPARQL: "
                          f"{' '.join(str(exc.msg).split())[:200]}") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ShapesError(f"check {path.name}: cannot run: {exc}") from None
    if not isinstance(rows, ox.QuerySolutions):
        raise ShapesError(f"check {path.name} must be a SELECT query")
    names = [v.value for v in rows.variables]
    summary = check_summary(text, name)
    dataset = None
    out = []
    for row in rows:
        focus = row["focus"] if "focus" in names else row[0]
        if focus is None:
            continue
        message = row["message"].value if "message" in names and row["message"] else summary
        path_term = row["path"] if "path" in names else None
        value = row["value"] if "value" in names else None
        if dataset is None:
            dataset = built.rdflib_dataset()
            union = union_graph(dataset)
        from .loading import rdflib_term

        f, p, v = (rdflib_term(t) if t is not None else None for t in (focus, path_term, value))
        out.append(ValidationResult(
            focus=_text(f), message=message, severity="Violation", source=iris.CHECK + name,
            focus_label=label(union, f, lang), path=_opt(p),
            value=v.n3() if v is not None else None,
            component=iris.SH + "SPARQLConstraintComponent",
            source_graphs=source_graphs(dataset, f, p, v), kind="check"))
    return out
