"""The JSON API under /api/v1/: its OpenAPI document at /api/v1/openapi.json and the
interactive docs at /api/v1/docs, served from our own static files under our CSP."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from .auth import CallerRateThrottle, SessionAuth, TokenAuth
from .errors import install_error_handlers

api = NinjaAPI(
    title="Röd tråd API",
    version="1",
    description=(
        "Programs, companies and their engagements, read and changed under the same role "
        "rules as the pages. Authenticate with a personal access token from your profile "
        "(`Authorization: Bearer rt_…`) or the browser session (with its CSRF token). "
        "Guide: docs/api.md."
    ),
    urls_namespace="api-1",
    auth=[TokenAuth(), SessionAuth()],
    throttle=[CallerRateThrottle()],
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_decorator=login_not_required,
)
install_error_handlers(api)


def _routers() -> None:
    from . import engagements, registry

    api.add_router("", registry.router)
    api.add_router("", engagements.router)


_routers()


def _public(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """Every API route answers for itself (401 with the error body, not a redirect to the
    login page): Django's login-required middleware lets them through."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback.login_required = False  # type: ignore[attr-defined]  # what login_not_required sets
    return patterns


def urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    patterns, app_name, namespace = api.urls
    return _public(list(patterns)), app_name, namespace
