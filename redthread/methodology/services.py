"""Every write to the methodology. Versioning rules callers may rely on:

- A module version, once published, never changes: revising a module publishes a new
  version and marks the old one superseded. Template steps keep the version they pinned.
- A template is edited as a draft (one per template). Publishing the draft supersedes the
  previously published version; engagements keep the version they pinned.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import (
    AssessmentPoint,
    Initiative,
    InitiativeFunding,
    Instrument,
    MethodModule,
    MethodModuleVersion,
    ModuleAttachment,
    ProgramTemplate,
    TemplatePhase,
    TemplateStep,
    TemplateVersion,
    Timepoint,
    VersionStatus,
)

MODULE_VERSION_FIELDS = (
    "name",
    "purpose",
    "description",
    "steps",
    "expected_outputs",
    "duration_weeks",
    "coach_hours",
    "company_hours",
    "dimensions",
    "assumed",
    "source",
)
TEMPLATE_VERSION_FIELDS = (
    "name",
    "description",
    "target_group",
    "duration_weeks",
    "kpis",
    "assumed",
    "source",
)


def module_current(module: MethodModule) -> MethodModuleVersion:
    """The published version: what a new template step pins."""
    return module.versions.get(status=VersionStatus.PUBLISHED)


@transaction.atomic
def module_create(
    *, code: str, category: str, actor: Any = None, **fields: Any
) -> MethodModuleVersion:
    """A new module with its first, published version."""
    unknown = set(fields) - set(MODULE_VERSION_FIELDS)
    if unknown:
        raise TypeError(f"module_create cannot set {sorted(unknown)}")
    module = MethodModule.objects.create(code=code, category=category)
    version = MethodModuleVersion(
        module=module,
        number=1,
        status=VersionStatus.PUBLISHED,
        published_at=timezone.now(),
        published_by=actor,
        **fields,
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def module_revise(
    *, module: MethodModule, actor: Any, category: str | None = None, **fields: Any
) -> MethodModuleVersion:
    """Publishes a new version with ``fields`` changed and the rest as before. Returns the
    current version unchanged when nothing differs (no empty versions)."""
    unknown = set(fields) - set(MODULE_VERSION_FIELDS)
    if unknown:
        raise TypeError(f"module_revise cannot set {sorted(unknown)}")
    current = MethodModuleVersion.objects.select_for_update().get(
        module=module, status=VersionStatus.PUBLISHED
    )
    if category and category != module.category:
        module.category = category
        module.save(update_fields=["category", "modified"])
    if all(getattr(current, name) == value for name, value in fields.items()):
        return current
    current.status = VersionStatus.SUPERSEDED
    current.save(update_fields=["status", "modified"])
    values = {name: getattr(current, name) for name in MODULE_VERSION_FIELDS}
    values.update(fields)
    version = MethodModuleVersion(
        module=module,
        number=current.number + 1,
        status=VersionStatus.PUBLISHED,
        published_at=timezone.now(),
        published_by=actor,
        **values,
    )
    version.full_clean()
    version.save()
    # The attachments (templates, checklists) carry over; each version lists its own.
    ModuleAttachment.objects.bulk_create(
        ModuleAttachment(version=version, title=a.title, file=a.file)
        for a in current.attachments.all()
    )
    return version


def module_attachment_add(*, module: MethodModule, title: str, file: Any) -> ModuleAttachment:
    """Attaches a file to the module's current version."""
    return ModuleAttachment.objects.create(version=module_current(module), title=title, file=file)


def template_current(template: ProgramTemplate) -> TemplateVersion | None:
    return template.versions.filter(status=VersionStatus.PUBLISHED).first()


def template_draft(template: ProgramTemplate) -> TemplateVersion | None:
    return template.versions.filter(status=VersionStatus.DRAFT).first()


