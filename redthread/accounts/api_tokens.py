"""Personal access tokens for the JSON API: made and revoked from the owner's profile,
checked on every API request. A secret is ``rt_`` and 43 random URL-safe characters; only
its SHA-256 is stored, so a copy of the database does not give anyone a usable token."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from .models import ApiToken, User

#: A marker that tells our tokens apart (and lets secret scanners find them), not a secret.
SECRET_PREFIX = "rt_"  # noqa: S105  # nosec B105
#: How often at most ``last_used_at`` is written: a busy integration should not turn every
#: read into a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, user: User, name: str, can_write: bool, expires_on: datetime.date
) -> tuple[ApiToken, str]:
    """Makes a token for ``user`` and returns it with its secret. The secret is not kept:
    the caller shows it once. The token expires at the end of ``expires_on`` (Swedish
    time)."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    end = datetime.datetime.combine(expires_on + datetime.timedelta(days=1), datetime.time())
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=secret[:10],
        secret_hash=_hash(secret),
        can_write=can_write,
        expires_at=timezone.make_aware(end),
    )
    return token, secret


def api_token_revoke(*, user: User, token_id: int) -> bool:
    """Revokes one of ``user``'s own tokens; False when it has none by that id (or it was
    already revoked)."""
    return bool(
        ApiToken.objects.filter(user=user, pk=token_id, revoked_at=None).update(
            revoked_at=timezone.now()
        )
    )


def api_token_authenticate(*, secret: str) -> ApiToken | None:
    """The token whose secret this is, if it is neither revoked nor expired and its owner
    is active; None otherwise (the caller cannot tell which, nor can an attacker)."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(secret_hash=_hash(secret), revoked_at=None, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
