"""Fuzzing the CLI with hypothesis: whatever the parameter values or the --data file, the
answer is an exit code in {0, 1, 2}, never a traceback, and an exit 2 is one line on stderr.

Bounded: 650 examples in all (deadline off, derandomized: the same examples each run),
about 15 s on two cores. The sandbox is on (in-process) and a loopback listener must see no
request. Generated Turtle is mostly well-formed triples (so validation and queries run), a
third of it damaged (cut, a stray character, stray bytes).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bad_inputs.harness import Listener, one_line_error
from click.testing import CliRunner
from conftest import MINI, REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from missions_kg.catalogue import load_query
from missions_kg.cli import main

pytestmark = pytest.mark.slow

FUZZ = settings(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def _stored_params() -> list[tuple[str, str, str]]:
    """(query name, parameter name, type) for every parameter of every stored query."""
    out = []
    for path in sorted((REPO / "queries").glob("**/*.rq")):
        if "checks" in path.parts:
            continue
        query = load_query(path, base=REPO / "queries")
        out += [(query.name, p.name, p.type) for p in query.params.values()]
    return out


PARAMS = _stored_params()

#: Values that have broken query builders elsewhere, mixed into the random text.
NASTY = ['x" || "1"="1', "x' || '1'='1", '") } SELECT * { ("', "http://ex/s> ?p ?o } #",
         "<http://ex/a>", "mkgid:", "mkgid:a b", "nope:x", "urn:x", "file:///etc/passwd",
         "LISTENER/x", "1e400", "99999999999999999999", "-0", "+7", " 3 ", "0x10",
         "١٢", "NaN", "true", "TRUE", "2021-02-30", "-2021-01-01", "Dark@en", "x@", "@fr",
         "x@not_a_tag", "\x00", "\u202e", "\ud7ff", "a" * 5000, "", "=", "\\u0053ERVICE"]
VALUES = st.one_of(st.sampled_from(NASTY), st.text(max_size=60),
                   st.integers().map(str), st.from_regex(r"[a-z]+:[A-Za-z0-9_-]{0,12}",
                                                         fullmatch=True))


@pytest.fixture(scope="module")
def listener():
    server = Listener()
    yield server
    server.close()


def invoke(args: list[str]):
    return CliRunner().invoke(main, [str(a) for a in args], env={"MISSIONS_KG_SANDBOX": "on"},
                              catch_exceptions=False)


def assert_clean(result, listener):
    text = result.stdout + result.stderr
    assert result.exit_code in (0, 1, 2), text[-2000:]
    assert "Traceback" not in text and "internal error" not in text, text[-2000:]
    assert "blocked by the sandbox" not in text, text[-2000:]
    if result.exit_code == 2:
        assert one_line_error(result.stderr), result.stderr
    assert listener.hits == []


def test_every_stored_query_has_parameters_to_fuzz():
    assert len(PARAMS) >= 5, PARAMS


@settings(FUZZ, max_examples=300)
@given(case=st.sampled_from(PARAMS), value=VALUES, extra=st.sampled_from(range(10)),
       lang=st.booleans())
def test_random_parameter_values(case, value, extra, lang, listener):
    name, param, _type = case
    value = value.replace("LISTENER", listener.url)
    args = ["--root", REPO, "query", name, "-p", f"{param}={value}", "--format", "csv"]
    if extra == 9:  # now and then, a second, unknown parameter
        args += ["-p", f"{value[:10] or 'x'}2=1"]
    if lang:
        args += ["--lang", "fr"]
    assert_clean(invoke(args), listener)


# -- random Turtle: mostly well-formed triples, some damaged ------------------------------------

PROLOGUE = ("@prefix ex: <http://example.org/> .\n@prefix schema: <https://schema.org/> .\n"
            "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n")
GOOD_SUBJECTS = ["ex:s1", "ex:s2", "<http://example.org/s3>", "_:b1", "_:b2", "[ ex:p ex:o ]",
                 "<https://w3id.org/missions-kg/id/jeanne-renoir>", "( ex:a ex:b )"]
BAD_SUBJECTS = ["<relative>", "<http://ex/a b>", "foo:undeclared"]
SUBJECTS = st.sampled_from(GOOD_SUBJECTS * 8 + BAD_SUBJECTS)
PREDICATES = st.sampled_from(["ex:p", "a", "schema:name", "schema:episodeNumber",
                              "schema:description", "<https://schema.org/partOfSeries>",
                              "<https://w3id.org/missions-kg/ontology#playedBy>"])
OBJECTS = st.one_of(
    st.sampled_from(["ex:o", "schema:Person", "schema:TVEpisode", "_:b1", "[]", "( )",
                     "( ex:a 1 )", "42", "-0.5", "1e3", "true", '"plain"', '"tagged"@en',
                     '"tagged"@en-GB', '"3"^^xsd:integer', '"abc"^^xsd:integer',
                     '"2021-02-30"^^xsd:date', '"300"^^xsd:byte', '"P1Q"^^xsd:duration',
                     '"ring\\u0007\\u0000"', '"""two\nlines"""', "'single'",
                     '"bad \\q"', '"x"@', "<LISTENER/o>", "<file:///etc/passwd>"]),
    st.text(max_size=20).map(lambda t: json.dumps(t, ensure_ascii=False)),  # a quoted string
)
TRIPLE = st.tuples(SUBJECTS, PREDICATES, OBJECTS).map(lambda t: " ".join(t) + " .")


@st.composite
def turtle(draw) -> bytes:
    text = PROLOGUE + "\n".join(draw(st.lists(TRIPLE, min_size=1, max_size=6)))
    damage = draw(st.sampled_from(["none"] * 6 + ["cut", "insert", "bytes"]))
    if damage == "cut" and text:
        text = text[:draw(st.integers(0, len(text)))]
    elif damage == "insert":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(list("{}[]().;,<>\"'@#\\\x00\ufeff"))) + text[at:]
    data = text.encode()
    if damage == "bytes":
        data += draw(st.binary(min_size=1, max_size=6))
    return data


@pytest.fixture(scope="module")
def mini(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "mini"
    shutil.copytree(MINI, root)
    return root


@settings(FUZZ, max_examples=200)
@given(data_bytes=turtle(), command=st.sampled_from(["validate", "query"]))
def test_random_turtle_as_data(data_bytes, command, mini, listener):
    data = mini.parent / "fragment.ttl"
    data.write_bytes(data_bytes.replace(b"LISTENER", listener.url.encode()))
    args = ["--root", mini, command] + (["cast"] if command == "query" else [])
    assert_clean(invoke(args + ["--data", data]), listener)


# -- random JSON-LD --------------------------------------------------------------------------

KEYS = st.sampled_from(["@context", "@id", "@type", "@graph", "@import", "@base", "@vocab",
                        "@value", "@language", "@list", "@reverse", "@included",
                        "http://example.org/p", "name", "schema:name"])
SCALARS = st.one_of(st.sampled_from(["LISTENER/ctx", "file:///etc/passwd",
                                     "http://example.org/a", "relative", "_:b", "en",
                                     "https://schema.org/", "schema:Person"]),
                    st.text(max_size=10), st.integers(), st.booleans(), st.none())
RANDOM_JSON = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)), max_leaves=20)
NODE = st.fixed_dictionaries(
    {"@id": st.sampled_from(["http://example.org/a", "http://example.org/b", "_:n", "rel"])},
    optional={"@type": st.sampled_from(["https://schema.org/Person", "Person", "ex:T"]),
              "name": st.one_of(SCALARS, st.fixed_dictionaries(
                  {"@value": SCALARS, "@language": st.sampled_from(["en", "fr", "xx-"])})),
              "http://example.org/p": RANDOM_JSON})
CONTEXT = st.one_of(st.just({"@vocab": "https://schema.org/"}), st.just("LISTENER/ctx"),
                    st.just({"@vocab": "https://schema.org/", "ex": "http://example.org/"}),
                    st.dictionaries(KEYS, SCALARS, max_size=3))
JSON = st.one_of(RANDOM_JSON, st.fixed_dictionaries(
    {"@context": CONTEXT, "@graph": st.lists(NODE, max_size=4)}),
    st.builds(lambda ctx, node: {"@context": ctx, **node}, CONTEXT, NODE))


@settings(FUZZ, max_examples=150)
@given(doc=JSON)
def test_random_jsonld_as_data(doc, mini, listener):
    data = mini.parent / "doc.jsonld"
    data.write_text(json.dumps(doc).replace("LISTENER", listener.url))
    assert_clean(invoke(["--root", mini, "query", "cast", "--data", data]), listener)
