"""Who is calling: a personal access token (``Authorization: Bearer rt_…``) or the
browser's session (with its CSRF token on every change). Either way the caller acts as the
user, with the user's role and scope, so every rule of the pages holds here too."""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import BaseThrottle

from redthread.accounts.api_tokens import api_token_authenticate
from redthread.accounts.models import ApiToken, User
from redthread.core.ratelimit import rate_limit_hit

from .errors import ApiError


def _origin(request: HttpRequest, via: str) -> str:
    """What the audit trail records as where a change came from (core/audit.py)."""
    match = getattr(request, "resolver_match", None)
    name = match.url_name if match else request.path
    return f"API {request.method} {name} · {via}"[:100]


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = api_token_authenticate(secret=token)
        if found is None:
            # A caller that sent a token is answered for that token: an unknown, expired
            # or revoked one is refused, never passed on to the browser session.
            raise AuthenticationError
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]  # read by require_write
        request.audit_origin = _origin(request, f"token {found.name}")  # type: ignore[attr-defined]  # read by core.audit.record_origin
        return found


class SessionAuth(APIKeyCookie):
    """The signed-in browser; ninja checks the CSRF token of every unsafe request."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # Nobody signed in: answer 401 (not a CSRF refusal) and check no CSRF token.
        if not getattr(request, "user", None) or not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if not isinstance(user, User) or not user.is_active:
            return None
        request.audit_origin = _origin(request, "session")  # type: ignore[attr-defined]  # read by core.audit.record_origin
        return user


def caller(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # the API's auth let the request in
    return user


def require_write(request: HttpRequest) -> User:
    """The caller, if it may change things: a browser session, or a read-write token."""
    token: ApiToken | None = getattr(request, "api_token", None)
    if token is not None and not token.can_write:
        raise ApiError(403, "read_only", _("API-nyckeln får bara läsa."))
    return caller(request)


class CallerRateThrottle(BaseThrottle):
    """A limit per token (or per signed-in user for the browser), from the setting
    ``REDTHREAD_API_RATE`` ("120/min" by default), read on every request so that a test
    or an operator can change it without a restart. Counted in the database
    (``core.ratelimit``), so the limit holds across every app server and process."""

    _PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400}

    def __init__(self) -> None:
        # One instance serves every request; the wait belongs to the request's thread.
        self._local = threading.local()

    @classmethod
    def parse_rate(cls, rate: str) -> tuple[int, int]:
        count, _sep, period = rate.partition("/")
        try:
            return int(count), cls._PERIODS[period.strip().lower()]
        except (KeyError, ValueError) as exc:
            raise ImproperlyConfigured(
                f"REDTHREAD_API_RATE must look like 120/min, not {rate!r}."
            ) from exc

    def allow_request(self, request: HttpRequest) -> bool:
        self._local.wait = None
        token: ApiToken | None = getattr(request, "api_token", None)
        user: Any = getattr(request, "user", None)
        if token is not None:
            key = f"token-{token.pk}"
        elif user is not None and user.is_authenticated:
            key = f"user-{user.pk}"
        else:
            return True
        limit, window = self.parse_rate(getattr(settings, "REDTHREAD_API_RATE", "120/min"))
        result = rate_limit_hit(bucket="api", key=key, limit=limit, window=window)
        if not result.allowed:
            self._local.wait = float(result.retry_after_seconds)
        return result.allowed

    def wait(self) -> float | None:
        # ninja asks right after allow_request, on the same thread.
        wait: float | None = getattr(self._local, "wait", None)
        return wait
