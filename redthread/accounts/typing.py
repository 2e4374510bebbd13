"""The types of who is asking, for every app's selectors, services and predicates.

``request.user`` is a :class:`User` when signed in and Django's ``AnonymousUser`` otherwise
(the public pages, the self-assessment links). Scoped reads take a :data:`RequestUser` and
decide for both; code that needs a signed-in person takes a ``User``."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from .models import User

#: Whoever ``request.user`` is: a signed-in ``User`` or the anonymous visitor.
RequestUser = User | AnonymousUser


class AuthenticatedRequest(HttpRequest):
    """A request behind the login (``LoginRequiredMiddleware``): its user is a ``User``."""

    user: User
