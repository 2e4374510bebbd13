"""One error body for every answer that is not a success:
``{"code": "...", "message": "...", "errors": {"field": ["..."]}}``, the message in the
caller's language (``Accept-Language``, Swedish first)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError


class ErrorBody(Schema):
    code: str
    message: str
    errors: dict[str, list[str]] = {}


#: The answers other than success that any operation may give, each with the error body
#: (documented on every operation, so that a client and the schema tests expect them).
ERRORS = frozenset({400, 401, 403, 404, 412, 422, 428, 429})


class ApiError(Exception):
    """Raised by an endpoint for an answer other than success."""

    def __init__(
        self, status: int, code: str, message: str, errors: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors or {}


def not_found() -> ApiError:
    # The same answer whether the object does not exist or the caller may not see it.
    return ApiError(404, "not_found", _("Det finns inget sådant objekt, eller du får inte se det."))


def forbidden() -> ApiError:
    return ApiError(403, "forbidden", _("Din roll får inte göra det här."))


def form_errors(form: Any) -> ApiError:
    errors = {
        (field if field != "__all__" else "_"): [str(m) for m in messages]
        for field, messages in form.errors.items()
    }
    return ApiError(422, "invalid", _("Uppgifterna är inte giltiga."), errors)


def _body(request: HttpRequest, api: NinjaAPI, error: ApiError) -> HttpResponse:
    return api.create_response(
        request,
        {"code": error.code, "message": error.message, "errors": error.errors},
        status=error.status,
    )


def _location(loc: Any) -> str:
    # Ninja prefixes a field's place with where it came from ("body", "payload", "query").
    parts = [str(p) for p in loc if p not in {"body", "query", "path", "header", "payload"}]
    return ".".join(parts) or "_"


def install_error_handlers(api: NinjaAPI) -> None:
    def api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return _body(request, api, exc)

    def validation(request: HttpRequest, exc: Any) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for item in exc.errors:
            errors.setdefault(_location(item.get("loc", ())), []).append(str(item.get("msg", "")))
        return _body(
            request, api, ApiError(422, "invalid", _("Uppgifterna är inte giltiga."), errors)
        )

    def unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        response = _body(
            request,
            api,
            ApiError(
                401,
                "unauthenticated",
                _("Logga in, eller skicka en giltig API-nyckel: Authorization: Bearer <nyckel>."),
            ),
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    def throttled(request: HttpRequest, exc: Any) -> HttpResponse:
        return _body(
            request,
            api,
            ApiError(429, "rate_limited", _("För många anrop. Vänta en stund och försök igen.")),
        )

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        codes = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}
        message = _("Anropet kunde inte utföras.")
        if exc.status_code == 403:
            message = _("Din roll får inte göra det här.")
        return _body(
            request, api, ApiError(exc.status_code, codes.get(exc.status_code, "error"), message)
        )

    def missing(request: HttpRequest, exc: Any) -> HttpResponse:
        return _body(request, api, not_found())

    def denied(request: HttpRequest, exc: Any) -> HttpResponse:
        return _body(request, api, forbidden())

    api.add_exception_handler(ApiError, api_error)
    api.add_exception_handler(ValidationError, validation)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(Throttled, throttled)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, missing)
    api.add_exception_handler(ObjectDoesNotExist, missing)
    api.add_exception_handler(PermissionDenied, denied)
