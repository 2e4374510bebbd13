"""The method modules: the catalogue, one module with its versions and attachments, a new
module, a new version, two versions side by side; and the coverage matrix of modules in
templates and initiatives."""

from __future__ import annotations

import difflib
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from .. import selectors, services
from ..forms import (
    AttachmentForm,
    ModuleForm,
)
from ..models import (
    MethodModule,
    MethodModuleVersion,
    ModuleAttachment,
    ModuleCategory,
    VersionStatus,
)
from . import CHANGE, VIEW, published


@permission_required(VIEW, raise_exception=True)
def coverage(request: HttpRequest) -> HttpResponse:
    return render(
        request, "methodology/coverage.html", {"coverage": selectors.coverage(user=request.user)}
    )


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
    found: MethodModule = get_object_or_404(
        MethodModule.objects.visible_to(request.user), code=code
    )
    return found


@permission_required(VIEW, raise_exception=True)
def module_detail(request: HttpRequest, code: str) -> HttpResponse:
    module = _module(request, code)
    versions = list(module.versions.select_related("published_by"))
    current = next((v for v in versions if v.status == VersionStatus.PUBLISHED), versions[0])
    steps = selectors.module_template_steps(module=module)
    initiatives = selectors.module_initiatives(user=request.user, module=module)
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
            published(request, version)
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
        # Every name in MODULE_VERSION_FIELDS is a concrete field, never a reverse relation.
        label = MethodModuleVersion._meta.get_field(name).verbose_name  # type: ignore[union-attr]
        rows.append(
            {
                "label": label,
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
