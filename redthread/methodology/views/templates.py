"""Program templates: the list, one template's versions, the builder of a draft and its
publication."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from redthread.core.forms import posted_id

from .. import selectors, services
from ..forms import (
    AssessmentPointForm,
    PhaseForm,
    StepForm,
    TemplateCreateForm,
    TemplateVersionForm,
)
from ..hooks import kpi_names
from ..models import (
    AssessmentPoint,
    ProgramTemplate,
    TemplatePhase,
    TemplateStep,
    VersionStatus,
)
from . import CHANGE, VIEW, published


@permission_required(VIEW, raise_exception=True)
def template_list(request: HttpRequest) -> HttpResponse:
    templates = selectors.template_list(user=request.user)
    return render(
        request,
        "methodology/template_list.html",
        {"templates": templates, "can_change": request.user.has_perm(CHANGE)},
    )


def _template(request: HttpRequest, code: str) -> ProgramTemplate:
    found: ProgramTemplate = get_object_or_404(
        ProgramTemplate.objects.visible_to(request.user), code=code
    )
    return found


@permission_required(VIEW, raise_exception=True)
def template_detail(request: HttpRequest, code: str) -> HttpResponse:
    template = _template(request, code)
    versions = list(template.versions.select_related("based_on__template", "published_by"))
    shown = None
    if request.GET.get("version"):
        shown = next((v for v in versions if str(v.number) == request.GET["version"]), None)
    current = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
    draft = next((v for v in versions if v.status == VersionStatus.DRAFT), None)
    shown = shown or current or draft
    if shown is None:
        raise Http404
    return render(
        request,
        "methodology/template_detail.html",
        {
            "template": template,
            "version": shown,
            "versions": versions,
            "current": current,
            "draft": draft,
            "initiatives": template.initiatives.all(),
            "kpis": kpi_names(list(shown.kpis)),
            "can_change": request.user.has_perm(CHANGE),
            **selectors.template_version_structure(version=shown),
        },
    )


@permission_required(CHANGE, raise_exception=True)
def template_create(request: HttpRequest) -> HttpResponse:
    form = TemplateCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = services.template_create(
            code=data["code"],
            name=data["name"],
            duration_weeks=data["duration_weeks"],
            based_on=data["based_on"],
            target_group=data["target_group"],
            description=data["description"],
        )
        messages.success(
            request, _("Mallen är skapad som utkast. Bygg den av metodmoduler och publicera den.")
        )
        return redirect("methodology:template_draft", code=version.template.code)
    return render(request, "methodology/template_create.html", {"form": form})


@permission_required(CHANGE, raise_exception=True)
def template_draft(request: HttpRequest, code: str) -> HttpResponse:
    """The template builder: the draft's facts, phases, steps and assessment points."""
    template = _template(request, code)
    if request.method == "POST" and request.POST.get("action") == "start":
        services.template_draft_start(template=template)
        messages.success(request, _("Ett nytt utkast är skapat från den publicerade versionen."))
        return redirect("methodology:template_draft", code=code)
    draft = services.template_draft(template)
    if draft is None:
        return render(
            request,
            "methodology/template_start_draft.html",
            {"template": template, "current": services.template_current(template)},
        )
    action = request.POST.get("action", "") if request.method == "POST" else ""
    facts = TemplateVersionForm(
        request.POST if action == "facts" else None, instance=draft, prefix="facts"
    )
    phase_form = PhaseForm(request.POST if action == "phase" else None, prefix="phase")
    step_form = StepForm(request.POST if action == "step" else None, version=draft, prefix="step")
    point_form = AssessmentPointForm(request.POST if action == "point" else None, prefix="point")
    try:
        if action == "facts" and facts.is_valid():
            services.template_version_update(
                version=draft, **{k: facts.cleaned_data[k] for k in facts.Meta.fields}
            )
            messages.success(request, _("Uppgifterna är sparade."))
            return redirect("methodology:template_draft", code=code)
        if action == "phase" and phase_form.is_valid():
            services.phase_add(version=draft, name=phase_form.cleaned_data["name"])
            return redirect("methodology:template_draft", code=code)
        if action == "step" and step_form.is_valid():
            data = step_form.cleaned_data
            services.step_add(
                phase=data["phase"],
                module=data["module"],
                offset_weeks=data["offset_weeks"],
                coach_hours=data["coach_hours"],
                company_hours=data["company_hours"],
            )
            return redirect("methodology:template_draft", code=code)
        if action == "point" and point_form.is_valid():
            services.assessment_point_add(version=draft, **point_form.cleaned_data)
            return redirect("methodology:template_draft", code=code)
        if action == "remove-step":
            services.step_remove(
                step=get_object_or_404(
                    TemplateStep, pk=posted_id(request.POST.get("step")), phase__version=draft
                )
            )
            return redirect("methodology:template_draft", code=code)
        if action == "remove-phase":
            services.phase_remove(
                phase=get_object_or_404(
                    TemplatePhase, pk=posted_id(request.POST.get("phase")), version=draft
                )
            )
            return redirect("methodology:template_draft", code=code)
        if action == "remove-point":
            services.assessment_point_remove(
                point=get_object_or_404(
                    AssessmentPoint, pk=posted_id(request.POST.get("point")), version=draft
                )
            )
            return redirect("methodology:template_draft", code=code)
    except ValidationError as error:
        target = step_form if action == "step" else None
        if target is not None:
            target.add_error(None, error)
        else:
            messages.error(request, " ".join(error.messages))
    return render(
        request,
        "methodology/template_draft.html",
        {
            "template": template,
            "draft": draft,
            "facts": facts,
            "phase_form": phase_form,
            "step_form": step_form,
            "point_form": point_form,
            "problems": services.template_publish_problems(draft),
            **selectors.template_version_structure(version=draft),
        },
    )


@permission_required(CHANGE, raise_exception=True)
def template_publish(request: HttpRequest, code: str) -> HttpResponse:
    template = _template(request, code)
    draft = services.template_draft(template)
    if draft is None:
        raise Http404
    problems = services.template_publish_problems(draft)
    if request.method == "POST" and not problems:
        services.template_publish(version=draft, actor=request.user)
        published(request, draft)
        return redirect(template)
    return render(
        request,
        "methodology/template_publish.html",
        {
            "template": template,
            "draft": draft,
            "current": services.template_current(template),
            "problems": problems,
        },
    )
