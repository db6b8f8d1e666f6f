"""The kazkg web application: SPARQL endpoint and linked-data pages over the built dataset."""

from __future__ import annotations

from typing import Any

from flask import Flask

from graph.config import Config

from .backends import Backend, open_backend
from .state import make_state


def create_app(config: Config | None = None, backend: Backend | None = None,
               **overrides: Any) -> Flask:
    """Application factory: defaults, then KAZKG_* variables, then `config`/`overrides`."""
    config = (config or Config.from_env()).replace(**overrides)
    backend = backend or open_backend(config)
    app = Flask(__name__)
    # One byte over the limit, so a chunked body (no Content-Length) that werkzeug cuts at the
    # limit can still be told apart from one that fits (server/sparql.py _read_body).
    app.config.update(MAX_CONTENT_LENGTH=config.max_request_bytes + 1, JSON_SORT_KEYS=False)
    app.extensions["kazkg"] = make_state(config, backend)

    from . import errors, ontology_docs, pages, sparql
    app.register_blueprint(sparql.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(ontology_docs.bp)
    from . import browse, cite, downloads, search
    for blueprint in (browse.bp, search.bp, downloads.bp, cite.bp):
        app.register_blueprint(blueprint)
    from . import void
    app.register_blueprint(void.bp)
    from . import pagecache, security
    pagecache.install(app)
    security.install(app)
    errors.register(app)
    pages.register_filters(app)
    return app