def _copy_structure(source: TemplateVersion, target: TemplateVersion) -> None:
    for phase in source.phases.prefetch_related("steps"):
        copy = TemplatePhase.objects.create(
            version=target, order=phase.order, name=phase.name, description=phase.description
        )
        TemplateStep.objects.bulk_create(
            TemplateStep(
                phase=copy,
                order=step.order,
                module_version_id=step.module_version_id,
                offset_weeks=step.offset_weeks,
                coach_hours=step.coach_hours,
                company_hours=step.company_hours,
            )
            for step in phase.steps.all()
        )
    AssessmentPoint.objects.bulk_create(
        AssessmentPoint(
            version=target,
            timepoint=p.timepoint,
            offset_weeks=p.offset_weeks,
            instrument=p.instrument,
        )
        for p in source.assessment_points.all()
    )


@transaction.atomic
def template_create(
    *,
    code: str,
    name: str,
    duration_weeks: int,
    based_on: TemplateVersion | None = None,
    **fields: Any,
) -> TemplateVersion:
    """A new template as a draft (version 1). Started from another template's version, it
    begins with a copy of that version's phases, steps and assessment points."""
    unknown = set(fields) - set(TEMPLATE_VERSION_FIELDS)
    if unknown:
        raise TypeError(f"template_create cannot set {sorted(unknown)}")
    template = ProgramTemplate.objects.create(code=code)
    version = TemplateVersion(
        template=template,
        number=1,
        status=VersionStatus.DRAFT,
        name=name,
        duration_weeks=duration_weeks,
        based_on=based_on,
        **fields,
    )
    version.full_clean()
    version.save()
    if based_on is not None:
        _copy_structure(based_on, version)
    return version


