"""The company's own view of its program: its engagements, plan and sessions without the
coach's columns or notes, its action items (done, commented, given to a colleague) and the
program's documents. A company user reaches the same addresses as everyone else
(``engagement_list``, ``engagement_detail``) and gets these pages, made for it."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from redthread.methodology.models import ModuleAttachment

from . import selectors, services
from .forms import ActionItemCommentForm, ActionItemReassignForm
from .models import ActionItem, ActionStatus, Engagement


def program_list(request: HttpRequest) -> HttpResponse:
    """The company's programs: no filters (a company has one or a few)."""
    return render(
        request,
        "engagements/company_program_list.html",
        {"engagements": list(selectors.company_engagement_list(user=request.user))},
    )


def program_detail(request: HttpRequest, engagement: Engagement) -> HttpResponse:
    """One program as the company sees it: the plan against what happened, the
    measurements, the sessions (when, how long, which module; never the coach's notes),
    its action items and the documents."""
    today = timezone.localdate()
    sessions = list(selectors.session_list(engagement=engagement))
    items = list(
        selectors.company_action_item_list(user=request.user).filter(engagement=engagement)
    )
    return render(
        request,
        "engagements/company_program.html",
        {
            "engagement": engagement,
            "plan": list(selectors.plan_step_list(engagement=engagement)),
            "assessments": selectors.plan_assessment_list(engagement=engagement),
            "documents": selectors.plan_document_list(engagement=engagement),
            "sessions": sessions,
            "bookings": list(selectors.booking_list(engagement=engagement)),
            "items": items,
            "overdue": {i.pk for i in items if i.is_overdue(today)},
            "coach_hours": sum(s.duration_minutes for s in sessions) / 60,
            "company_hours": sum(s.company_hours for s in sessions),
            "can_invite": rules.has_perm("assessments.invite_respondents", request.user),
            "today": today,
        },
    )


def action_list(request: HttpRequest) -> HttpResponse:
    """All the company's action items, in every program: still to do first. The company's
    page alone (the office and coaches see items on the engagements and the board)."""
    if not rules.has_perm("engagements.company_view", request.user):
        raise PermissionDenied
    today = timezone.localdate()
    items = list(selectors.company_action_item_list(user=request.user))
    return render(
        request,
        "engagements/company_actions.html",
        {
            "items": items,
            "overdue": {i.pk for i in items if i.is_overdue(today)},
            "pending": sum(1 for i in items if i.status in ActionStatus.PENDING),
        },
    )


def _next_url(request: HttpRequest, item: ActionItem) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("engagements:action_item", kwargs={"item_pk": item.pk})


@permission_required("engagements.view", raise_exception=True)
def action_item(request: HttpRequest, item_pk: int) -> HttpResponse:
    """One action item with its comments. A POST marks it done (or open again), adds a
    comment, or gives it to another person at the company; anyone who sees the
    engagement may (the company, its coaches, the office)."""
    try:
        item = selectors.action_item_get(user=request.user, pk=item_pk)
    except ActionItem.DoesNotExist as exc:
        raise Http404 from exc
    comment_form = ActionItemCommentForm(prefix="comment")
    reassign_form = ActionItemReassignForm(item=item, user=request.user, prefix="owner")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in {"done", "reopen"}:
                services.action_item_set_status(
                    item=item, status=ActionStatus.DONE if action == "done" else ActionStatus.OPEN
                )
                messages.success(
                    request,
                    _("”%(title)s” är klar.") % {"title": item.title}
                    if action == "done"
                    else _("”%(title)s” är öppen igen.") % {"title": item.title},
                )
                return redirect(_next_url(request, item))
            if action == "comment":
                comment_form = ActionItemCommentForm(request.POST, prefix="comment")
                if comment_form.is_valid():
                    services.action_item_comment_add(
                        item=item, author=request.user, text=comment_form.cleaned_data["text"]
                    )
                    messages.success(request, _("Kommentaren är sparad."))
                    return redirect(_next_url(request, item))
            elif action == "reassign":
                reassign_form = ActionItemReassignForm(
                    request.POST, item=item, user=request.user, prefix="owner"
                )
                if reassign_form.is_valid():
                    person = reassign_form.cleaned_data["owner_person"]
                    services.action_item_reassign(item=item, owner_person=person)
                    messages.success(
                        request, _("%(name)s är ansvarig för åtgärden nu.") % {"name": person}
                    )
                    return redirect(_next_url(request, item))
            else:
                messages.error(request, _("Okänd åtgärd. Ingenting är ändrat."))
                return redirect(_next_url(request, item))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        status = 422
    return render(
        request,
        "engagements/action_item.html",
        {
            "item": item,
            "comments": list(selectors.action_item_comment_list(item=item)),
            "comment_form": comment_form,
            "reassign_form": reassign_form,
            "overdue": item.is_overdue(timezone.localdate()),
            "company_side": rules.has_perm("engagements.company_view", request.user),
        },
        status=status,
    )


@permission_required("engagements.view", raise_exception=True)
def document(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """A document of the program (an attachment of a module its plan pinned), served
    through the engagement's permission check."""
    try:
        engagement = selectors.engagement_get(user=request.user, pk=pk)
        attachment = selectors.plan_document_get(engagement=engagement, pk=document_pk)
    except (Engagement.DoesNotExist, ModuleAttachment.DoesNotExist) as exc:
        raise Http404 from exc
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=(attachment.file.name or "dokument").rsplit("/", 1)[-1],
    )
