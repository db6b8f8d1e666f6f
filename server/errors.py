"""Errors map to HTTP in one place; HTML for browsers, plain text or JSON for programs."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, NotFound

from . import conneg
from .pages import UnknownEntity
from .sparql import CORS_HEADERS

log = logging.getLogger("kazkg.server")


def _respond(status: int, title: str, message: str) -> Response:
    accept = request.headers.get("Accept")
    if conneg.wants_html(accept):
        html = render_template("error.html", status=status, title=title, message=message)
        return Response(html, status=status, mimetype="text/html")
    if accept and "json" in accept:
        response = jsonify(error=title, status=status, message=message)
        response.status_code = status
        return response
    return Response(f"{status} {title}: {message}\n", status=status, mimetype="text/plain")


def register(app: Flask) -> None:
    @app.errorhandler(UnknownEntity)
    def unknown_entity(exc: UnknownEntity) -> Response:
        return _respond(404, "Not Found", f"Nothing in this dataset is known as <{exc.iri}>. "
                                          "Check the spelling, search by name, or start from the home page.")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        if isinstance(exc, NotFound):
            return _respond(404, "Not Found", f"No page at {request.path}.")
        response = _respond(exc.code or 500, exc.name, exc.description or exc.name)
        if request.path == "/sparql":  # e.g. a 413 raised while werkzeug reads the body
            response.headers.update(CORS_HEADERS)
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return _respond(500, "Internal Server Error", "The server failed on this request; it was logged.")
