"""Conditional updates and safe retries: an ``ETag`` on every object read, ``If-Match``
required on every update (412 when stale, 428 when missing), and ``Idempotency-Key`` on
creates, so that a retried create does not make a second record."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from redthread.core.forms import edit_token

from .auth import caller
from .errors import ApiError
from .models import IdempotentRequest

#: How long a stored answer to an idempotent create is kept.
IDEMPOTENCY_WINDOW = datetime.timedelta(hours=24)


def etag_of(instance: models.Model, fields: Iterable[str]) -> str:
    """The object's version: the same fingerprint the pages' forms use to refuse an edit
    that someone else's save overtook (core/forms.py)."""
    return f'"{edit_token(instance, fields)}"'


def with_etag(response: HttpResponse, instance: models.Model, fields: Iterable[str]) -> None:
    response["ETag"] = etag_of(instance, fields)


def if_match(request: HttpRequest) -> str:
    """The version the caller last read, from ``If-Match`` (without its quotes): the
    form's own check compares it with the stored one under a row lock."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise ApiError(
            428,
            "precondition_required",
            _("Skicka If-Match med objektets ETag från din senaste läsning."),
        )
    if header.startswith("W/"):
        header = header[2:]
    return header.strip('"')


def stale() -> ApiError:
    return ApiError(
        412,
        "precondition_failed",
        _("Objektet har ändrats sedan du läste det. Läs det igen och gör om ändringen."),
    )


def idempotent(
    request: HttpRequest, payload: Any, create: Callable[[], tuple[int, Any]]
) -> tuple[int, Any]:
    """Runs ``create`` (which returns a status and a JSON body) once per
    ``Idempotency-Key``: a retry with the same key and body gets the first answer; the
    same key with another body is refused with 422. Without the header ``create`` runs
    as it is."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return create()
    if len(key) > 200:
        raise ApiError(
            422,
            "invalid",
            _("Idempotency-Key får vara högst 200 tecken."),
            {"Idempotency-Key": [_("För lång.")]},
        )
    user = caller(request)
    body = json.dumps(payload, sort_keys=True, default=str)
    fingerprint = hashlib.sha256(f"{request.path}\n{body}".encode()).hexdigest()
    IdempotentRequest.objects.filter(created__lt=timezone.now() - IDEMPOTENCY_WINDOW).delete()
    stored = IdempotentRequest.objects.filter(user=user, key=key).first()
    if stored is not None:
        if stored.fingerprint != fingerprint:
            raise ApiError(
                422,
                "idempotency_key_reused",
                _("Den här Idempotency-Key har redan använts för ett annat anrop."),
            )
        return stored.status, stored.body
    try:
        with transaction.atomic():
            status, result = create()
            IdempotentRequest.objects.create(
                user=user, key=key, fingerprint=fingerprint, status=status, body=result
            )
    except IntegrityError:
        # The same key sent twice at once: the first one made the record.
        stored = IdempotentRequest.objects.filter(user=user, key=key).first()
        if stored is None or stored.fingerprint != fingerprint:
            raise
        return stored.status, stored.body
    return status, result
