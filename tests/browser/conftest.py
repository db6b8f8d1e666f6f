"""Browser tests: Playwright driving Debian's chromium (no browser download) against the app
served on a free loopback port in a thread. Screenshots go to test-artifacts/."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.config import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def base_url(built) -> Iterator[str]:
    """The corpus build served by a real WSGI server in a thread (its own app instance)."""
    from werkzeug.serving import make_server

    from server import create_app

    # pyoxigraph objects must be freed by the thread that made them: collect what earlier
    # fixtures left in reference cycles now, before a server thread's collection could.
    gc.collect()
    app = create_app(built[0])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="kazkg-browser-tests", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.extensions["kazkg"].executor.close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: `make test-deps` (run by `make test`) installs Debian's chromium for these tests"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is missing: `pip install -e '.[test]'`")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, base_url):
    """A fresh page that refuses any request leaving the test server (everything is local)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base_url)
    outside: list[str] = []

    def guard(route) -> None:
        url = route.request.url
        if url.startswith(base_url) or url.startswith("data:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    errors: list[str] = []
    tab = context.new_page()
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield tab
    context.close()
    assert not outside, f"the page asked for resources outside this server: {outside}"
    assert not errors, f"errors in the page: {errors}"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
