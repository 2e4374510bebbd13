"""The shipped catalogue (``redthread/data/methodology/*.toml``): Produktionslyftet's
modules, program templates and initiatives. Loading creates what is missing and never
changes what exists: once loaded, the program office owns its methodology, and a new
release of the files cannot overwrite their edits."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from redthread.core.demo import DATA_DIR
from redthread.registry.models import Organisation

from . import services
from .models import Initiative, Instrument, MethodModule, ProgramTemplate

CATALOGUE_DIR = DATA_DIR / "methodology"


class CatalogueError(ValueError):
    """The catalogue files contradict themselves (an unknown module or organisation)."""


@dataclass(frozen=True)
class CatalogueCounts:
    modules: int
    templates: int
    initiatives: int


def _read(name: str) -> dict[str, Any]:
    with (CATALOGUE_DIR / name).open("rb") as handle:
        return tomllib.load(handle)


@transaction.atomic
def catalogue_load() -> CatalogueCounts:
    """Creates the catalogue's missing modules, templates (published) and initiatives.
    Returns how many of each were created."""
    created_modules = created_templates = created_initiatives = 0
    for entry in _read("modules.toml").get("module", []):
        if MethodModule.objects.filter(code=entry["code"]).exists():
            continue
        fields = {k: entry[k] for k in services.MODULE_VERSION_FIELDS if k in entry}
        services.module_create(code=entry["code"], category=entry["category"], **fields)
        created_modules += 1
    modules = {m.code: m for m in MethodModule.objects.all()}
    for entry in _read("templates.toml").get("template", []):
        if ProgramTemplate.objects.filter(code=entry["code"]).exists():
            continue
        based_on = None
        if entry.get("based_on"):
            base = ProgramTemplate.objects.filter(code=entry["based_on"]).first()
            if base is None:
                raise CatalogueError(
                    f"template {entry['code']}: unknown based_on {entry['based_on']}"
                )
            based_on = services.template_current(base)
        fields = {k: entry[k] for k in services.TEMPLATE_VERSION_FIELDS if k in entry}
        version = services.template_create(code=entry["code"], based_on=based_on, **fields)
        if based_on is not None:
            # The file lists the whole structure: start from it rather than the copy.
            version.phases.all().delete()
            version.assessment_points.all().delete()
        for phase_entry in entry.get("phase", []):
            phase = services.phase_add(
                version=version,
                name=phase_entry["name"],
                description=phase_entry.get("description", ""),
            )
            for step in phase_entry.get("step", []):
                if step["module"] not in modules:
                    raise CatalogueError(
                        f"template {entry['code']}: unknown module {step['module']}"
                    )
                services.step_add(
                    phase=phase,
                    module=modules[step["module"]],
                    offset_weeks=step["offset_weeks"],
                    coach_hours=step.get("coach_hours", 0),
                    company_hours=step.get("company_hours", 0),
                )
        for point in entry.get("assessment", []):
            if point.get("instrument") not in Instrument.values:
                raise CatalogueError(
                    f"template {entry['code']}: assessment at week {point['offset_weeks']} "
                    f"needs an instrument, one of {', '.join(Instrument.values)}"
                )
            services.assessment_point_add(
                version=version,
                timepoint=point["timepoint"],
                offset_weeks=point["offset_weeks"],
                instrument=point["instrument"],
            )
        services.template_publish(version=version, actor=None)
        created_templates += 1
    organisations = {o.slug: o for o in Organisation.objects.exclude(kind="company")}
    templates = {t.code: t for t in ProgramTemplate.objects.all()}

    def organisation(slug: str, where: str) -> Organisation:
        if slug not in organisations:
            raise CatalogueError(f"{where}: unknown organisation {slug}")
        return organisations[slug]

    for entry in _read("initiatives.toml").get("initiative", []):
        if Initiative.objects.filter(slug=entry["slug"]).exists():
            continue
        where = f"initiative {entry['slug']}"
        eligibility = entry.get("eligibility", {})
        targets = entry.get("targets", {})
        services.initiative_save(
            slug=entry["slug"],
            name=entry["name"],
            owner=organisation(entry["owner"], where),
            description=entry.get("description", ""),
            start=entry["start"],
            end=entry["end"],
            size_classes=eligibility.get("size_classes", []),
            regions=eligibility.get("regions", []),
            urban_rural_types=eligibility.get("urban_rural_types", []),
            sectors=eligibility.get("sectors", []),
            target_companies=targets.get("companies", 0),
            target_rural_share_percent=targets.get("rural_share_percent", 0),
            target_hours=targets.get("hours", 0),
            coach_hour_rate_sek=entry.get("coach_hour_rate_sek", 0),
            assumed=entry.get("assumed", False),
            source=entry.get("source", ""),
            partners=[organisation(slug, where) for slug in entry.get("partners", [])],
            templates=[templates[code] for code in entry.get("templates", []) if code in templates],
            fundings=[
                (organisation(f["funder"], where), f["amount_sek"])
                for f in entry.get("funding", [])
            ],
        )
        created_initiatives += 1
    return CatalogueCounts(created_modules, created_templates, created_initiatives)
