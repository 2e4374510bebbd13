"""Where engagements meet assessments: starting the measurements a plan foresees, turning
recommendations into action items and plan steps. (The program's view of maturity is
``outcomes.views.maturity``.)"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from redthread.accounts.typing import RequestUser
from redthread.assessments import selectors as assessment_selectors
from redthread.assessments.hooks import RecommendationTarget
from redthread.assessments.models import AssessmentRound
from redthread.methodology.models import MethodModule

from . import selectors, services
from .models import Engagement, EngagementStatus, PlanAssessment

#: An action from a recommendation is due this long after it is added, unless changed.
RECOMMENDATION_DUE = datetime.timedelta(weeks=4)


def recommendation_targets(round: AssessmentRound, user: RequestUser) -> list[RecommendationTarget]:
    """The open engagements of the round's company that ``user`` may log in, each with what
    its plan has already (not offered as a step again), the modules this round already made
    an action of (not offered again), and who may own a new action."""
    if not user.has_perm("engagements.log"):
        return []
    engagements = list(selectors.engagement_open_list(user=user, company_id=round.company_id))
    if not engagements:
        return []
    in_plan = selectors.plan_modules(engagements=engagements)
    acted = selectors.recommended_actions(engagements=engagements, round=round)
    owners = selectors.action_owner_choices(engagements=engagements)
    due = (timezone.localdate() + RECOMMENDATION_DUE).isoformat()
    return [
        RecommendationTarget(
            label=str(e.initiative.name),
            url=reverse("engagements:recommendation_apply", kwargs={"pk": e.pk}),
            planned=in_plan.get(e.pk, {}),
            actions=frozenset(acted.get(e.pk, ())),
            owners=owners.get(e.pk, []),
            due=due,
        )
        for e in engagements
    ]


def _engagement(request: HttpRequest, pk: int) -> Engagement:
    try:
        return selectors.engagement_get(user=request.user, pk=pk)
    except Engagement.DoesNotExist as exc:
        raise Http404 from exc


@permission_required("engagements.log", raise_exception=True)
@require_POST
def plan_assessment_start(request: HttpRequest, pk: int, point_pk: int) -> HttpResponse:
    engagement = _engagement(request, pk)
    point = get_object_or_404(PlanAssessment, pk=point_pk, engagement=engagement)
    try:
        round_ = services.plan_assessment_start(point=point, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(engagement)
    return redirect(round_)


@permission_required("engagements.log", raise_exception=True)
@require_POST
def recommendation_apply(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _engagement(request, pk)
    if engagement.status not in EngagementStatus.OPEN:
        raise PermissionDenied
    round_pk = request.POST.get("round", "")
    round_ = assessment_selectors.round_get(
        user=request.user, pk=int(round_pk) if round_pk.isdigit() else 0
    )
    if round_.company_id != engagement.company_id:
        raise Http404
    module = get_object_or_404(MethodModule, code=request.POST.get("module", ""))
    definition = round_.instrument.parsed
    dimension = next(
        (d for d in definition.dimensions if d.code == request.POST.get("dimension")), None
    )
    kind = request.POST.get("kind", "action")
    if dimension is None or kind not in {"action", "step"}:
        messages.error(request, _("Rekommendationen gick inte att lägga till: ladda om sidan."))
        return redirect(round_)
    owner_person, owner_coach, due = None, None, None
    if kind == "action":
        try:
            owner_person, owner_coach = selectors.action_owner(
                engagement=engagement, value=request.POST.get("owner", "")
            )
        except ValueError:
            messages.error(
                request, _("Välj en ansvarig bland uppdragets coacher och företagets personer.")
            )
            return redirect(round_)
        try:
            due = parse_date(request.POST.get("due") or "")
        except ValueError:
            due = None
        if request.POST.get("due") and due is None:
            messages.error(request, _("Ange datumet som ÅÅÅÅ-MM-DD."))
            return redirect(round_)
    try:
        services.recommendation_apply(
            engagement=engagement,
            round=round_,
            module=module,
            dimension_name=str(dimension.name),
            kind=kind,
            owner_person=owner_person,
            owner_coach=owner_coach,
            due_date=due,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(round_)
    messages.success(
        request,
        _("Tillagt som åtgärd i uppdraget.")
        if kind == "action"
        else _("Tillagt som steg i planen."),
    )
    return redirect(round_)
