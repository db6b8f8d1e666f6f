"""The kazkg command: build, query, validate; bad arguments get one clear line."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

from server.cli import main


def test_query_csv_is_sparql_csv(built, capsysbinary):
    code = main(["query", "SELECT ?s WHERE { ?s a <https://w3id.org/kazkg/ontology#NewsArticle> } ORDER BY ?s",
                 "--data", str(built[0].data_path), "--format", "csv"])
    assert code == 0
    out = capsysbinary.readouterr().out.decode()
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["s"]
    assert len(rows) == 6


def test_query_runs_a_stored_query_file(built, tmp_path, capsys):
    rq = tmp_path / "count.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert main(["query", str(rq), "--data", str(built[0].data_path)]) == 0
    assert "(1 row)" in capsys.readouterr().out


def test_validate_reports_conformance(built, capsys):
    assert main(["validate", "--data", str(built[0].data_path)]) == 0
    assert "SHACL: conforms" in capsys.readouterr().out


def test_missing_data_file_is_one_line(tmp_path):
    r = subprocess.run([sys.executable, "-m", "server.cli", "query", "ASK {}", "--data",
                        str(tmp_path / "missing.trig")], capture_output=True, text=True)
    assert r.returncode == 1
    assert r.stderr.strip().count("\n") == 0
    assert "not found" in r.stderr and "Traceback" not in r.stderr


def test_unknown_format_is_one_line(tmp_path):
    bad = tmp_path / "data.xyz"
    bad.write_text("nothing")
    r = subprocess.run([sys.executable, "-m", "server.cli", "serve", "--data", str(bad),
                        "--port", "5999"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert "unknown RDF format" in r.stderr and "Traceback" not in r.stderr


def test_build_of_missing_corpus_is_one_line(tmp_path):
    r = subprocess.run([sys.executable, "-m", "server.cli", "build", "--corpus", str(tmp_path / "nope"),
                        "--out", str(tmp_path / "x.trig")], capture_output=True, text=True)
    assert r.returncode == 1
    assert "corpus folder not found" in r.stderr and "Traceback" not in r.stderr
