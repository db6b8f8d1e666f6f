"""Production serving: gunicorn sync workers over an app whose dataset is loaded once.

The dataset is loaded in the master before the workers fork, so workers share it copy-on-write;
each worker then forks its own killable query processes (server/executor.py). Sync workers take
one request at a time, which is both the fastest setup measured on 2 cores and safe with
libraries that are not thread-safe. `gunicorn 'server.wsgi:application()'` serves the same app.
"""

from __future__ import annotations

from flask import Flask
from gunicorn.app.base import BaseApplication

from graph.config import Config


class _Gunicorn(BaseApplication):
    def __init__(self, app: Flask, options: dict) -> None:
        self.application, self.options = app, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


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


def run_gunicorn(app: Flask, host: str, port: int, config: Config) -> None:
    _Gunicorn(app, gunicorn_options(host, port, config)).run()


def application() -> Flask:
    """WSGI entry point for running under an external gunicorn: settings from KAZKG_*."""
    from . import create_app
    return create_app()
