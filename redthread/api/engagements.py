"""Engagements, their plans, sessions and action items: the coach's daily tool, under the
engagement's ``visible_to`` (a coach sees the engagements it coaches, a partner its own,
a company its own, a funder none). A company's own users do not get the coach's session
notes, as on their page: sessions are for the office and partner staff."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from redthread.engagements import selectors, services
from redthread.engagements.forms import EnrolForm, SessionForm
from redthread.engagements.models import ActionItem, Engagement, PlanStep, Session
from redthread.registry.selectors import company_list, partner_list

from .auth import caller, require_write
from .conditional import idempotent, with_etag
from .errors import ERRORS, ApiError, ErrorBody, forbidden, form_errors, not_found
from .forms_bridge import form_data
from .listing import Page, paginate

router = Router(tags=["engagements"])

ENGAGEMENT_VERSION_FIELDS = ["status", "start_date", "lead_coach", "partner", "coaches"]


class EngagementOut(Schema):
    id: int
    company: int
    company_name: str
    initiative: int
    template_version: int
    partner: int
    lead_coach: int | None
    start_date: datetime.date
    status: str
    modified: datetime.datetime


class EngagementIn(Schema):
    company: int
    initiative: int
    template: int
    partner: int
    start_date: datetime.date
    lead_coach: int | None = None
    coaches: list[int] = []


class PlanStepOut(Schema):
    id: int
    phase_name: str
    order: int
    module: str
    planned_date: datetime.date
    status: str
    coach_hours: int


class SessionOut(Schema):
    id: int
    engagement: int
    date: datetime.date
    start_time: datetime.time | None
    duration_minutes: int
    mode: str
    coaches: list[int]
    plan_step: int | None
    women: int
    men: int
    other: int
    company_hours: Decimal
    notes: str
    next_steps: str


class SessionIn(Schema):
    date: datetime.date
    duration_minutes: int
    coaches: list[int]
    start_time: datetime.time | None = None
    mode: str = "onsite"
    plan_step: int | None = None
    women: int = 0
    men: int = 0
    other: int = 0
    company_hours: Decimal = Decimal(0)
    notes: str = ""
    next_steps: str = ""
    step_done: bool = False


class ActionItemOut(Schema):
    id: int
    engagement: int
    title: str
    due_date: datetime.date | None
    status: str
    origin: str


def engagement_dump(engagement: Engagement) -> dict[str, Any]:
    return EngagementOut(
        id=engagement.pk,
        company=engagement.company_id,
        company_name=engagement.company.name,
        initiative=engagement.initiative_id,
        template_version=engagement.template_version_id,
        partner=engagement.partner_id,
        lead_coach=engagement.lead_coach_id,
        start_date=engagement.start_date,
        status=engagement.status,
        modified=engagement.modified,
    ).model_dump(mode="json")


def session_dump(session: Session) -> dict[str, Any]:
    return SessionOut(
        id=session.pk,
        engagement=session.engagement_id,
        date=session.date,
        start_time=session.start_time,
        duration_minutes=session.duration_minutes,
        mode=session.mode,
        coaches=sorted(c.pk for c in session.coaches.all()),
        plan_step=session.plan_step_id,
        women=session.women,
        men=session.men,
        other=session.other,
        company_hours=session.company_hours,
        notes=session.notes,
        next_steps=session.next_steps,
    ).model_dump(mode="json")


def plan_step_dump(step: PlanStep) -> dict[str, Any]:
    return PlanStepOut(
        id=step.pk,
        phase_name=step.phase_name,
        order=step.order,
        module=step.module_version.name,
        planned_date=step.planned_date,
        status=step.status,
        coach_hours=step.coach_hours,
    ).model_dump(mode="json")


def action_item_dump(item: ActionItem) -> dict[str, Any]:
    return ActionItemOut(
        id=item.pk,
        engagement=item.engagement_id,
        title=item.title,
        due_date=item.due_date,
        status=item.status,
        origin=item.origin,
    ).model_dump(mode="json")


def _refusal(error: ValidationError) -> ApiError:
    """A service's refusal (the business rule the form cannot see), as a 422."""
    return ApiError(422, "refused", " ".join(error.messages), {"_": list(error.messages)})


class EngagementFilter(Schema):
    q: str = ""
    status: str = ""
    cursor: str | None = None
    limit: int = 50
    ordering: str = "-start_date"


@router.get(
    "/engagements", response={200: Page[EngagementOut], ERRORS: ErrorBody}, url_name="engagements"
)
def engagement_list(request: HttpRequest, filters: Query[EngagementFilter]) -> Any:
    queryset = selectors.engagement_list(user=caller(request), q=filters.q, status=filters.status)
    return paginate(
        queryset,
        ordering=filters.ordering,
        allowed=["start_date", "modified", "pk"],
        cursor=filters.cursor,
        limit=filters.limit,
        dump=engagement_dump,
    )


def _engagement(request: HttpRequest, engagement_id: int) -> Engagement:
    try:
        return selectors.engagement_get(user=caller(request), pk=engagement_id)
    except Engagement.DoesNotExist as exc:
        raise not_found() from exc


@router.get(
    "/engagements/{engagement_id}",
    response={200: EngagementOut, ERRORS: ErrorBody},
    url_name="engagement",
)
def engagement_get(request: HttpRequest, response: HttpResponse, engagement_id: int) -> Any:
    engagement = _engagement(request, engagement_id)
    with_etag(response, engagement, ENGAGEMENT_VERSION_FIELDS)
    return engagement_dump(engagement)


