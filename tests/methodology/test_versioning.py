from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from redthread.methodology import services
from redthread.methodology.models import (
    MethodModuleVersion,
    TemplateStep,
    TemplateVersion,
    VersionStatus,
)


def test_revising_a_module_publishes_a_new_version_and_steps_keep_theirs(methodology, world):
    five_s = methodology["five_s"]
    step = TemplateStep.objects.get(module_version__module=five_s)
    pinned = step.module_version
    new = services.module_revise(
        module=five_s, actor=world.users["program_manager"], purpose="Ny text."
    )
    assert new.number == 2
    assert new.status == VersionStatus.PUBLISHED
    pinned.refresh_from_db()
    assert pinned.status == VersionStatus.SUPERSEDED
    assert pinned.purpose == "Ordning och reda."  # a published version never changes
    step.refresh_from_db()
    assert step.module_version_id == pinned.pk  # the template keeps the version it pinned


def test_revising_with_nothing_changed_makes_no_version(methodology, world):
    five_s = methodology["five_s"]
    services.module_revise(module=five_s, actor=None, purpose="Ordning och reda.")
    assert MethodModuleVersion.objects.filter(module=five_s).count() == 1


def test_a_new_template_version_does_not_touch_the_published_one(methodology, world):
    template = methodology["template"]
    published = services.template_current(template)
    assert published is not None
    draft = services.template_draft_start(template=template)
    assert draft.number == 2
    assert draft.phases.get().steps.count() == 2  # a copy of the structure
    services.step_add(phase=draft.phases.get(), module=methodology["unused"], offset_weeks=10)
    assert TemplateStep.objects.filter(phase__version=published).count() == 2
    services.template_publish(version=draft, actor=world.users["program_manager"])
    published.refresh_from_db()
    assert published.status == VersionStatus.SUPERSEDED
    assert services.template_current(template) == draft
    # A version someone pinned still has all its steps.
    assert TemplateStep.objects.filter(phase__version=published).count() == 2


def test_only_drafts_change(methodology):
    published = services.template_current(methodology["template"])
    assert published is not None
    with pytest.raises(ValidationError):
        services.phase_add(version=published, name="Ny fas")


def test_a_step_after_the_end_and_a_draft_without_t0_are_refused(methodology, world):
    draft = services.template_create(code="kort", name="Kort", duration_weeks=4)
    phase = services.phase_add(version=draft, name="Fas")
    with pytest.raises(ValidationError, match="bara 4 veckor"):
        services.step_add(phase=phase, module=methodology["five_s"], offset_weeks=10)
    services.step_add(phase=phase, module=methodology["five_s"], offset_weeks=0)
    assert services.template_publish_problems(draft) == [
        "Lägg till en mätning T0 innan programmet börjar."
    ]
    with pytest.raises(ValidationError):
        services.template_publish(version=draft, actor=None)


def test_a_template_can_start_from_another(methodology):
    base = services.template_current(methodology["template"])
    digilean = services.template_create(
        code="digilean", name="DigiLean", duration_weeks=20, based_on=base
    )
    assert digilean.based_on == base
    assert digilean.phases.get().steps.count() == 2
    assert digilean.assessment_points.count() == 1


def test_module_edit_asks_for_confirmation_then_publishes(methodology, world):
    client = world.client("program_manager")
    url = reverse("methodology:module_edit", kwargs={"code": "5s"})
    form = client.get(url).context["form"]
    data = {name: form.initial.get(name) for name in form.fields}
    data.update(
        steps="Sortera\nStrukturera",
        expected_outputs="",
        dimensions="",
        assumed="",
        source="",
        description="",
        purpose="Ny syftestext.",
    )
    confirm = client.post(url, data)
    assert confirm.status_code == 200
    assert "Publicera version 2" in confirm.content.decode()
    assert MethodModuleVersion.objects.filter(module__code="5s").count() == 1
    done = client.post(url, {**data, "confirm": "yes"})
    assert done.status_code == 302
    current = services.module_current(methodology["five_s"])
    assert current.number == 2
    assert current.purpose == "Ny syftestext."
    assert current.published_by == world.users["program_manager"]
    compare = client.get(reverse("methodology:module_compare", kwargs={"code": "5s"}))
    assert "Ny syftestext." in compare.content.decode()
    assert "Ordning och reda." in compare.content.decode()


def test_coaches_read_but_do_not_edit(methodology, world):
    client = world.client("coach")
    assert (
        client.get(reverse("methodology:module_detail", kwargs={"code": "5s"})).status_code == 200
    )
    assert client.get(reverse("methodology:module_edit", kwargs={"code": "5s"})).status_code == 403


def test_markdown_is_rendered_safely(methodology, world):
    services.module_revise(
        module=methodology["five_s"],
        actor=None,
        description="**Viktigt**\n\n<script>alert(1)</script>\n\n[länk](javascript:alert(1))",
    )
    body = (
        world.client("coach")
        .get(reverse("methodology:module_detail", kwargs={"code": "5s"}))
        .content.decode()
    )
    assert "<strong>Viktigt</strong>" in body
    assert "<script>alert(1)" not in body
    assert "javascript:" not in body


__all__ = ["TemplateVersion"]


def test_attachments_are_uploaded_carried_to_new_versions_and_served_to_readers(methodology, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = world.client("program_manager")
    url = reverse("methodology:module_detail", kwargs={"code": "5s"})
    bad = client.post(url, {"title": "Skript", "file": SimpleUploadedFile("x.exe", b"MZ")})
    assert "går inte att bifoga" in bad.content.decode()
    ok = client.post(
        url, {"title": "Checklista 5S", "file": SimpleUploadedFile("checklista.pdf", b"%PDF-1.4")}
    )
    assert ok.status_code == 302
    services.module_revise(module=methodology["five_s"], actor=None, purpose="Ny version.")
    current = services.module_current(methodology["five_s"])
    attachment = current.attachments.get()
    assert attachment.title == "Checklista 5S"
    download = world.client("coach").get(
        reverse("methodology:module_attachment", kwargs={"code": "5s", "pk": attachment.pk})
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4"
    assert (
        world.client("company_user")
        .get(reverse("methodology:module_attachment", kwargs={"code": "5s", "pk": attachment.pk}))
        .status_code
        == 403
    )
