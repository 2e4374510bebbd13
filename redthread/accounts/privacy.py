"""What the accounts hold about a person (see ``core/privacy.py``): the user account, its
organisations, signed-in sessions, two-factor devices and the login attempts django-axes
logged. Erasure anonymises the account (it stays, closed, as the author of what it did)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redthread.core.privacy import PersonalData, Records, RetentionRule

from .identity import identity_normalise
from .models import User


def _users(address: str) -> list[User]:
    return list(
        User.objects.filter(email__iexact=identity_normalise(address)).prefetch_related(
            "memberships__organisation", "sessions"
        )
    )


def _access_models() -> list[Any]:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    return [AccessAttempt, AccessFailureLog, AccessLog]


def collect(address: str) -> Records:
    records: Records = []
    for user in _users(address):
        records.append(
            {
                _("Typ"): _("Användarkonto"),
                _("E-postadress"): user.email,
                _("Namn"): user.full_name,
                _("Roll"): user.get_role_display(),
                _("Aktiv"): _("Ja") if user.is_active else _("Nej"),
                _("Språk"): user.get_preferred_language_display(),
                _("Skapad"): user.date_joined,
                _("Senast inloggad"): user.last_login,
                _("Organisationer"): [str(m.organisation) for m in user.memberships.all()],
            }
        )
        for session in user.sessions.all():
            records.append(
                {
                    _("Typ"): _("Inloggning"),
                    _("Inloggad"): session.created,
                    _("Webbläsare"): session.user_agent,
                    _("IP-adress"): session.ip_address,
                }
            )
    identity = identity_normalise(address)
    for model in _access_models():
        for attempt in model.objects.filter(username=identity).order_by("-pk")[:200]:
            records.append(
                {
                    _("Typ"): _("Inloggningsförsök"),
                    _("Tid"): attempt.attempt_time,
                    _("IP-adress"): attempt.ip_address,
                    _("Webbläsare"): attempt.user_agent,
                }
            )
    return records


def erase(address: str) -> int:
    from django_otp import devices_for_user

    from .services import user_anonymise

    changed = 0
    for user in _users(address):
        for device in devices_for_user(user, confirmed=None):
            device.delete()
        user_anonymise(user=user)
        changed += 1
    identity = identity_normalise(address)
    for model in _access_models():
        changed += model.objects.filter(username=identity).delete()[0]
    return changed


SOURCE = PersonalData("accounts", gettext_lazy("Konton och inloggningar"), collect, erase, order=10)


def closed_retention_days() -> int:
    from django.conf import settings

    return int(settings.REDTHREAD_CLOSED_ACCOUNT_RETENTION_DAYS)


def apply_closed_retention(today: Any) -> int:
    """Anonymises the closed accounts of people who left: not active, and not signed in
    (or, never signed in, not created) within the retention period."""
    import datetime

    from django.db.models import Q
    from django.utils import timezone

    from .services import user_anonymise

    cutoff = timezone.make_aware(
        datetime.datetime.combine(
            today - datetime.timedelta(days=closed_retention_days()), datetime.time()
        )
    )
    users = (
        User.objects.filter(is_active=False)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
        .exclude(email__endswith="@anonym.invalid")
    )
    count = 0
    for user in users:
        user_anonymise(user=user)
        count += 1
    return count


RETENTION = RetentionRule(
    "closed_accounts",
    gettext_lazy("Stängda konton för personer som har slutat anonymiseras"),
    closed_retention_days,
    apply_closed_retention,
    order=10,
)