@router.post(
    "/engagements",
    response={201: EngagementOut, ERRORS: ErrorBody},
    url_name="engagement_create",
)
def engagement_create(request: HttpRequest, response: HttpResponse, payload: EngagementIn) -> Any:
    """Enrols a company in a program template under an initiative; the plan is made from
    the template's published version, as on the enrolment page."""
    user = require_write(request)
    if not user.has_perm("engagements.enrol"):
        raise forbidden()
    data = payload.model_dump(mode="json")

    def create() -> tuple[int, Any]:
        form = EnrolForm(
            form_data(data),
            companies=company_list(user=user),
            partners=partner_list(user=user),
            coaches=selectors.coach_choices(user=user),
        )
        if not form.is_valid():
            raise form_errors(form)
        cleaned = form.cleaned_data
        try:
            with transaction.atomic():
                engagement, _eligibility = services.engagement_enrol(
                    company=cleaned["company"],
                    initiative=cleaned["initiative"],
                    template=cleaned["template"],
                    partner=cleaned["partner"],
                    start_date=cleaned["start_date"],
                    actor=user,
                    lead_coach=cleaned["lead_coach"],
                    coaches=list(cleaned["coaches"]),
                )
        except ValidationError as error:
            raise _refusal(error) from error
        return 201, engagement_dump(engagement)

    status, body = idempotent(request, data, create)
    response["Location"] = f"/api/v1/engagements/{body['id']}"
    return status, body


class SubListFilter(Schema):
    cursor: str | None = None
    limit: int = 50


@router.get(
    "/engagements/{engagement_id}/plan",
    response={200: Page[PlanStepOut], ERRORS: ErrorBody},
    url_name="engagement_plan",
)
def plan_list(request: HttpRequest, engagement_id: int, filters: Query[SubListFilter]) -> Any:
    """The engagement's dated plan, in its order."""
    engagement = _engagement(request, engagement_id)
    return paginate(
        selectors.plan_step_list(engagement=engagement).select_related("module_version"),
        ordering="order",
        allowed=["order"],
        cursor=filters.cursor,
        limit=filters.limit,
        dump=plan_step_dump,
    )


def _staff_engagement(request: HttpRequest, engagement_id: int) -> Engagement:
    engagement = _engagement(request, engagement_id)
    if not caller(request).has_perm("engagements.portfolio"):
        raise forbidden()
    return engagement


@router.get(
    "/engagements/{engagement_id}/sessions",
    response={200: Page[SessionOut], ERRORS: ErrorBody},
    url_name="engagement_sessions",
)
def session_list(request: HttpRequest, engagement_id: int, filters: Query[SubListFilter]) -> Any:
    """The sessions logged, newest first: for the office and partner staff."""
    engagement = _staff_engagement(request, engagement_id)
    return paginate(
        selectors.session_list(engagement=engagement),
        ordering="-date",
        allowed=["date"],
        cursor=filters.cursor,
        limit=filters.limit,
        dump=session_dump,
    )


@router.post(
    "/engagements/{engagement_id}/sessions",
    response={201: SessionOut, ERRORS: ErrorBody},
    url_name="session_create",
)
def session_create(
    request: HttpRequest, response: HttpResponse, engagement_id: int, payload: SessionIn
) -> Any:
    """Logs a coaching session, as on the engagement page."""
    user = require_write(request)
    engagement = _engagement(request, engagement_id)
    if not user.has_perm("engagements.log"):
        raise forbidden()
    data = payload.model_dump(mode="json")

    def create() -> tuple[int, Any]:
        fields = form_data(data)
        fields["step_done"] = "on" if data["step_done"] else ""
        form = SessionForm(fields, engagement=engagement)
        if not form.is_valid():
            raise form_errors(form)
        cleaned = form.cleaned_data
        try:
            with transaction.atomic():
                session = services.session_log(
                    engagement=engagement,
                    actor=user,
                    date=cleaned["date"],
                    start_time=cleaned["start_time"],
                    duration_minutes=cleaned["duration_minutes"],
                    mode=cleaned["mode"],
                    coaches=list(cleaned["coaches"]),
                    plan_step=cleaned["plan_step"],
                    women=cleaned["women"],
                    men=cleaned["men"],
                    other=cleaned["other"],
                    company_hours=cleaned["company_hours"],
                    notes=cleaned["notes"],
                    next_steps=cleaned["next_steps"],
                    step_done=cleaned["step_done"],
                )
        except ValidationError as error:
            raise _refusal(error) from error
        return 201, session_dump(session)

    status, body = idempotent(request, data, create)
    return status, body


@router.get(
    "/engagements/{engagement_id}/action-items",
    response={200: Page[ActionItemOut], ERRORS: ErrorBody},
    url_name="engagement_action_items",
)
def action_item_list(
    request: HttpRequest, engagement_id: int, filters: Query[SubListFilter]
) -> Any:
    """The engagement's action items, by due date."""
    engagement = _engagement(request, engagement_id)
    return paginate(
        selectors.action_item_list(engagement=engagement),
        ordering="pk",
        allowed=["pk"],
        cursor=filters.cursor,
        limit=filters.limit,
        dump=action_item_dump,
    )
