from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from .hooks import ModuleUsage, module_usage
from .models import (
    Initiative,
    MethodModule,
    MethodModuleVersion,
    ProgramTemplate,
    TemplateStep,
    TemplateVersion,
    VersionStatus,
)


def module_list(*, user: Any, q: str = "", category: str = "") -> QuerySet[MethodModule]:
    modules = MethodModule.objects.visible_to(user).prefetch_related(
        Prefetch(
            "versions",
            queryset=MethodModuleVersion.objects.filter(status=VersionStatus.PUBLISHED),
            to_attr="published",
        )
    )
    if q:
        modules = modules.filter(
            versions__status=VersionStatus.PUBLISHED, versions__name__icontains=q
        ) | modules.filter(code__icontains=q)
    if category:
        modules = modules.filter(category=category)
    return modules.distinct()


def template_list(*, user: Any) -> QuerySet[ProgramTemplate]:
    return ProgramTemplate.objects.visible_to(user).prefetch_related(
        Prefetch("versions", queryset=TemplateVersion.objects.order_by("-number"))
    )


def initiative_list(*, user: Any) -> QuerySet[Initiative]:
    return (
        Initiative.objects.visible_to(user)
        .select_related("owner")
        .prefetch_related("templates", "fundings__funder")
    )


def current_template_modules() -> dict[int, set[int]]:
    """For each template (id), the modules (ids) its published version uses."""
    uses: dict[int, set[int]] = defaultdict(set)
    for template_id, module_id in TemplateStep.objects.filter(
        phase__version__status=VersionStatus.PUBLISHED
    ).values_list("phase__version__template_id", "module_version__module_id"):
        uses[template_id].add(module_id)
    return uses


@dataclass(frozen=True)
class Cell:
    """One module in one template or initiative: whether its current version uses the
    module, and how many engagements have (had) it in their plans."""

    used: bool
    engagements: int

    def __bool__(self) -> bool:
        return self.used or self.engagements > 0


@dataclass
class Coverage:
    modules: list[MethodModule]
    templates: list[ProgramTemplate]
    initiatives: list[Initiative]
    #: module id → template ids whose published version uses it
    by_template: dict[int, set[int]]
    #: module id → initiative ids offering a template that uses it
    by_initiative: dict[int, set[int]]
    #: how many engagements use each module, per initiative and per template
    usage: ModuleUsage = field(default_factory=ModuleUsage)

    def template_cells(self) -> list[tuple[MethodModule, list[Cell]]]:
        return [
            (
                m,
                [
                    Cell(
                        t.pk in self.by_template.get(m.pk, set()),
                        self.usage.by_template.get((m.pk, t.pk), 0),
                    )
                    for t in self.templates
                ],
            )
            for m in self.modules
        ]

    def initiative_cells(self) -> list[tuple[MethodModule, list[Cell]]]:
        return [
            (
                m,
                [
                    Cell(
                        i.pk in self.by_initiative.get(m.pk, set()),
                        self.usage.by_initiative.get((m.pk, i.pk), 0),
                    )
                    for i in self.initiatives
                ],
            )
            for m in self.modules
        ]


def coverage(*, user: Any) -> Coverage:
    """The red thread made visible: which modules run in which templates and initiatives.
    A fixed number of queries, whatever the size of the catalogue."""
    modules = list(module_list(user=user).order_by("category", "code"))
    templates = list(
        ProgramTemplate.objects.visible_to(user)
        .filter(versions__status=VersionStatus.PUBLISHED)
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=TemplateVersion.objects.filter(status=VersionStatus.PUBLISHED),
                to_attr="published",
            )
        )
        .order_by("code")
    )
    initiatives = list(
        Initiative.objects.visible_to(user).prefetch_related("templates").order_by("-start", "name")
    )
    uses = current_template_modules()
    by_template: dict[int, set[int]] = defaultdict(set)
    for template_id, module_ids in uses.items():
        for module_id in module_ids:
            by_template[module_id].add(template_id)
    by_initiative: dict[int, set[int]] = defaultdict(set)
    for initiative in initiatives:
        for template in initiative.templates.all():
            for module_id in uses.get(template.pk, set()):
                by_initiative[module_id].add(initiative.pk)
    return Coverage(
        modules, templates, initiatives, dict(by_template), dict(by_initiative), module_usage()
    )


def modules_improving(*, tags: list[str]) -> dict[str, list[MethodModuleVersion]]:
    """For each assessment dimension tag, the published module versions that say they
    improve it, by name."""
    wanted = set(tags)
    found: dict[str, list[MethodModuleVersion]] = {tag: [] for tag in tags}
    for version in (
        MethodModuleVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("module")
        .order_by("name")
    ):
        for tag in version.dimensions:
            if tag in wanted:
                found[tag].append(version)
    return found


def module_template_steps(*, module: MethodModule) -> QuerySet[TemplateStep]:
    """The template steps that use any version of ``module``, by template and newest
    version first."""
    return (
        TemplateStep.objects.filter(module_version__module=module)
        .select_related("phase__version__template", "module_version")
        .order_by("phase__version__template__code", "-phase__version__number")
    )


def module_initiatives(*, user: Any, module: MethodModule) -> QuerySet[Initiative]:
    """The initiatives ``user`` may see whose published templates use ``module``."""
    return (
        Initiative.objects.visible_to(user)
        .filter(
            templates__versions__status=VersionStatus.PUBLISHED,
            templates__versions__phases__steps__module_version__module=module,
        )
        .distinct()
    )
