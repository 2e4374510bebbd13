"""The notices engagements sends through the outbox: an application reaches the program
office, an approval the company and the coaches, another status change those concerned;
on the first run of each week, every owner gets one message with their action items due
that week and overdue, and every coach the week's plan steps.

The kinds are registered with messaging in ``EngagementsConfig.ready``; the outbox decides,
by each recipient's choice, whether a notice goes at once, in the daily digest or not at all.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from redthread.accounts.models import Membership, Role, User
from redthread.messaging.notices import Delivery, Frequency, NoticeKind, register_notice
from redthread.messaging.services import notice_send

from .models import (
    ActionItem,
    ActionStatus,
    BookedSession,
    BookingStatus,
    Engagement,
    EngagementStatus,
    PlanStep,
    StatusChange,
)

APPLIED = "engagement_applied"
APPROVED = "engagement_approved"
STATUS = "engagement_status"
ACTION_ITEMS_WEEK = "action_items_week"
COACH_WEEK = "coach_week"

_TEMPLATES = "engagements/email"


def _url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _week(today: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    """The ISO week of ``today`` as a period key, with its Monday and Sunday."""
    year, week, _weekday = today.isocalendar()
    monday = today - datetime.timedelta(days=today.weekday())
    return f"{year}-W{week:02d}", monday, monday + datetime.timedelta(days=6)


def _engagement_context(engagement: Engagement) -> dict[str, Any]:
    return {
        "engagement": engagement,
        "company": engagement.company.name,
        "program": engagement.template_version.name,
        "initiative": engagement.initiative.name,
        "url": _url(engagement.get_absolute_url()),
    }


def _office(engagement: Engagement) -> list[User]:
    """The program managers of the office that owns the initiative; every program manager
    when none belongs to it."""
    managers = User.objects.filter(role=Role.PROGRAM_MANAGER, is_active=True)
    owners = list(managers.filter(memberships__organisation_id=engagement.initiative.owner_id))
    return owners or list(managers)


def _company_users(engagement: Engagement) -> list[User]:
    return list(
        User.objects.filter(
            role=Role.COMPANY_USER,
            is_active=True,
            memberships__organisation_id=engagement.company_id,
        )
    )


def _coaches(engagement: Engagement) -> list[User]:
    coaches = list(engagement.coaches.filter(is_active=True))
    if engagement.lead_coach is not None and engagement.lead_coach.is_active:
        coaches.insert(0, engagement.lead_coach)
    return coaches


def _partner_managers(engagement: Engagement) -> list[User]:
    return list(
        User.objects.filter(
            role=Role.PARTNER_MANAGER,
            is_active=True,
            pk__in=Membership.objects.filter(organisation_id=engagement.partner_id).values(
                "user_id"
            ),
        )
    )


def _unique(users: Iterable[User], actor: Any) -> list[User]:
    """Each person once, and never the one who made the change."""
    seen: set[int] = set()
    result = []
    for user in users:
        if user.pk in seen or (isinstance(actor, User) and user.pk == actor.pk):
            continue
        seen.add(user.pk)
        result.append(user)
    return result


def engagement_applied_notify(*, engagement: Engagement, actor: Any, note: str = "") -> int:
    """An application (an enrolment waiting for approval) reaches the program office, with
    the applicant's ``note`` when there is one."""
    context = {
        **_engagement_context(engagement),
        "actor": str(actor) if actor else "",
        "note": note,
    }
    return sum(
        notice_send(
            kind=APPLIED,
            to=user,
            period=f"engagement:{engagement.pk}",
            context=context,
            about=engagement,
        )
        is not None
        for user in _unique(_office(engagement), actor)
    )


def engagement_status_notify(*, change: StatusChange, actor: Any) -> int:
    """An approval reaches the company's users and the coaches; any other change of status
    reaches them and the partner's managers. Returns how many notices were made."""
    engagement = change.engagement
    if change.to_status == EngagementStatus.APPROVED:
        kind = APPROVED
        people = [*_company_users(engagement), *_coaches(engagement)]
    else:
        kind = STATUS
        people = [
            *_company_users(engagement),
            *_coaches(engagement),
            *_partner_managers(engagement),
        ]
    context = {
        **_engagement_context(engagement),
        "from_status": EngagementStatus(change.from_status).label if change.from_status else "",
        "to_status": EngagementStatus(change.to_status).label,
        "note": change.note,
        "actor": str(actor) if actor else "",
    }
    return sum(
        notice_send(
            kind=kind,
            to=user,
            period=f"status-change:{change.pk}",
            context=context,
            about=engagement,
        )
        is not None
        for user in _unique(people, actor)
    )


