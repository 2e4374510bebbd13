"""The coach course for the office and its teachers: courses, cohorts with each
participant's progress, attendance per meeting, assignments and certificates. The public
certificate check is in ``verify_views``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from redthread.core.pdf import pdf_response
from redthread.methodology.models import MethodModule

from . import certificates, selectors, services
from .forms import AssignmentReviewForm, AssignmentSubmitForm, AttendanceForm, CertificateRevokeForm
from .verify_views import qr_svg

VIEW = "academy.view_courses"


def _get(getter: Any, request: HttpRequest, pk: int) -> Any:
    try:
        return getter(user=request.user, pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _require(request: HttpRequest, perm: str, obj: Any) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


@permission_required(VIEW, raise_exception=True)
def course_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "academy/course_list.html", {"courses": selectors.course_list(user=request.user)}
    )


@permission_required(VIEW, raise_exception=True)
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = _get(selectors.course_get, request, pk)
    return render(
        request,
        "academy/course_detail.html",
        {
            "course": course,
            "modules": course.modules.prefetch_related(
                # The method module by its name (``with_names``), never its code.
                Prefetch("method_module", queryset=MethodModule.objects.with_names())
            ).order_by("position", "pk"),
            "cohorts": selectors.course_cohorts(user=request.user, course=course),
        },
    )


@permission_required(VIEW, raise_exception=True)
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _get(selectors.cohort_get, request, pk)
    return render(
        request,
        "academy/cohort_detail.html",
        {
            "cohort": cohort,
            "meetings": selectors.cohort_meetings(cohort=cohort),
            "rows": selectors.cohort_progress(user=request.user, cohort=cohort),
            "teaches": request.user.has_perm("academy.teach_cohort", cohort),
        },
    )


@permission_required(VIEW, raise_exception=True)
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get(selectors.meeting_get, request, pk)
    _require(request, "academy.teach_cohort", meeting.cohort)
    rows = selectors.meeting_attendance(meeting=meeting)
    form = AttendanceForm(
        request.POST or None,
        participants=[(p.pk, str(p.user)) for p, _present in rows],
        initial={"present": [str(p.pk) for p, present in rows if present]},
    )
    if request.method == "POST" and form.is_valid():
        services.attendance_record(
            meeting=meeting, present={int(pk) for pk in form.cleaned_data["present"]}
        )
        messages.success(request, _("Närvaron är sparad."))
        return redirect("academy:cohort_detail", meeting.cohort_id)
    return render(request, "academy/meeting_attendance.html", {"meeting": meeting, "form": form})


@permission_required(VIEW, raise_exception=True)
def participant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _get(selectors.participant_get, request, pk)
    may_submit = request.user.has_perm("academy.submit_assignment", participant)
    teaches = request.user.has_perm("academy.teach_participant", participant)
    submit_form = None
    module_pk = request.POST.get("module") if request.method == "POST" else None
    if request.method == "POST":
        if not may_submit:
            raise PermissionDenied
        submit_form = AssignmentSubmitForm(request.POST, request.FILES)
        module = participant.cohort.course.modules.filter(pk=_int(module_pk)).first()
        if module is None:
            messages.error(request, _("Välj en av kursens moduler."))
        elif submit_form.is_valid():
            try:
                services.assignment_submit(
                    participant=participant,
                    course_module=module,
                    text=submit_form.cleaned_data["text"],
                    file=submit_form.cleaned_data["file"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Uppgiften är inlämnad."))
                return redirect("academy:participant_detail", participant.pk)
    return render(
        request,
        "academy/participant_detail.html",
        {
            "participant": participant,
            "progress": selectors.participant_progress_get(participant=participant),
            "assignments": selectors.participant_assignments(participant=participant),
            "certificates": participant.certificates.order_by("-issued_on", "-pk"),
            "may_submit": may_submit,
            "teaches": teaches,
            "manages": request.user.has_perm("academy.manage_certificates"),
            "submit_form": submit_form,
            "submit_module": _int(module_pk),
            "review_form": AssignmentReviewForm(),
            "revoke_form": CertificateRevokeForm(),
        },
    )


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_POST
@permission_required(VIEW, raise_exception=True)
def assignment_review(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _get(selectors.assignment_get, request, pk)
    _require(request, "academy.teach_participant", assignment.participant)
    form = AssignmentReviewForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_review(
                assignment=assignment,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Granskningen är sparad."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("academy:participant_detail", assignment.participant_id)


@permission_required(VIEW, raise_exception=True)
def assignment_file(request: HttpRequest, pk: int) -> FileResponse:
    """Submitted files are served through the permission check, never from a public folder."""
    assignment = _get(selectors.assignment_get, request, pk)
    if not assignment.file:
        raise Http404
    return FileResponse(
        assignment.file.open("rb"),
        as_attachment=True,
        filename=(assignment.file.name or "uppgift").rsplit("/", 1)[-1],
    )


@require_POST
@permission_required(VIEW, raise_exception=True)
def participant_complete(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _get(selectors.participant_get, request, pk)
    _require(request, "academy.teach_participant", participant)
    try:
        services.participant_complete(participant=participant)
    except services.CompletionRulesUnmet as exc:
        messages.error(
            request,
            _("Kan inte markeras som genomförd: %(reasons)s") % {"reasons": " ".join(exc.messages)},
        )
    else:
        messages.success(request, _("Deltagaren har genomfört kursen."))
    return redirect("academy:participant_detail", participant.pk)


@require_POST
@permission_required(VIEW, raise_exception=True)
def certificate_issue(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _get(selectors.participant_get, request, pk)
    _require(request, "academy.teach_participant", participant)
    try:
        services.certificate_issue(participant=participant, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Intyget är utfärdat."))
    return redirect("academy:participant_detail", participant.pk)


@permission_required(VIEW, raise_exception=True)
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _get(selectors.certificate_get, request, pk)
    url = request.build_absolute_uri(reverse("academy:verify")) + "?code=" + certificate.code
    return pdf_response(
        "academy/certificate_pdf.html",
        {
            "certificate": certificate,
            "code": certificates.code_display(certificate.code),
            "verify_url": url,
            "qr": qr_svg(url),
        },
        filename=f"intyg-{certificate.code}.pdf",
        request=request,
    )


@require_POST
@permission_required("academy.manage_certificates", raise_exception=True)
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _get(selectors.certificate_get, request, pk)
    form = CertificateRevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ange ett skäl till återkallelsen."))
    else:
        try:
            services.certificate_revoke(
                certificate=certificate, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Intyget är återkallat."))
    return redirect("academy:participant_detail", certificate.participant_id)


@require_POST
@permission_required("academy.manage_certificates", raise_exception=True)
def certificate_renew(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _get(selectors.certificate_get, request, pk)
    try:
        services.certificate_renew(certificate=certificate, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Intyget är förnyat."))
    return redirect("academy:participant_detail", certificate.participant_id)
