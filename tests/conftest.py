"""Shared fixtures: the corpus built once per session, and a Flask app serving it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.config import PROJECT_ROOT, Config

CORPUS = PROJECT_ROOT / "corpus"
GOLD = PROJECT_ROOT / "tests" / "gold"
DEVSET = PROJECT_ROOT / "tests" / "devset"


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("build")


@pytest.fixture(scope="session")
def config(build_dir: Path) -> Config:
    """The project's configuration, writing into a temporary build folder."""
    return Config(data_path=build_dir / "kazkg.trig", cache_dir=build_dir / "cache")


@pytest.fixture(scope="session")
def built(config: Config):
    """The corpus built once for the whole session: (config, report)."""
    from graph.pipeline import build
    report = build(config, log=lambda s: None)
    return config, report


@pytest.fixture(scope="session")
def dataset_path(built) -> Path:
    return built[0].data_path


@pytest.fixture(scope="session")
def store(dataset_path: Path):
    import pyoxigraph as ox
    s = ox.Store()
    s.load(path=str(dataset_path), format=ox.RdfFormat.TRIG)
    return s


@pytest.fixture(scope="session")
def app(built):
    from server import create_app
    application = create_app(built[0])
    yield application
    application.extensions["kazkg"].executor.close()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the corpus, for tests that add or break documents."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


def select(store, query: str) -> list[dict[str, str]]:
    """Run a SELECT with the project's prefixes; rows of plain strings (readable assertions)."""
    from graph.namespaces import Vocab
    prefixes = "".join(f"PREFIX {k}: <{v}>\n" for k, v in Vocab().prefixes.items())
    result = store.query(prefixes + query)
    names = [v.value for v in result.variables]
    return [{n: t.value for n, t in zip(names, solution) if t is not None} for solution in result]