def action_items_week(today: datetime.date) -> Iterator[Delivery]:
    """One delivery per owner with their open action items due this week or overdue, in
    engagements not over. An owner at the company is reached through their user account
    when one has their address, otherwise at the address itself."""
    period, _monday, sunday = _week(today)
    items = list(
        ActionItem.objects.filter(
            status__in=ActionStatus.PENDING,
            due_date__lte=sunday,
            engagement__status__in=EngagementStatus.OPEN,
        )
        .filter(
            Q(owner_coach__isnull=False)
            | (Q(owner_person__isnull=False) & ~Q(owner_person__email=""))
        )
        .select_related("engagement__company", "owner_person", "owner_coach")
        .order_by("due_date", "pk")
    )
    addresses = {
        i.owner_person.email.strip().lower()
        for i in items
        if i.owner_person is not None and i.owner_coach is None
    }
    # The registry does not normalise an address's case: compare in lower case.
    users = {
        u.email.lower(): u
        for u in User.objects.annotate(address=Lower("email")).filter(
            is_active=True, address__in=addresses
        )
    }
    owners: dict[str, tuple[User | str, list[dict[str, Any]]]] = {}
    for item in items:
        owner: User | str
        if item.owner_coach is not None:
            owner = item.owner_coach
        elif item.owner_person is not None and item.owner_person.email.strip():
            address = item.owner_person.email.strip()
            owner = users.get(address.lower(), address)
        else:
            continue
        key = f"u{owner.pk}" if isinstance(owner, User) else owner.lower()
        entry = owners.setdefault(key, (owner, []))
        assert item.due_date is not None
        entry[1].append(
            {
                "title": item.title,
                "due_date": item.due_date,
                "overdue": item.due_date < today,
                "company": item.engagement.company.name,
                "url": _url(item.engagement.get_absolute_url()),
            }
        )
    for owner, rows in owners.values():
        overdue = [r for r in rows if r["overdue"]]
        yield Delivery(
            to=owner,
            period=period,
            context={
                "overdue": overdue,
                "due": [r for r in rows if not r["overdue"]],
                "count": len(rows),
                "week": period,
                "sunday": sunday,
            },
            about=_("Åtgärder vecka %(week)s") % {"week": period},
        )


def coach_week(today: datetime.date) -> Iterator[Delivery]:
    """One delivery per coach with the plan steps planned this week in the engagements
    they lead or co-coach (approved or under way), and the sessions booked this week that
    they take part in."""
    period, monday, sunday = _week(today)
    steps = list(
        PlanStep.objects.filter(
            planned_date__range=(monday, sunday),
            status="planned",
            engagement__status__in=EngagementStatus.BOOKED,
        )
        .select_related("engagement__company", "engagement__lead_coach", "module_version")
        .prefetch_related("engagement__coaches")
        .order_by("planned_date", "order", "pk")
    )
    coaches: dict[int, tuple[User, list[dict[str, Any]], list[dict[str, Any]]]] = {}
    for step in steps:
        engagement = step.engagement
        people = [engagement.lead_coach, *engagement.coaches.all()]
        row = {
            "date": step.planned_date,
            "module": step.module_version.name,
            "company": engagement.company.name,
            "url": _url(engagement.get_absolute_url()),
        }
        for coach in people:
            if coach is not None and coach.is_active:
                coaches.setdefault(coach.pk, (coach, [], []))[1].append(row)
    bookings = (
        BookedSession.objects.filter(date__range=(monday, sunday), status=BookingStatus.BOOKED)
        .select_related("engagement__company")
        .prefetch_related("coaches")
        .order_by("date", "start_time", "pk")
    )
    for booking in bookings:
        row = {
            "date": booking.date,
            "time": booking.start_time,
            "company": booking.engagement.company.name,
            "place": booking.place or booking.video_link,
            "url": _url(booking.get_absolute_url()),
        }
        for coach in booking.coaches.all():
            if coach.is_active:
                coaches.setdefault(coach.pk, (coach, [], []))[2].append(row)
    for coach, rows, booked in coaches.values():
        yield Delivery(
            to=coach,
            period=period,
            context={
                "steps": rows,
                "bookings": booked,
                "week": period,
                "monday": monday,
                "sunday": sunday,
            },
            about=_("Coachens vecka %(week)s") % {"week": period},
        )


def notices_register() -> None:
    staff = frozenset({Role.COACH, Role.PARTNER_MANAGER, Role.COMPANY_USER})
    register_notice(
        NoticeKind(
            APPLIED,
            _("Nya ansökningar"),
            _("När ett företag anmäls till ett program och ansökan väntar på godkännande."),
            f"{_TEMPLATES}/applied",
            roles=frozenset({Role.ADMIN, Role.PROGRAM_MANAGER}),
            order=10,
        )
    )
    register_notice(
        NoticeKind(
            APPROVED,
            _("Godkända uppdrag"),
            _("När ett uppdrag där du är coach eller som gäller ditt företag godkänns."),
            f"{_TEMPLATES}/approved",
            roles=frozenset({Role.COACH, Role.COMPANY_USER}),
            order=11,
        )
    )
    register_notice(
        NoticeKind(
            STATUS,
            _("Statusändringar i uppdrag"),
            _("När ett uppdrag du arbetar i startar, pausas, avslutas eller avbryts."),
            f"{_TEMPLATES}/status",
            roles=staff,
            default=Frequency.DAILY,
            order=12,
        )
    )
    register_notice(
        NoticeKind(
            ACTION_ITEMS_WEEK,
            _("Veckans åtgärder"),
            _(
                "Ett meddelande i början av veckan med dina åtgärder som ska vara klara "
                "den veckan och de som är försenade."
            ),
            f"{_TEMPLATES}/action_items_week",
            roles=staff,
            producer=action_items_week,
            order=20,
        )
    )
    register_notice(
        NoticeKind(
            COACH_WEEK,
            _("Coachens vecka"),
            _("Ett meddelande i början av veckan med veckans plansteg i dina uppdrag."),
            f"{_TEMPLATES}/coach_week",
            roles=frozenset({Role.COACH}),
            producer=coach_week,
            order=21,
        )
    )
