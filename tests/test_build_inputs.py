"""Bad input gets one precise line (file:line:col) and exit 2; odd but valid input loads."""

from __future__ import annotations

import json

import pytest

from missions_kg.store import open_store

PREFIXES = ("@prefix schema: <https://schema.org/> .\n"
            "@prefix mkgid: <https://w3id.org/missions-kg/id/> .\n")
GRAPH = "<https://w3id.org/missions-kg/graph/bad> {\n"


def write(root, name, text: str | bytes):
    path = root / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def assert_one_line_error(result, *fragments):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_syntax_error_names_file_line_column(cli, mini_root):
    write(mini_root, "data/broken.trig",
          PREFIXES + "mkgid:g {\n  mkgid:a schema:name \"x\" \n  mkgid:b schema:name \"y\" .\n}\n")
    result = cli("--root", mini_root, "build")
    assert_one_line_error(result, "data/broken.trig:5:3")


@pytest.mark.parametrize("body, why", [
    ("<http://ex/a b> <http://ex/p> <http://ex/o> .", "Invalid IRI code point"),
    ("<a> <http://ex/p> <http://ex/o> .", "No scheme found"),
    ('<http://ex/a> <http://ex/p> "bad \\q escape" .', "escape"),
    ("foo:a <http://ex/p> <http://ex/o> .", "foo:"),
])
def test_strict_parse_refuses_what_rdflib_would_accept(cli, mini_root, body, why):
    write(mini_root, "data/bad.trig", GRAPH + body + "\n}\n")
    assert_one_line_error(cli("--root", mini_root, "build"), "data/bad.trig:2:", why)


def test_default_graph_triples_are_refused_with_their_line(cli, mini_root):
    write(mini_root, "data/loose.trig", PREFIXES + "mkgid:g { mkgid:a schema:name \"a\" }\n\n"
          "mkgid:b schema:name \"b\" .\n")
    assert_one_line_error(cli("--root", mini_root, "build"), "data/loose.trig:5",
                          "outside any GRAPH block")


def test_invalid_utf8_gives_byte_offset_not_a_traceback(cli, mini_root):
    write(mini_root, "data/latin1.trig",
          b"<http://ex/g> {\n<http://ex/a> <http://ex/p> \"caf\xe9\" }\n")
    assert_one_line_error(cli("--root", mini_root, "build"), "data/latin1.trig:2:33",
                          "not UTF-8 (byte 48)")


def test_empty_file_is_an_error(cli, mini_root):
    write(mini_root, "data/empty.trig", PREFIXES)
    assert_one_line_error(cli("--root", mini_root, "build"), "data/empty.trig", "0 triples")


def test_bom_is_accepted(cli, mini_root):
    write(mini_root, "data/bom.trig", b"\xef\xbb\xbf<https://w3id.org/missions-kg/graph/bom> {"
          b" <https://w3id.org/missions-kg/id/x> <https://schema.org/name> \"x\" }\n")
    result = cli("--root", mini_root, "build")
    assert result.exit_code == 0, result.output
    assert "mkgg:bom" in result.stdout


def test_ill_typed_literal_loads_quietly(cli, mini_root):
    write(mini_root, "data/ill.trig", "<https://w3id.org/missions-kg/graph/ill> {"
          ' <https://w3id.org/missions-kg/id/x> <https://schema.org/episodeNumber>'
          ' "abc"^^<http://www.w3.org/2001/XMLSchema#integer> }\n')
    result = cli("--root", mini_root, "build")
    assert result.exit_code == 0, result.output
    assert "Failed to convert" not in result.stderr and "Traceback" not in result.stderr


def test_missing_folder_is_a_project_error(cli, mini_root):
    (mini_root / "shapes" / "mini.ttl").unlink()
    (mini_root / "shapes").rmdir()
    assert_one_line_error(cli("--root", mini_root, "build"), "has no shapes/")


# -- --data FILE --------------------------------------------------------------------------------

def test_user_file_goes_to_its_own_graph(cli, mini_root, tmp_path):
    extra = write(tmp_path, "new facts.ttl", PREFIXES + "mkgid:x schema:name \"X\" .\n")
    result = cli("--root", mini_root, "build", "--data", extra)
    assert result.exit_code == 0, result.output
    assert "mkgg:user/new%20facts.ttl" in result.stdout


@pytest.mark.parametrize("name, content, why", [
    ("remote.jsonld", {"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": "http://ex/a"},
     "remote or file @context not allowed"),
    ("file.jsonld", {"@context": ["file:///etc/passwd"], "@id": "http://ex/a"},
     "remote or file @context not allowed"),
    ("import.jsonld", {"@context": {"@import": "http://127.0.0.1:9/x"}, "@id": "http://ex/a"},
     "@import is not allowed"),
])
def test_jsonld_that_would_fetch_is_refused(cli, mini_root, tmp_path, name, content, why):
    extra = write(tmp_path, name, json.dumps(content))
    assert_one_line_error(cli("--root", mini_root, "build", "--data", extra), why)


def test_jsonld_with_inline_context_loads(cli, mini_root, tmp_path):
    doc = {"@context": {"name": "https://schema.org/name"},
           "@id": "https://w3id.org/missions-kg/id/x", "name": "X"}
    extra = write(tmp_path, "x.jsonld", json.dumps(doc))
    result = cli("--root", mini_root, "build", "--data", extra)
    assert result.exit_code == 0, result.output
    assert "mkgg:user/x.jsonld" in result.stdout


@pytest.mark.parametrize("arg, why", [
    ("http://169.254.169.254/latest/meta-data/", "not a URL"),
    ("file:///etc/shadow", "not a URL"),
    ("evil.rdf", "RDF/XML is not accepted"),
    ("notes.txt", "unknown RDF format"),
    ("missing.ttl", "no such file"),
])
def test_bad_data_arguments(cli, mini_root, tmp_path, arg, why):
    if arg.endswith((".rdf", ".txt")):
        write(tmp_path, arg, "<!DOCTYPE x [<!ENTITY a 'a'>]><x/>")
        arg = tmp_path / arg
    assert_one_line_error(cli("--root", mini_root, "build", "--data", arg), why)


def test_blank_nodes_of_two_files_stay_apart(mini, tmp_path):
    from missions_kg import build

    a = write(tmp_path, "a.ttl", "_:b <https://schema.org/name> \"A\" .\n")
    b = write(tmp_path, "b.ttl", "_:b <https://schema.org/name> \"B\" .\n")
    built = build(mini, extra_data=[a, b])
    store = open_store(built)
    rows = list(store.query("SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s <https://schema.org/name> ?n "
                            "FILTER(isBlank(?s)) } }"))
    assert len(rows) == 2
