"""The site's editable pages: the editor writes and previews, the office publishes; the
public reads the published copy only; nothing an editor writes can run; a save over a
newer one is refused."""

from __future__ import annotations

import re

from django.urls import reverse

from redthread.journal import services
from redthread.journal.models import Page

HOSTILE = (
    "Hej **du**.\n\n"
    "<script>alert('x')</script>\n\n"
    '<img src="x" onerror="alert(1)">\n\n'
    "[klicka](javascript:alert(1)) och [här](https://digg.se/)\n\n"
    '<a href="javascript:alert(2)" onclick="alert(3)">länk</a>'
)


def _edit_url(slug: str = "om") -> str:
    return reverse("journal:page_edit", args=[slug])


def _token(client, url: str) -> str:
    found = re.search(r'name="edit_token" value="([^"]*)"', client.get(url).content.decode())
    return found.group(1) if found else ""


def _assert_inert(html: str) -> None:
    assert "<script" not in html.split("</header>", 1)[-1].split("<footer", 1)[0]
    assert "onerror" not in html
    assert "onclick" not in html
    assert "javascript:" not in html


def test_the_editor_writes_the_office_publishes_and_the_public_reads_the_published_copy(world):
    editor, office = world.client("editor"), world.client("program_manager")
    anonymous = world.client("anonymous")
    # before anything is published, the about page shows its built-in text
    assert "Röd tråd är plattformen" in anonymous.get(reverse("journal:about")).content.decode()

    response = editor.post(
        _edit_url(), {"title": "Om oss", "body": "Vi är **programkontoret**.", "edit_token": ""}
    )
    assert response.status_code == 302
    page = Page.objects.get(slug="om")
    assert page.updated_by == world.users["editor"]
    assert not page.is_published
    assert (
        "programkontoret</strong>" not in anonymous.get(reverse("journal:about")).content.decode()
    )

    # the editor may not publish; the office may, after a confirmation
    publish = reverse("journal:page_action", args=["om", "publish"])
    assert editor.post(publish).status_code == 403
    assert "Publicera sidan?" in office.get(publish).content.decode()
    assert office.post(publish).status_code == 302
    html = anonymous.get(reverse("journal:about")).content.decode()
    assert "<h1>Om oss</h1>" in html
    assert "Vi är <strong>programkontoret</strong>." in html

    # a correction stays unpublished (the public keeps the published copy) until published
    editor.post(
        _edit_url(),
        {"title": "Om oss", "body": "Ny text.", "edit_token": _token(editor, _edit_url())},
    )
    assert "Ny text." not in anonymous.get(reverse("journal:about")).content.decode()
    assert "opublicerade ändringar" in editor.get(reverse("journal:page_list")).content.decode()
    office.post(publish)
    assert "Ny text." in anonymous.get(reverse("journal:about")).content.decode()

    # every save and publication is a revision naming who
    users = {record.history_user for record in Page.objects.get(slug="om").history.all()}
    assert users == {world.users["editor"], world.users["program_manager"]}


def test_a_page_renders_inert_whatever_the_editor_writes(world):
    editor = world.client("editor")
    preview = editor.post(
        _edit_url("tillganglighet"), {"title": "T", "body": HOSTILE, "preview": "1"}
    )
    assert preview.status_code == 200
    assert not Page.objects.exists()  # a preview saves nothing
    _assert_inert(preview.content.decode().split('id="preview-heading"', 1)[1].split("<form", 1)[0])

    page = services.page_save(
        slug="tillganglighet", actor=world.users["editor"], title="T", body=HOSTILE
    )
    services.page_publish(page=page, actor=world.users["program_manager"])
    html = world.client("anonymous").get(reverse("journal:accessibility")).content.decode()
    _assert_inert(html)
    assert "Hej <strong>du</strong>." in html
    assert 'href="https://digg.se/"' in html


def test_a_save_over_a_newer_one_is_refused_and_keeps_what_was_typed(world):
    services.page_save(slug="om", actor=world.users["editor"], title="Om", body="Första.")
    editor, office = world.client("editor"), world.client("program_manager")
    stale = _token(editor, _edit_url())
    office.post(
        _edit_url(),
        {"title": "Om", "body": "Kontorets.", "edit_token": _token(office, _edit_url())},
    )
    response = editor.post(
        _edit_url(), {"title": "Om", "body": "Redaktörens.", "edit_token": stale}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Någon annan har sparat ändringar" in html
    assert "Redaktörens." in html
    assert Page.objects.get(slug="om").body == "Kontorets."


def test_the_accessibility_statement_falls_back_to_the_built_in_text_when_taken_down(world):
    page = services.page_save(
        slug="tillganglighet", actor=world.users["editor"], title="Vår redogörelse", body="DIGG."
    )
    services.page_publish(page=page, actor=world.users["program_manager"])
    anonymous = world.client("anonymous")
    assert "Vår redogörelse" in anonymous.get(reverse("journal:accessibility")).content.decode()
    office = world.client("program_manager")
    unpublish = reverse("journal:page_action", args=["tillganglighet", "unpublish"])
    assert "Avpublicera sidan?" in office.get(unpublish).content.decode()
    office.post(unpublish)
    html = anonymous.get(reverse("journal:accessibility")).content.decode()
    assert "Vår redogörelse" not in html
    assert "WCAG 2.1" in html


def test_the_contact_page_shows_its_published_introduction_above_the_form(world):
    page = services.page_save(
        slug="kontakt", actor=world.users["editor"], title="Kontakt", body="Vi svarar *snabbt*."
    )
    anonymous = world.client("anonymous")
    assert "snabbt" not in anonymous.get(reverse("journal:contact")).content.decode()
    services.page_publish(page=page, actor=world.users["program_manager"])
    html = anonymous.get(reverse("journal:contact")).content.decode()
    assert html.index("Vi svarar <em>snabbt</em>.") < html.index(
        '<form method="post" class="panel"'
    )
    # a partner's contact page is the partner's, without the office's introduction
    partner = anonymous.get(reverse("journal:partner_contact", args=[world.partner.slug]))
    assert "snabbt" not in partner.content.decode()


def test_every_page_links_the_about_page_and_the_accessibility_statement(world):
    for who, url in (
        ("anonymous", reverse("journal:partners")),
        ("coach", reverse("core:dashboard")),
    ):
        html = world.client(who).get(url).content.decode()
        assert f'href="{reverse("journal:about")}"' in html
        assert f'href="{reverse("journal:accessibility")}"' in html


def test_the_list_shows_every_page_and_an_unknown_page_is_not_found(
    world, django_assert_max_num_queries
):
    editor = world.client("editor")
    with django_assert_max_num_queries(20):
        html = editor.get(reverse("journal:page_list")).content.decode()
    assert "Om programmet" in html
    assert "Tillgänglighetsredogörelse" in html
    assert "Inte skriven ännu" in html
    assert editor.get(_edit_url("nej")).status_code == 404
    # a page not yet written cannot be published
    office = world.client("program_manager")
    assert (
        office.get(reverse("journal:page_action", args=["kontakt", "publish"])).status_code == 404
    )
    assert office.get(reverse("journal:page_action", args=["om", "radera"])).status_code == 404
    # the first GET of a page writes nothing
    assert editor.get(_edit_url("kontakt")).status_code == 200
    assert not Page.objects.exists()
