from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from redthread.accounts.typing import RequestUser
from redthread.core.charts import TimelinePoint, TimelineStep, timeline

from .hooks import ModuleUsage, module_usage
from .models import (
    Initiative,
    MethodModule,
    MethodModuleVersion,
    ModuleCategory,
    ProgramTemplate,
    TemplateStep,
    TemplateVersion,
    VersionStatus,
)


def module_list(*, user: RequestUser, q: str = "", category: str = "") -> QuerySet[MethodModule]:
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


def template_list(*, user: RequestUser) -> QuerySet[ProgramTemplate]:
    return ProgramTemplate.objects.visible_to(user).prefetch_related(
        Prefetch("versions", queryset=TemplateVersion.objects.order_by("-number"))
    )


def initiative_list(*, user: RequestUser) -> QuerySet[Initiative]:
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


def coverage(*, user: RequestUser) -> Coverage:
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


def module_initiatives(*, user: RequestUser, module: MethodModule) -> QuerySet[Initiative]:
    """The initiatives ``user`` may see whose published templates use ``module``."""
    return (
        Initiative.objects.visible_to(user)
        .filter(
            templates__versions__status=VersionStatus.PUBLISHED,
            templates__versions__phases__steps__module_version__module=module,
        )
        .distinct()
    )


#: The bar colour of each module category in a template's timeline, each at least 4.5:1
#: against white (the chart's own background), so categories read apart on screen and in
#: print; the table under the chart names every step's module in words.
CATEGORY_COLOURS: dict[str, str] = {
    ModuleCategory.LEAN: "#b45309",
    ModuleCategory.DIGITAL: "#1f4fd1",
    ModuleCategory.AUTOMATION: "#5b3fa0",
    ModuleCategory.LEADERSHIP: "#1d6b34",
    ModuleCategory.ASSESSMENT: "#4a4f57",
    ModuleCategory.SUSTAINABILITY: "#2f7d6d",
}


def template_version_structure(*, version: TemplateVersion) -> dict[str, Any]:
    """What a template version's page shows of its plan: the phases with their steps, the
    assessment points, the total coach and company hours, the length in weeks (at least
    the version's duration and the last step's start) and the plan drawn as a timeline
    (``timeline``, an SVG from ``core.charts``)."""
    phases = list(version.phases.prefetch_related("steps__module_version__module"))
    steps = [step for phase in phases for step in phase.steps.all()]
    points = list(version.assessment_points.all())
    weeks = max([version.duration_weeks, *[s.offset_weeks for s in steps], 1])
    chart: SafeString = timeline(
        [
            TimelineStep(
                label=str(step.module_version.name),
                start=step.offset_weeks,
                length=max(1, step.module_version.duration_weeks),
                colour=CATEGORY_COLOURS.get(step.module_version.module.category, ""),
            )
            for step in steps
        ],
        [TimelinePoint(label=str(point.timepoint), week=point.offset_weeks) for point in points],
        weeks=weeks,
        # No description: the figure's caption beside the chart says what it shows.
        title=_("Tidslinje över %(weeks)s veckor") % {"weeks": weeks},
        axis_label=_("Vecka"),
    )
    return {
        "phases": phases,
        "points": points,
        "timeline": chart,
        "coach_hours": sum(s.coach_hours for s in steps),
        "company_hours": sum(s.company_hours for s in steps),
        "weeks": weeks,
    }
