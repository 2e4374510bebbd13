"""One rate limit for every public door: the certificate check, the API, the contact and
application forms. The hits live in the database (``RateLimitHit``), so the limit holds
across every gunicorn process and app server, not per process as a local-memory cache
would. A client (an address, an e-mail, a token) is kept only as an HMAC keyed with
``SECRET_KEY``; old hits are pruned by ``redthread apply_retention``.

The window slides: a request is allowed when fewer than ``limit`` hits of the same bucket
and key fall in the last ``window``. A refused request is not counted, so a client that
keeps trying is let in again as soon as its oldest counted hit leaves the window.

The hit is written before the count is read: outside a transaction, two requests racing on
two servers then both see each other's hit, and the later one is refused. Inside a longer
transaction a burst may pass the limit by the few requests in flight at once."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import math
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .models import RateLimitHit
from .privacy import RetentionRule


@dataclass(frozen=True)
class RateLimitResult:
    allowed: bool
    #: Whole seconds until a refused client may try again (0 when allowed).
    retry_after_seconds: int

    def __bool__(self) -> bool:
        return self.allowed


def rate_limit_key(*, bucket: str, key: str) -> str:
    """The keyed hash under which ``key`` is counted in ``bucket``."""
    message = f"ratelimit:{bucket}:{key}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def rate_limit_hit(
    *,
    bucket: str,
    key: str,
    limit: int,
    window: int | datetime.timedelta,
    now: datetime.datetime | None = None,
) -> RateLimitResult:
    """Counts one request of ``key`` in ``bucket`` and says whether it is allowed: at most
    ``limit`` requests per ``window`` (seconds or a timedelta). A refused request is not
    counted; its ``retry_after_seconds`` is when the oldest counted one leaves the window."""
    if not isinstance(window, datetime.timedelta):
        window = datetime.timedelta(seconds=window)
    now = now or timezone.now()
    key_hash = rate_limit_key(bucket=bucket, key=key)
    hit = RateLimitHit.objects.create(bucket=bucket, key_hash=key_hash, at=now)
    recent = RateLimitHit.objects.filter(bucket=bucket, key_hash=key_hash, at__gt=now - window)
    # Only the hits before this one count against it (by time, ties broken by id), so
    # that of several simultaneous requests the first ``limit`` are the ones let through.
    earlier = list(
        recent.exclude(pk=hit.pk).filter(at__lte=now).order_by("at", "pk").values_list("at", "pk")
    )
    before = [at for at, pk in earlier if at < now or pk < hit.pk]
    if len(before) < limit:
        return RateLimitResult(True, 0)
    hit.delete()
    oldest = before[-limit] if limit > 0 else now
    wait = (oldest + window - now).total_seconds()
    return RateLimitResult(False, max(1, math.ceil(wait)))


def client_address(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or behind ``REDTHREAD_TRUSTED_PROXY_COUNT``
    proxies the address the outermost trusted one saw (counted from the right of
    ``X-Forwarded-For``, which a client can only prepend to, never append to)."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = int(getattr(settings, "REDTHREAD_TRUSTED_PROXY_COUNT", 0))
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    if proxies <= 0 or not forwarded.strip():
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    return hops[-min(proxies, len(hops))]


def _retention_days() -> int:
    return int(getattr(settings, "REDTHREAD_RATE_LIMIT_RETENTION_DAYS", 2))


def _retention_apply(today: datetime.date) -> int:
    start = datetime.datetime.combine(
        today - datetime.timedelta(days=_retention_days()),
        datetime.time.min,
        tzinfo=timezone.get_current_timezone(),
    )
    deleted, _ = RateLimitHit.objects.filter(at__lt=start).delete()
    return deleted


RETENTION = RetentionRule(
    "rate_limit_hits",
    gettext_lazy("Räknade anrop för spärrar mot för många försök rensas"),
    _retention_days,
    _retention_apply,
    order=90,
)
