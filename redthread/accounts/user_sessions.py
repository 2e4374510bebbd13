"""The browsers a user is signed in from, listed on the profile page and revocable.

Django's session store holds the sessions but cannot say whose they are without decoding
every one; a :class:`UserSession` row, written when a user signs in, names each. Ending a
session deletes it from the store, so that browser is signed out at its next request."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from .models import User, UserSession
from .typing import RequestUser


def _store(session_key: str | None = None) -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


@receiver(user_logged_in, dispatch_uid="redthread_session_record")
def session_record(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """Names the new session after a sign-in (a test client's force_login has no request
    worth naming: it is recorded too, without browser details)."""
    if request is None or not hasattr(request, "session"):
        return
    if not request.session.session_key:
        request.session.save()
    key = request.session.session_key
    if not key:
        return
    UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "ip_address": request.META.get("REMOTE_ADDR") or None,
        },
    )


@receiver(user_logged_out, dispatch_uid="redthread_session_forget")
def session_forget(
    sender: Any, request: HttpRequest | None, user: RequestUser, **kwargs: Any
) -> None:
    if request is not None and getattr(request, "session", None) is not None:
        key = request.session.session_key
        if key:
            UserSession.objects.filter(session_key=key).delete()


def session_list(*, user: User) -> list[UserSession]:
    """The user's live sessions, newest first; rows of sessions that ended (expired or
    signed out elsewhere) are removed on the way."""
    live: list[int] = []
    ended: list[int] = []
    for item in UserSession.objects.filter(user=user):
        (live if _store().exists(item.session_key) else ended).append(item.pk)
    if ended:
        UserSession.objects.filter(pk__in=ended).delete()
    return list(UserSession.objects.filter(pk__in=live))


def session_revoke(*, user: User, session_id: int) -> bool:
    """Ends one of the user's sessions; ``False`` when it is not theirs or is gone."""
    item = UserSession.objects.filter(user=user, pk=session_id).first()
    if item is None:
        return False
    _store(item.session_key).delete(item.session_key)
    item.delete()
    return True


def session_revoke_others(*, user: User, keep: str | None) -> int:
    """Ends every session of the user but ``keep`` (the current one); returns how many."""
    count = 0
    for item in UserSession.objects.filter(user=user).exclude(session_key=keep or ""):
        _store(item.session_key).delete(item.session_key)
        item.delete()
        count += 1
    return count
