"""A database that is down, locked or read-only answers 503 with a page that says so,
not a 500: the fault is the platform's state, not a bug, and it passes by itself (Django
opens a fresh connection on the next request)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, InternalError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)


def database_unavailable(exception: BaseException) -> bool:
    """Whether ``exception`` says the database cannot serve now (rather than a bug)."""
    if isinstance(exception, OperationalError | InterfaceError):
        return True
    # PostgreSQL in a read-only transaction (a standby, or default_transaction_read_only).
    return isinstance(exception, InternalError) and "read-only" in str(exception)


def unavailable_response() -> HttpResponse:
    # A template without context processors: they would touch the database.
    response = HttpResponse(loader.get_template("core/error_503.html").render(), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if database_unavailable(exception):
            logger.error("database unavailable at %s: %s", request.path, exception)
            return unavailable_response()
        return None
