"""A bounded load run on loopback: gunicorn serving `server.wsgi:application()`, driven by wrk.

Mixed traffic (SPARQL queries that miss the result cache, cached ones, entity pages, the home
page, static files) for a fixed time: no error of any kind, and the memory of the workers and
their query processes stays within a bound between a warm-up run and a longer run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from urllib.parse import quote

import psutil
import pytest

from tests.support.servers import gunicorn_wsgi

pytestmark = pytest.mark.slow

PATHS = [
    "/sparql?query=" + quote("SELECT ?n WHERE { ?p a <https://w3id.org/kazkg/ontology#Person> ; "
                             "<http://www.w3.org/2004/02/skos/core#prefLabel> ?n } ORDER BY ?n LIMIT 20 # "),
    "/sparql?query=" + quote("ASK { <https://w3id.org/kazkg/id/person/serik-akhmetov> ?p ?o } # "),
    "/sparql?query=" + quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),  # cached after the first
    "/page/person/serik-akhmetov",
    "/page/place/astana",
    "/data/person/serik-akhmetov.ttl",
    "/",
    "/static/style.css",
]

SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  local path = paths[(n %% #paths) + 1]
  if string.sub(path, -3) == "%%23" then
    path = path .. tostring(math.random(1, 1000000))  -- a new comment: misses the result cache
  end
  return wrk.format("GET", path, {["Accept"] = "application/sparql-results+json, text/html;q=0.9, */*;q=0.1"})
end
""" % ", ".join(f'"{p}"' for p in PATHS)


def _memory(server) -> int:
    """Unique memory (USS) of the gunicorn workers and every process under them."""
    total = 0
    for proc in psutil.Process(server.pid).children(recursive=True):
        try:
            total += proc.memory_full_info().uss
        except psutil.NoSuchProcess:
            pass
    return total


def _wrk(server, script, seconds: int, connections: int) -> dict:
    result = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
                             "-s", str(script), server.url], capture_output=True, text=True,
                            timeout=seconds + 60)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {"out": out, "requests": requests, "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
            "socket_errors": socket_errors.group(1) if socket_errors else None}


def test_load_has_no_errors_and_memory_stays_bounded(built, tmp_path):
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (apt-get install -y wrk)")
    script = tmp_path / "mixed.lua"
    script.write_text(SCRIPT)
    with gunicorn_wsgi(built[0].data_path, tmp_path / "logs", workers=2) as server:
        for path in PATHS:  # every path answers on its own first
            status, _, _ = server.request("GET", path.replace("%23", "%23check"))
            assert status == 200, path
        warm = _wrk(server, script, seconds=6, connections=4)
        before = _memory(server)
        workers = {p.pid for p in psutil.Process(server.pid).children()}
        run = _wrk(server, script, seconds=15, connections=8)
        after = _memory(server)
        workers_after = {p.pid for p in psutil.Process(server.pid).children()}
        log = server.log()
    for result in (warm, run):
        assert result["non_2xx"] == 0, result["out"]
        assert result["socket_errors"] is None, result["out"]
    assert run["requests"] > 300, run["out"]
    assert workers_after == workers, "a worker died or was replaced under load"
    assert "Traceback" not in log and "WORKER TIMEOUT" not in log, log[-3000:]
    print(f"load: {run['requests']} requests in 15 s; memory {before / 2**20:.0f} -> {after / 2**20:.0f} MiB")
    growth = after - before
    assert growth < max(0.25 * before, 60 * 2**20), \
        f"memory grew from {before / 2**20:.0f} MiB to {after / 2**20:.0f} MiB under load"
