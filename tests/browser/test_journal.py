"""The log in the browser: an anonymous visitor reads it (Swedish and English, axe on every
page); the editor writes a post, previews it, schedules it and submits it for review."""

from __future__ import annotations

import io
import re

from PIL import Image
from playwright.sync_api import expect

from redthread.journal.models import Post, PostStatus

from .conftest import Site

FIRST_POST = "Den röda tråden genom Smart industri"


def test_an_anonymous_visitor_reads_the_log(site: Site) -> None:
    page = site.page
    site.visit("/")
    with site.navigation():
        page.get_by_role("link", name="Läs loggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Loggen")
    expect(page.get_by_role("link", name=FIRST_POST)).to_be_visible()
    # the editor's draft, its post in review and its scheduled post do not show
    expect(page.get_by_text("Forskningsresultat på verkstadsgolvet")).to_have_count(0)
    expect(page.get_by_text("Landsbygdsföretagen och avstånden")).to_have_count(0)
    expect(page.get_by_text("Ny omgång av Produktionslyftet 4.0")).to_have_count(0)

    with site.navigation():
        page.get_by_role("link", name=FIRST_POST).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FIRST_POST)
    expect(page.get_by_text("Petra Programledare, Programchef, Produktionslyftet")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Robotlyftet: förstudien som första steg")
    ).to_be_visible()
    expect(page.locator('link[rel="canonical"]')).to_have_attribute(
        "href", re.compile(r"/loggen/den-roda-traden-genom-smart-industri/$")
    )
    expect(page.locator('meta[property="og:title"]')).to_have_attribute("content", FIRST_POST)
    expect(page.get_by_role("heading", name="Relaterade inlägg")).to_be_visible()

    with site.navigation():
        page.get_by_role("list", name="Taggar").get_by_role("link", name="Robotlyftet").click()
    expect(page.get_by_text("Inlägg taggade med Robotlyftet.")).to_be_visible()
    expect(
        page.get_by_role(
            "link", name="Automation i Mellersta Norrland börjar med ett stabilt flöde"
        )
    ).to_be_visible()

    with site.navigation():
        page.get_by_role("banner").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Posts tagged Robotlyftet.")).to_be_visible()
    site.visit("/loggen/den-roda-traden-genom-smart-industri/")
    expect(page.get_by_role("heading", name="Related posts")).to_be_visible()


def test_the_editor_writes_previews_schedules_and_submits_a_post(site: Site) -> None:
    page = site.page
    site.log_in("redaktor@demo.test")
    expect(page.get_by_role("heading", name="Mina inlägg")).to_be_visible()
    expect(page.get_by_text("Det finns inget att visa för din roll ännu")).to_have_count(0)
    with site.navigation():
        page.get_by_role("main").get_by_role("link", name="Skriv ett inlägg").click()

    page.get_by_label("Rubrik").fill("Kata i vardagen")
    page.get_by_label("Kortadress").fill("kata-i-vardagen")
    page.get_by_label("Ingress").fill("Hur förbättringskatan blir en vana.")
    page.get_by_label("Brödtext").fill(
        "## Varje morgon\n\nTio minuter vid tavlan. <script>alert(1)</script>"
        "[länk](javascript:alert(2))"
    )
    page.get_by_role("checkbox", name="Robotlyftet").check()
    page.get_by_label("Teman").fill("Kata, Coachning")
    page.get_by_label("Publiceras").fill("2030-01-02T09:30")

    with site.navigation():
        page.get_by_role("button", name="Förhandsgranska").click()
    preview = page.get_by_role("region", name="Förhandsgranskning")
    expect(preview.get_by_role("heading", name="Varje morgon")).to_be_visible()
    expect(preview.locator("script")).to_have_count(0)
    expect(preview.locator('a[href^="javascript"]')).to_have_count(0)
    assert not Post.objects.filter(slug="kata-i-vardagen").exists()

    with site.navigation():
        page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.get_by_text("Utkastet är sparat.")).to_be_visible()
    # A picture, described for whoever cannot see it.
    picture = io.BytesIO()
    Image.new("RGB", (32, 24), "firebrick").save(picture, format="PNG")
    page.locator("input[type=file][name=image-image]").set_input_files(
        {"name": "kata.png", "mimeType": "image/png", "buffer": picture.getvalue()}
    )
    page.get_by_label(re.compile("^Alternativtext")).fill("Tavlan med veckans förbättringar")
    with site.navigation():
        page.get_by_role("button", name="Lägg till bilden").click()
    expect(page.get_by_text("Bilden är tillagd.")).to_be_visible()
    expect(page.get_by_role("img", name="Tavlan med veckans förbättringar")).to_be_visible()
    with site.navigation():
        page.get_by_role("button", name="Skicka för granskning").click()
    expect(page.get_by_text("Inlägget är skickat för granskning.")).to_be_visible()
    expect(page.get_by_text("kan inte ändras av dig")).to_be_visible()
    # with review on, the editor is not offered publishing
    expect(page.get_by_role("link", name="Publicera")).to_have_count(0)
    post = Post.objects.get(slug="kata-i-vardagen")
    assert post.status == PostStatus.REVIEW
    assert post.publish_at is not None
    assert post.publish_at.year == 2030

    with site.navigation():
        page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Loggen").click()
    row = page.get_by_role("row").filter(has_text="Kata i vardagen")
    expect(row).to_contain_text("Under granskning")
    expect(
        page.get_by_role("row").filter(has_text="Ny omgång av Produktionslyftet 4.0")
    ).to_contain_text("Schemalagd")
