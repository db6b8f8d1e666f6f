"""Production serving: gunicorn sync workers over an app whose dataset is loaded once.

The dataset is loaded in the master before the workers fork, so workers share it copy-on-write;
each worker then forks its own killable query processes (server/executor.py). Sync workers take
one request at a time, which is both the fastest setup measured on 2 cores and safe with
libraries that are not thread-safe. `gunicorn 'server.wsgi:application()'` serves the same app.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable

from flask import Flask
from gunicorn.app.base import BaseApplication

from graph.config import Config


class _Gunicorn(BaseApplication):
    """gunicorn with the app made by us; on SIGHUP the dataset is loaded again (`reload_app`) and
    new workers serve it while the old ones finish their requests: a rollover without downtime.
    A dataset that cannot be loaded leaves the running one in service."""

    def __init__(self, app: Flask, options: dict, reload_app: Callable[[], Flask] | None = None) -> None:
        self.application, self.options, self.reload_app = app, options, reload_app
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application

    def reload(self) -> None:
        super().reload()
        if self.reload_app is None:
            return
        try:
            fresh = self.reload_app()
        except Exception as exc:  # noqa: BLE001 - any failure keeps the served build
            print(f"kazkg: reload failed, still serving build {_build_of(self.application)}: {exc}",
                  file=sys.stderr, flush=True)
            return
        warm_up(fresh)
        old, self.application = self.application, fresh
        self.callable = fresh
        print(f"kazkg: reloaded: build {_build_of(old)} -> {_build_of(fresh)}", file=sys.stderr, flush=True)


def warm_up(app: Flask) -> None:
    """Compute what pages read from the whole build (labels, types, search names, counts, index
    rows, tenures) and compile the templates in the master, before the workers fork: they share
    it copy-on-write, and no visitor waits for it."""
    from .browse import INDEXES, index_rows
    from .entity import documents, provenance
    from .labels import label_index
    from .pages import class_counts, dataset_size, home_counts
    from .search import search_index
    from .temporal import all_tenures, program_periods

    try:
        with app.test_request_context("/"):
            st = app.extensions["kazkg"]
            for compute in (label_index, search_index, documents, provenance, home_counts,
                            class_counts, dataset_size):
                compute(st)
            for index in INDEXES.values():
                index_rows(index)
            all_tenures()
            program_periods()
            for template in app.jinja_env.list_templates(extensions=["html"]):
                app.jinja_env.get_template(template)  # compiled once, before the fork
    except Exception as exc:  # noqa: BLE001 - pages compute it on first use instead
        print(f"kazkg: warming up failed ({type(exc).__name__}: {exc}); pages compute what "
              "they need on first use", file=sys.stderr, flush=True)
    # What is alive now lives as long as the build is served: the garbage collector need not
    # walk it again (a full collection of a large build's indexes stalled requests for 0.2 s),
    # and the forked workers keep sharing its memory pages.
    gc.freeze()


def _build_of(app: Flask) -> str:
    return app.extensions["kazkg"].build_id


def _post_fork(server, worker) -> None:
    server.app.wsgi().extensions["kazkg"].executor.warm_up()


def gunicorn_options(host: str, port: int, config: Config) -> dict:
    return {
        "bind": f"{host}:{port}",
        "workers": config.server_workers,
        "worker_class": "sync",
        # Longer than any query may run, so gunicorn never kills a worker mid-answer.
        "timeout": int(config.sparql_timeout * 2 + 30),
        "graceful_timeout": 10,
        "keepalive": 5,
        "limit_request_line": 8190,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "post_fork": _post_fork,
        "proc_name": "kazkg",
    }


def run_gunicorn(app: Flask, host: str, port: int, config: Config,
                 reload_app: Callable[[], Flask] | None = None) -> None:
    warm_up(app)
    _Gunicorn(app, gunicorn_options(host, port, config), reload_app).run()


def application() -> Flask:
    """WSGI entry point for running under an external gunicorn: settings from KAZKG_*."""
    from . import create_app
    app = create_app()
    warm_up(app)
    return app
