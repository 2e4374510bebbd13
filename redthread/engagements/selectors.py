from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from .models import ActionItem, ActionStatus, Engagement, Session


def engagement_list(
    *,
    user: Any,
    q: str = "",
    initiative: Any = None,
    partner: Any = None,
    status: str = "",
    region: str = "",
) -> QuerySet[Engagement]:
    """The engagements ``user`` may see, with what the list shows (one query a page)."""
    engagements = (
        Engagement.objects.visible_to(user)
        .select_related(
            "company__municipality__county__nuts",
            "initiative",
            "partner",
            "lead_coach",
            "template_version",
        )
        .annotate(
            session_minutes=Sum("sessions__duration_minutes"),
            open_actions=Count(
                "action_items",
                filter=Q(action_items__status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS]),
                distinct=True,
            ),
        )
    )
    if q:
        engagements = engagements.filter(company__name__icontains=q)
    if initiative is not None:
        engagements = engagements.filter(initiative=initiative)
    if partner is not None:
        engagements = engagements.filter(partner=partner)
    if status:
        engagements = engagements.filter(status=status)
    if region:
        engagements = engagements.filter(company__municipality__county__nuts__code=region)
    return engagements


def engagement_get(*, user: Any, pk: int) -> Engagement:
    return (
        Engagement.objects.visible_to(user)
        .select_related(
            "company", "initiative", "partner", "lead_coach", "template_version__template"
        )
        .get(pk=pk)
    )


def session_list(*, engagement: Engagement) -> QuerySet[Session]:
    return engagement.sessions.select_related("plan_step__module_version").prefetch_related(
        "coaches"
    )


def action_item_list(*, engagement: Engagement) -> QuerySet[ActionItem]:
    return engagement.action_items.select_related("owner_person", "owner_coach", "session")


def module_usage() -> Any:
    """How many engagements have each module in their plans, per initiative and per
    template (for the coverage matrix of the methodology, through its hook)."""
    from redthread.methodology.hooks import ModuleUsage

    from .models import PlanStep

    steps = PlanStep.objects.all()
    by_initiative = {
        (row["module_version__module_id"], row["engagement__initiative_id"]): row["n"]
        for row in steps.values("module_version__module_id", "engagement__initiative_id").annotate(
            n=Count("engagement", distinct=True)
        )
    }
    by_template = {
        (row["module_version__module_id"], row["engagement__template_version__template_id"]): row[
            "n"
        ]
        for row in steps.values(
            "module_version__module_id", "engagement__template_version__template_id"
        ).annotate(n=Count("engagement", distinct=True))
    }
    return ModuleUsage(by_initiative, by_template)
