from __future__ import annotations

import difflib
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from redthread.registry.selectors import company_list

from . import selectors, services
from .eligibility import initiative_eligibility
from .forms import (
    AssessmentPointForm,
    AttachmentForm,
    EligibilityForm,
    InitiativeForm,
    ModuleForm,
    PhaseForm,
    StepForm,
    TemplateCreateForm,
    TemplateVersionForm,
)
from .models import (
    AssessmentPoint,
    Initiative,
    MethodModule,
    MethodModuleVersion,
    ModuleAttachment,
    ModuleCategory,
    ProgramTemplate,
    TemplatePhase,
    TemplateStep,
    TemplateVersion,
    VersionStatus,
)

VIEW = "methodology.view"
CHANGE = "methodology.change"


def _published(request: HttpRequest, version: Any) -> None:
    messages.success(
        request,
        _(
            "Version %(number)d av %(name)s är publicerad. Pågående program behåller den "
            "version de började med."
        )
        % {"number": version.number, "name": version.name},
    )


@permission_required(VIEW, raise_exception=True)
def coverage(request: HttpRequest) -> HttpResponse:
    return render(
        request, "methodology/coverage.html", {"coverage": selectors.coverage(user=request.user)}
    )


# Modules ---------------------------------------------------------------------------------


@permission_required(VIEW, raise_exception=True)
def module_list(request: HttpRequest) -> HttpResponse:
    category = request.GET.get("category", "")
    modules = selectors.module_list(
        user=request.user,
        q=request.GET.get("q", "").strip(),
        category=category if category in ModuleCategory.values else "",
    ).order_by("category", "code")
    return render(
        request,
        "methodology/module_list.html",
        {
            "modules": modules,
            "categories": ModuleCategory.choices,
            "category": category,
            "q": request.GET.get("q", ""),
        },
    )


def _module(request: HttpRequest, code: str) -> MethodModule:
    return get_object_or_404(MethodModule.objects.visible_to(request.user), code=code)


@permission_required(VIEW, raise_exception=True)
def module_detail(request: HttpRequest, code: str) -> HttpResponse:
    module = _module(request, code)
    versions = list(module.versions.select_related("published_by"))
    current = next((v for v in versions if v.status == VersionStatus.PUBLISHED), versions[0])
    steps = (
        TemplateStep.objects.filter(module_version__module=module)
        .select_related("phase__version__template", "module_version")
        .order_by("phase__version__template__code", "-phase__version__number")
    )
    initiatives = (
        Initiative.objects.visible_to(request.user)
        .filter(
            templates__versions__status=VersionStatus.PUBLISHED,
            templates__versions__phases__steps__module_version__module=module,
        )
        .distinct()
    )
    can_change = request.user.has_perm(CHANGE)
    attachment_form = None
    if can_change:
        attachment_form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and attachment_form is not None and attachment_form.is_valid():
        services.module_attachment_add(
            module=module,
            title=attachment_form.cleaned_data["title"],
            file=attachment_form.cleaned_data["file"],
        )
        messages.success(request, _("Bilagan är tillagd."))
        return redirect(module)
    return render(
        request,
        "methodology/module_detail.html",
        {
            "module": module,
            "current": current,
            "versions": versions,
            "steps": steps,
            "initiatives": initiatives,
            "can_change": can_change,
            "attachment_form": attachment_form,
            "attachments": current.attachments.all(),
        },
    )


@permission_required(VIEW, raise_exception=True)
def module_attachment(request: HttpRequest, code: str, pk: int) -> FileResponse:
    """Attachments are served through the permission check, never from a public folder."""
    module = _module(request, code)
    attachment = get_object_or_404(ModuleAttachment, pk=pk, version__module=module)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=(attachment.file.name or "bilaga").rsplit("/", 1)[-1],
    )


@permission_required(CHANGE, raise_exception=True)
def module_create(request: HttpRequest) -> HttpResponse:
    form = ModuleForm(
        request.POST or None, initial={"duration_weeks": 4, "coach_hours": 0, "company_hours": 0}
    )
    if request.method == "POST" and form.is_valid():
        version = services.module_create(
            code=form.cleaned_data["code"],
            category=form.cleaned_data["category"],
            actor=request.user,
            **form.version_fields,
        )
        messages.success(request, _("Modulen %(name)s är publicerad.") % {"name": version.name})
        return redirect(version.module)
    return render(request, "methodology/module_form.html", {"form": form, "creating": True})


