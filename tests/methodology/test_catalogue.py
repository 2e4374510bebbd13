from __future__ import annotations

from django.urls import reverse

from redthread.core.demo import steps
from redthread.methodology import services
from redthread.methodology.catalogue import catalogue_load
from redthread.methodology.models import Initiative, MethodModule, ProgramTemplate, VersionStatus
from redthread.methodology.selectors import coverage


def _demo_organisations():
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("demo")
    for demo_step in steps():
        if demo_step.name in {"organisations", "reference data"}:
            demo_step.run(open("/dev/null", "w"))  # noqa: SIM115


def test_the_shipped_catalogue_loads_once_and_completely(world):
    _demo_organisations()
    first = catalogue_load()
    assert (first.modules, first.templates, first.initiatives) == (16, 8, 7)
    second = catalogue_load()
    assert (second.modules, second.templates, second.initiatives) == (0, 0, 0)
    for template in ProgramTemplate.objects.all():
        current = services.template_current(template)
        assert current is not None, template.code
        assert current.status == VersionStatus.PUBLISHED
        assert current.assessment_points.filter(timepoint="T0").exists(), template.code
    # DigiLean starts from the Startprogram, and Produktionslyftet 4.0 from the
    # Utvecklingsprogram: the red thread between templates.
    digilean = services.template_current(ProgramTemplate.objects.get(code="digilean"))
    assert digilean is not None
    assert digilean.based_on is not None
    assert digilean.based_on.template.code == "startprogram"
    rural = Initiative.objects.get(slug="landsbygdsprogrammet")
    assert set(rural.urban_rural_types) == {
        "landsbygd_nara",
        "landsbygd_avlagset",
        "landsbygd_mycket_avlagset",
    }
    assert Initiative.objects.get(slug="robotlyftet").owner.slug == "iuc-sverige"
    # The coach course is not a company program: no initiative or template offers it, but
    # its method module stays (the course's modules link to it).
    assert not Initiative.objects.filter(slug="coachutbildningen").exists()
    assert not ProgramTemplate.objects.filter(code="coachutbildning").exists()
    assert MethodModule.objects.filter(code="coachutbildning").exists()


def test_a_database_with_the_retired_course_initiative_still_loads(world):
    """An earlier demo created the course as an initiative; loading the catalogue again
    leaves it to the office (it owns what exists) and does not fail."""
    _demo_organisations()
    old = Initiative.objects.create(
        slug="coachutbildningen",
        name="Coachutbildningen",
        owner=world.office,
        start="2025-01-01",
        end="2026-12-31",
    )
    counts = catalogue_load()
    assert counts.initiatives == 7
    assert Initiative.objects.filter(pk=old.pk).exists()


def test_a_loaded_module_edited_by_the_office_is_not_overwritten(world):
    _demo_organisations()
    catalogue_load()
    module = MethodModule.objects.get(code="5s")
    services.module_revise(module=module, actor=None, purpose="Vår egen formulering.")
    catalogue_load()
    assert services.module_current(module).purpose == "Vår egen formulering."


def test_every_module_runs_somewhere(world):
    _demo_organisations()
    catalogue_load()
    result = coverage(user=world.users["program_manager"])
    unused = [m.code for m, cells in result.template_cells() if not any(cells)]
    # The coach course's module is taught in the course, not in a company program.
    assert unused == ["coachutbildning"]


def test_coverage_page_with_the_catalogue(world, django_assert_max_num_queries):
    _demo_organisations()
    catalogue_load()
    client = world.client("coach")
    # Two of them count the engagements per module (the engagements app's hook).
    with django_assert_max_num_queries(14):
        response = client.get(reverse("methodology:coverage"))
    assert "Robotlyftet" in response.content.decode()
