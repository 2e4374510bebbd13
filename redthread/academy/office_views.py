"""The office's pages to set the coach course up: courses and their modules, cohorts,
meetings and participants. Every write goes through ``services``; every edit form refuses
to save over a change someone else saved meanwhile (``concurrent_edit``); removing a
participant and cancelling a meeting ask first."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from redthread.core.forms import concurrent_edit, model_choice_field

from . import selectors, services
from .forms import CohortForm, CourseForm, CourseModuleForm, MeetingForm, ParticipantAddForm
from .models import CoachProfile, CourseModule

MANAGE = "academy.manage_courses"


def _get(getter: Any, request: HttpRequest, pk: int) -> Any:
    try:
        return getter(user=request.user, pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _refused(form: BaseForm, exc: ValidationError) -> None:
    """The service's refusal, shown on the form like any other error."""
    for message in exc.messages:
        form.add_error(None, message)


def _fields(form: BaseForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("edit_token", None)
    return data


def _form_page(request: HttpRequest, form: BaseForm, **context: Any) -> HttpResponse:
    return render(request, "academy/office_form.html", {"form": form, **context})


@permission_required(MANAGE, raise_exception=True)
def course_create(request: HttpRequest) -> HttpResponse:
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(**_fields(form))
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Kursen är skapad. Lägg till dess moduler."))
            return redirect("academy:course_detail", course.pk)
    return _form_page(
        request,
        form,
        title=_("Ny kurs"),
        back_url="academy:course_list",
        back_label=_("Alla kurser"),
        submit=_("Skapa kursen"),
    )


@permission_required(MANAGE, raise_exception=True)
@concurrent_edit
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = _get(selectors.course_get, request, pk)
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_update(course=course, **_fields(form))
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Kursen är sparad."))
            return redirect("academy:course_detail", course.pk)
    return _form_page(
        request,
        form,
        title=_("Ändra %(name)s") % {"name": course.name},
        back_url="academy:course_detail",
        back_pk=course.pk,
        back_label=course.name,
        submit=_("Spara"),
    )


@permission_required(MANAGE, raise_exception=True)
def course_module_create(request: HttpRequest, pk: int) -> HttpResponse:
    course = _get(selectors.course_get, request, pk)
    initial = {"position": course.modules.count() + 1}
    form = CourseModuleForm(request.POST or None, course=course, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_module_add(course=course, **_fields(form))
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Modulen är tillagd."))
            return redirect("academy:course_detail", course.pk)
    return _form_page(
        request,
        form,
        title=_("Ny modul i %(name)s") % {"name": course.name},
        back_url="academy:course_detail",
        back_pk=course.pk,
        back_label=course.name,
        submit=_("Lägg till modulen"),
    )


@permission_required(MANAGE, raise_exception=True)
@concurrent_edit
def course_module_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        module = CourseModule.objects.select_related("course").get(pk=pk)
    except CourseModule.DoesNotExist as exc:
        raise Http404 from exc
    form = CourseModuleForm(request.POST or None, instance=module, course=module.course)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_module_update(module=module, **_fields(form))
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Modulen är sparad."))
            return redirect("academy:course_detail", module.course_id)
    return _form_page(
        request,
        form,
        title=_("Ändra modulen %(name)s") % {"name": module.name},
        back_url="academy:course_detail",
        back_pk=module.course_id,
        back_label=module.course.name,
        submit=_("Spara"),
    )


@permission_required(MANAGE, raise_exception=True)
def cohort_create(request: HttpRequest, pk: int) -> HttpResponse:
    course = _get(selectors.course_get, request, pk)
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_create(course=course, **_fields(form))
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(
                request, _("Kursomgången är skapad. Lägg till tillfällen och deltagare.")
            )
            return redirect("academy:cohort_detail", cohort.pk)
    return _form_page(
        request,
        form,
        title=_("Ny kursomgång av %(name)s") % {"name": course.name},
        back_url="academy:course_detail",
        back_pk=course.pk,
        back_label=course.name,
        submit=_("Skapa kursomgången"),
    )


@permission_required(MANAGE, raise_exception=True)
@concurrent_edit
def cohort_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _get(selectors.cohort_get, request, pk)
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_update(cohort=cohort, **_fields(form))
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Kursomgången är sparad."))
            return redirect("academy:cohort_detail", cohort.pk)
    return _form_page(
        request,
        form,
        title=_("Ändra %(name)s") % {"name": cohort.name},
        back_url="academy:cohort_detail",
        back_pk=cohort.pk,
        back_label=cohort.name,
        submit=_("Spara"),
    )


@permission_required(MANAGE, raise_exception=True)
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _get(selectors.cohort_get, request, pk)
    form = MeetingForm(request.POST or None, cohort=cohort, initial={"teachers": [request.user.pk]})
    if request.method == "POST" and form.is_valid():
        data = _fields(form)
        try:
            services.meeting_create(cohort=cohort, teachers=list(data.pop("teachers")), **data)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Tillfället är tillagt."))
            return redirect("academy:cohort_detail", cohort.pk)
    return _form_page(
        request,
        form,
        title=_("Nytt tillfälle i %(name)s") % {"name": cohort.name},
        back_url="academy:cohort_detail",
        back_pk=cohort.pk,
        back_label=cohort.name,
        submit=_("Lägg till tillfället"),
    )


@permission_required(MANAGE, raise_exception=True)
@concurrent_edit
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get(selectors.meeting_get, request, pk)
    form = MeetingForm(request.POST or None, instance=meeting, cohort=meeting.cohort)
    if request.method == "POST" and form.is_valid():
        data = _fields(form)
        try:
            services.meeting_update(meeting=meeting, teachers=list(data.pop("teachers")), **data)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Tillfället är sparat."))
            return redirect("academy:cohort_detail", meeting.cohort_id)
    return _form_page(
        request,
        form,
        title=_("Ändra tillfället"),
        back_url="academy:cohort_detail",
        back_pk=meeting.cohort_id,
        back_label=meeting.cohort.name,
        submit=_("Spara"),
    )


@permission_required(MANAGE, raise_exception=True)
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get(selectors.meeting_get, request, pk)
    if request.method == "POST":
        services.meeting_cancel(meeting=meeting)
        messages.success(request, _("Tillfället är inställt."))
        return redirect("academy:cohort_detail", meeting.cohort_id)
    return render(
        request,
        "academy/meeting_confirm_cancel.html",
        {"meeting": meeting, "attended": meeting.attendances.filter(present=True).count()},
    )


@permission_required(MANAGE, raise_exception=True)
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _get(selectors.cohort_get, request, pk)
    form = ParticipantAddForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        profile = form.cleaned_data["coach"]
        try:
            services.participant_add(cohort=cohort, user=profile.user, partner=profile.home_partner)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("%(name)s deltar i kursomgången.") % {"name": profile.user})
            return redirect("academy:cohort_detail", cohort.pk)
    return _form_page(
        request,
        form,
        title=_("Ny deltagare i %(name)s") % {"name": cohort.name},
        back_url="academy:cohort_detail",
        back_pk=cohort.pk,
        back_label=cohort.name,
        submit=_("Lägg till deltagaren"),
        empty=not (
            model_choice_field(form, "coach").queryset or CoachProfile.objects.none()
        ).exists(),
    )


@permission_required(MANAGE, raise_exception=True)
def participant_remove(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _get(selectors.participant_get, request, pk)
    if request.method == "POST":
        try:
            services.participant_remove(participant=participant)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("academy:participant_detail", participant.pk)
        messages.success(
            request, _("%(name)s är borttagen ur kursomgången.") % {"name": participant.user}
        )
        return redirect("academy:cohort_detail", participant.cohort_id)
    return render(request, "academy/participant_confirm_remove.html", {"participant": participant})