@permission_required(CHANGE, raise_exception=True)
def module_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Editing a published module makes a new version: the form first, then a page that
    shows the changes and asks for confirmation."""
    module = _module(request, code)
    current = services.module_current(module)
    initial = {name: getattr(current, name) for name in services.MODULE_VERSION_FIELDS}
    initial["category"] = module.category
    form = ModuleForm(request.POST or None, module=module, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {
            name: value
            for name, value in form.version_fields.items()
            if getattr(current, name) != value
        }
        category_changed = form.cleaned_data["category"] != module.category
        if not changes and not category_changed:
            messages.info(request, _("Inget har ändrats."))
            return redirect(module)
        if request.POST.get("confirm") == "yes":
            version = services.module_revise(
                module=module, actor=request.user, category=form.cleaned_data["category"], **changes
            )
            _published(request, version)
            return redirect(module)
        return render(
            request,
            "methodology/module_confirm.html",
            {
                "form": form,
                "module": module,
                "current": current,
                "changes": [
                    (form.fields[name].label, getattr(current, name), value)
                    for name, value in changes.items()
                ],
            },
        )
    return render(
        request, "methodology/module_form.html", {"form": form, "creating": False, "module": module}
    )


def _display(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    return str(value)


def _lines(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value).splitlines() or [""]


@permission_required(VIEW, raise_exception=True)
def module_compare(request: HttpRequest, code: str) -> HttpResponse:
    module = _module(request, code)
    versions = list(module.versions.all())
    numbers = [v.number for v in versions]
    try:
        a = int(request.GET.get("a", min(numbers)))
        b = int(request.GET.get("b", max(numbers)))
    except ValueError as exc:
        raise Http404 from exc
    by_number = {v.number: v for v in versions}
    if a not in by_number or b not in by_number:
        raise Http404
    left, right = by_number[a], by_number[b]
    rows = []
    for name in services.MODULE_VERSION_FIELDS:
        before, after = getattr(left, name), getattr(right, name)
        diff = list(difflib.ndiff(_lines(before), _lines(after))) if before != after else []
        rows.append(
            {
                "label": MethodModuleVersion._meta.get_field(name).verbose_name,  # type: ignore[union-attr]
                "before": _display(before),
                "after": _display(after),
                "changed": before != after,
                "diff": [d for d in diff if not d.startswith("?")],
            }
        )
    return render(
        request,
        "methodology/module_compare.html",
        {"module": module, "left": left, "right": right, "rows": rows, "versions": versions},
    )


# Templates -------------------------------------------------------------------------------


@permission_required(VIEW, raise_exception=True)
def template_list(request: HttpRequest) -> HttpResponse:
    templates = selectors.template_list(user=request.user)
    return render(
        request,
        "methodology/template_list.html",
        {"templates": templates, "can_change": request.user.has_perm(CHANGE)},
    )


def _template(request: HttpRequest, code: str) -> ProgramTemplate:
    return get_object_or_404(ProgramTemplate.objects.visible_to(request.user), code=code)


def _structure(version: TemplateVersion) -> dict[str, Any]:
    phases = list(version.phases.prefetch_related("steps__module_version__module"))
    steps = [step for phase in phases for step in phase.steps.all()]
    points = list(version.assessment_points.all())
    weeks = max([version.duration_weeks, *[s.offset_weeks for s in steps], 1])
    bars = []
    for row, step in enumerate(steps):
        length = max(1, step.module_version.duration_weeks)
        bars.append(
            {
                "step": step,
                "x": round(100 * step.offset_weeks / weeks, 2),
                "width": round(100 * min(length, weeks - step.offset_weeks or 1) / weeks, 2),
                "y": row * 28,
            }
        )
    return {
        "phases": phases,
        "points": [{"point": p, "x": round(100 * p.offset_weeks / weeks, 2)} for p in points],
        "bars": bars,
        "timeline_height": len(steps) * 28 + 8,
        "coach_hours": sum(s.coach_hours for s in steps),
        "company_hours": sum(s.company_hours for s in steps),
        "weeks": weeks,
    }


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
            "can_change": request.user.has_perm(CHANGE),
            **_structure(shown),
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
                    TemplateStep, pk=request.POST.get("step"), phase__version=draft
                )
            )
            return redirect("methodology:template_draft", code=code)
        if action == "remove-phase":
            services.phase_remove(
                phase=get_object_or_404(TemplatePhase, pk=request.POST.get("phase"), version=draft)
            )
            return redirect("methodology:template_draft", code=code)
        if action == "remove-point":
            services.assessment_point_remove(
                point=get_object_or_404(
                    AssessmentPoint, pk=request.POST.get("point"), version=draft
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
            **_structure(draft),
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
        _published(request, draft)
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


# Initiatives -----------------------------------------------------------------------------


@permission_required(VIEW, raise_exception=True)
def initiative_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "methodology/initiative_list.html",
        {
            "initiatives": selectors.initiative_list(user=request.user),
            "can_change": request.user.has_perm(CHANGE),
        },
    )


def _initiative(request: HttpRequest, slug: str) -> Initiative:
    return get_object_or_404(Initiative.objects.visible_to(request.user), slug=slug)


@permission_required(VIEW, raise_exception=True)
def initiative_detail(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _initiative(request, slug)
    companies = company_list(user=request.user).order_by("name")
    form = EligibilityForm(request.GET or None, companies=companies)
    eligibility = None
    if form.is_valid():
        eligibility = initiative_eligibility(
            initiative=initiative, company=form.cleaned_data["company"]
        )
    fundings = list(initiative.fundings.select_related("funder"))
    return render(
        request,
        "methodology/initiative_detail.html",
        {
            "initiative": initiative,
            "form": form,
            "eligibility": eligibility,
            "fundings": fundings,
            "total_funding": sum(f.amount_sek for f in fundings),
            "templates": initiative.templates.all(),
            "partners": initiative.partners.all(),
            "can_change": request.user.has_perm(CHANGE),
        },
    )


@permission_required(CHANGE, raise_exception=True)
def initiative_create(request: HttpRequest) -> HttpResponse:
    form = InitiativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        partners, templates, slug = data.pop("partners"), data.pop("templates"), data.pop("slug")
        initiative = services.initiative_save(
            slug=slug, partners=partners, templates=templates, **data
        )
        messages.success(request, _("Satsningen %(name)s är skapad.") % {"name": initiative.name})
        return redirect(initiative)
    return render(request, "methodology/initiative_form.html", {"form": form, "initiative": None})


@permission_required(CHANGE, raise_exception=True)
def initiative_edit(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _initiative(request, slug)
    form = InitiativeForm(request.POST or None, instance=initiative)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        partners, templates = data.pop("partners"), data.pop("templates")
        services.initiative_save(
            initiative=initiative, partners=partners, templates=templates, **data
        )
        messages.success(request, _("Ändringarna är sparade."))
        return redirect(initiative)
    return render(
        request, "methodology/initiative_form.html", {"form": form, "initiative": initiative}
    )