@transaction.atomic
def template_draft_start(*, template: ProgramTemplate) -> TemplateVersion:
    """The template's draft: the existing one, or a new one copied from the published
    version (the next number)."""
    existing = template_draft(template)
    if existing is not None:
        return existing
    current = template_current(template)
    if current is None:
        raise ValidationError(_("Mallen har ingen publicerad version att utgå från."))
    number = (template.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    values = {name: getattr(current, name) for name in TEMPLATE_VERSION_FIELDS}
    draft = TemplateVersion.objects.create(
        template=template,
        number=number,
        status=VersionStatus.DRAFT,
        based_on=current.based_on,
        **values,
    )
    _copy_structure(current, draft)
    return draft


def _require_draft(version: TemplateVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("Bara ett utkast kan ändras. Skapa en ny version först."))


def template_version_update(*, version: TemplateVersion, **fields: Any) -> TemplateVersion:
    _require_draft(version)
    unknown = set(fields) - set(TEMPLATE_VERSION_FIELDS)
    if unknown:
        raise TypeError(f"template_version_update has no field(s) {sorted(unknown)} to change")
    for name, value in fields.items():
        setattr(version, name, value)
    version.full_clean()
    version.save()
    return version


def phase_add(*, version: TemplateVersion, name: str, description: str = "") -> TemplatePhase:
    _require_draft(version)
    order = (version.phases.aggregate(n=Max("order"))["n"] or 0) + 1
    return TemplatePhase.objects.create(
        version=version, order=order, name=name, description=description
    )


def phase_remove(*, phase: TemplatePhase) -> None:
    _require_draft(phase.version)
    phase.delete()


def step_add(
    *,
    phase: TemplatePhase,
    module: MethodModule,
    offset_weeks: int,
    coach_hours: int = 0,
    company_hours: int = 0,
) -> TemplateStep:
    """Adds a step that pins the module's current version. The step must start within the
    template's length."""
    version = phase.version
    _require_draft(version)
    if offset_weeks > version.duration_weeks:
        raise ValidationError(
            ngettext(
                "Steget börjar vecka %(offset)d, men programmet är bara %(weeks)d vecka långt.",
                "Steget börjar vecka %(offset)d, men programmet är bara %(weeks)d veckor långt.",
                version.duration_weeks,
            )
            % {"offset": offset_weeks, "weeks": version.duration_weeks}
        )
    order = (phase.steps.aggregate(n=Max("order"))["n"] or 0) + 1
    return TemplateStep.objects.create(
        phase=phase,
        order=order,
        module_version=module_current(module),
        offset_weeks=offset_weeks,
        coach_hours=coach_hours,
        company_hours=company_hours,
    )


def step_remove(*, step: TemplateStep) -> None:
    _require_draft(step.phase.version)
    step.delete()


def assessment_point_add(
    *, version: TemplateVersion, timepoint: str, offset_weeks: int, instrument: str
) -> AssessmentPoint:
    """Plans a measurement in a draft. ``instrument`` is the code of a shipped instrument
    (``Instrument``, read from the data files); any other raises ``ValidationError``."""
    _require_draft(version)
    if instrument not in Instrument.values:
        raise ValidationError(
            _("Instrumentet %(code)s finns inte. Välj ett av: %(codes)s.")
            % {"code": instrument, "codes": ", ".join(Instrument.values)}
        )
    return AssessmentPoint.objects.create(
        version=version, timepoint=timepoint, offset_weeks=offset_weeks, instrument=instrument
    )


def assessment_point_remove(*, point: AssessmentPoint) -> None:
    _require_draft(point.version)
    point.delete()


def template_publish_problems(version: TemplateVersion) -> list[str]:
    """Why a draft cannot be published yet, in plain Swedish; empty when it can."""
    problems = []
    steps = TemplateStep.objects.filter(phase__version=version)
    if not version.phases.exists():
        problems.append(_("Mallen har inga faser."))
    elif not steps.exists():
        problems.append(_("Mallen har inga steg: lägg till minst en metodmodul."))
    if not version.assessment_points.filter(timepoint=Timepoint.T0).exists():
        problems.append(_("Lägg till en mätning T0 innan programmet börjar."))
    late = steps.filter(offset_weeks__gt=version.duration_weeks).count()
    if late:
        problems.append(
            ngettext(
                "%(count)d steg börjar efter programmets slut (vecka %(weeks)d).",
                "%(count)d steg börjar efter programmets slut (vecka %(weeks)d).",
                late,
            )
            % {"count": late, "weeks": version.duration_weeks}
        )
    return problems


@transaction.atomic
def template_publish(*, version: TemplateVersion, actor: Any) -> TemplateVersion:
    """Publishes a draft; the previously published version is superseded."""
    _require_draft(version)
    problems = template_publish_problems(version)
    if problems:
        raise ValidationError(problems)
    TemplateVersion.objects.select_for_update().filter(
        template=version.template, status=VersionStatus.PUBLISHED
    ).update(status=VersionStatus.SUPERSEDED)
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor
    version.save()
    return version


INITIATIVE_FIELDS = (
    "name",
    "owner",
    "description",
    "start",
    "end",
    "size_classes",
    "regions",
    "urban_rural_types",
    "sectors",
    "target_companies",
    "target_rural_share_percent",
    "target_hours",
    "coach_hour_rate_sek",
    "assumed",
    "source",
)


@transaction.atomic
def initiative_save(
    *,
    initiative: Initiative | None = None,
    slug: str | None = None,
    partners: Any = None,
    templates: Any = None,
    fundings: list[tuple[Any, int]] | None = None,
    **fields: Any,
) -> Initiative:
    """Creates (with ``slug``) or changes an initiative; ``fundings`` replaces its funders
    and amounts, ``partners`` and ``templates`` replace those sets."""
    unknown = set(fields) - set(INITIATIVE_FIELDS)
    if unknown:
        raise TypeError(f"initiative_save cannot set {sorted(unknown)}")
    if initiative is None:
        initiative = Initiative(slug=slug or "")
    for name, value in fields.items():
        setattr(initiative, name, value)
    initiative.full_clean()
    initiative.save()
    if partners is not None:
        initiative.partners.set(partners)
    if templates is not None:
        initiative.templates.set(templates)
    if fundings is not None:
        initiative.fundings.all().delete()
        InitiativeFunding.objects.bulk_create(
            InitiativeFunding(initiative=initiative, funder=funder, amount_sek=amount)
            for funder, amount in fundings
        )
    return initiative
