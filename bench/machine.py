"""What a benchmark ran on: CPU, cores, memory, OS, Python and library versions, commit, date."""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    "pyoxigraph",
    "oxigraph",
    "rdflib",
    "rdflib-endpoint",
    "owlrl",
    "pyshacl",
    "spacy",
    "flask",
    "werkzeug",
    "gunicorn",
    "uvicorn",
    "fastapi",
    "psutil",
]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _run(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10, cwd=ROOT)
        return (
            (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else ""
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""


def describe() -> dict:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    wrk = shutil.which("wrk")
    commit = _run(["git", "rev-parse", "--short=12", "HEAD"])
    dirty = bool(
        _run(["git", "status", "--porcelain", "--", "graph", "server", "queries", "ontology"])
    )
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu": _cpu_model(),
        "logical_cpus": os.cpu_count(),
        "physical_cores": psutil.cpu_count(logical=False),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
        "wrk": " ".join(_run([wrk, "-v"]).split()[:2]) if wrk else None,
        "commit": commit + ("+dirty" if dirty else ""),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
    }


def render(machine: dict) -> str:
    pk = machine["packages"]
    libs = " · ".join(f"{k} {v}" for k, v in pk.items() if v)
    return "\n".join(
        [
            f"- **Machine**: {machine['cpu']}, {machine['logical_cpus']} logical CPUs "
            f"({machine['physical_cores']} cores), {machine['ram_gb']} GiB RAM; {machine['os']}",
            f"- **Software**: Python {machine['python']} · {libs} · {machine.get('wrk') or 'wrk: not installed'}",
            f"- **kazkg commit**: {machine['commit']}; run started {machine['date']} "
            f"(load average {', '.join(map(str, machine['loadavg_start']))})",
        ]
    )
