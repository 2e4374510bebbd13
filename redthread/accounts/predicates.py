"""Permission predicates every app uses, and the scope a user's memberships give.

Apps register their permissions in their own ``rules.py`` from these predicates, and scope
their querysets with ``visible_to(user)`` built on :func:`organisation_ids`. Nothing here
imports an app above accounts.
"""

from __future__ import annotations

from typing import Any

import rules

from .models import Membership, Role, User
from .typing import RequestUser


def _role_is(role: Role) -> Any:
    @rules.predicate(name=f"is_{role.value}")
    def check(user: RequestUser | None) -> bool:
        return isinstance(user, User) and user.is_active and user.role == role

    return check


is_admin = _role_is(Role.ADMIN)
is_program_manager = _role_is(Role.PROGRAM_MANAGER)
is_partner_manager = _role_is(Role.PARTNER_MANAGER)
is_coach = _role_is(Role.COACH)
is_company_user = _role_is(Role.COMPANY_USER)
is_funder_viewer = _role_is(Role.FUNDER_VIEWER)
is_editor = _role_is(Role.EDITOR)

#: The program office: sees every engagement and every report.
is_program_office = is_admin | is_program_manager
#: Staff who work with companies on a partner's behalf.
is_partner_staff = is_partner_manager | is_coach


@rules.predicate
def is_signed_in(user: RequestUser | None) -> bool:
    return isinstance(user, User) and user.is_active


#: The key under which :func:`organisation_ids` keeps the organisations a user manages.
MANAGED = "managed"


def organisation_ids(user: RequestUser | None, kind: str | None = None) -> frozenset[int]:
    """The ids of the organisations a user belongs to, optionally of one kind (or, with
    ``kind=MANAGED``, those whose membership makes the user their manager).

    Computed once per user object (that is, once per request) and cached on it."""
    if not isinstance(user, User):
        return frozenset()
    cache: dict[str | None, frozenset[int]] | None = getattr(user, "_redthread_orgs", None)
    if cache is None:
        rows = list(
            Membership.objects.filter(user=user).values_list(
                "organisation_id", "organisation__kind", "is_manager"
            )
        )
        cache = {None: frozenset(org_id for org_id, _kind, _manager in rows)}
        for org_id, org_kind, manager in rows:
            cache[org_kind] = cache.get(org_kind, frozenset()) | {org_id}
            if manager:
                cache[MANAGED] = cache.get(MANAGED, frozenset()) | {org_id}
        user.__dict__["_redthread_orgs"] = cache
    return cache.get(kind, frozenset())


@rules.predicate
def is_company_manager(user: RequestUser | None) -> bool:
    """A company user whose membership of its company says it manages it (see
    ``Membership.is_manager``): it invites and removes colleagues and respondents."""
    return bool(is_company_user(user) and organisation_ids(user, MANAGED))


def forget_organisations(user: RequestUser) -> None:
    """Drop the cached memberships, after a service has changed them."""
    if hasattr(user, "_redthread_orgs"):
        del user._redthread_orgs
