from __future__ import annotations

import datetime

import pytest

from redthread.methodology import services
from redthread.methodology.models import Initiative, MethodModule, TemplateVersion
from redthread.registry import services as registry_services


@pytest.fixture
def methodology(world):
    """Two modules, a published template using both, and an initiative offering it."""
    registry_services.reference_data_load()
    five_s = services.module_create(
        code="5s",
        category="lean",
        name="5S",
        purpose="Ordning och reda.",
        duration_weeks=6,
        coach_hours=24,
        company_hours=100,
        steps=["Sortera", "Strukturera", "Städa"],
    ).module
    vsm = services.module_create(
        code="vardeflodesanalys",
        category="lean",
        name="Värdeflödesanalys",
        purpose="Se flödet.",
        duration_weeks=4,
    ).module
    unused = services.module_create(
        code="smed", category="lean", name="SMED", purpose="Snabba omställningar."
    ).module
    draft = services.template_create(code="startprogram", name="Startprogram", duration_weeks=16)
    phase = services.phase_add(version=draft, name="Uppstart")
    services.step_add(phase=phase, module=vsm, offset_weeks=0, coach_hours=8)
    services.step_add(phase=phase, module=five_s, offset_weeks=4, coach_hours=24)
    services.assessment_point_add(version=draft, timepoint="T0", offset_weeks=0, instrument="lean")
    template = services.template_publish(
        version=draft, actor=world.users["program_manager"]
    ).template
    initiative = services.initiative_save(
        slug="landsbygd",
        name="Landsbygdsprogrammet",
        owner=world.office,
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2027, 12, 31),
        size_classes=["micro", "small"],
        regions=[],
        urban_rural_types=["landsbygd_nara"],
        sectors=["25", "28"],
        templates=[template],
        partners=[world.partner],
        fundings=[(world.funder, 2_000_000)],
    )
    return {
        "five_s": five_s,
        "vsm": vsm,
        "unused": unused,
        "template": template,
        "initiative": initiative,
    }


def published(module: MethodModule):
    return services.module_current(module)


__all__ = ["Initiative", "TemplateVersion", "published"]
