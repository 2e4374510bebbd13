"""The public log: list, post page, feeds, sitemap, robots.txt; what may not show does not."""

from __future__ import annotations

import datetime
import io
import xml.etree.ElementTree as ET
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from redthread.journal.models import Author

from ..factories import post_make

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own feed, made by the test just before


def _everywhere(client) -> dict[str, str]:
    return {
        "list": client.get(reverse("journal:post_list")).content.decode(),
        "atom": client.get(reverse("journal:feed_atom")).content.decode(),
        "rss": client.get(reverse("journal:feed_rss")).content.decode(),
        "sitemap": client.get(reverse("journal:sitemap")).content.decode(),
    }


def test_a_scheduled_post_shows_only_from_its_time(world):
    soon = timezone.now() + datetime.timedelta(hours=2)
    post = post_make(world, status="published", publish_at=soon, slug="schemalagd")
    anonymous = world.client("anonymous")
    before = _everywhere(anonymous)
    for where, text in before.items():
        assert "schemalagd" not in text, where
    assert anonymous.get(post.get_absolute_url()).status_code == 404

    # The clock moves past the publishing time: nothing else is done.
    later = soon + datetime.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        after = _everywhere(anonymous)
        for where, text in after.items():
            assert "schemalagd" in text, where
        assert anonymous.get(post.get_absolute_url()).status_code == 200


def test_drafts_and_posts_in_review_show_nowhere_public(world):
    post_make(world, status="draft", slug="utkastet")
    post_make(world, status="review", slug="granskas")
    post_make(world, status="unpublished", slug="avpublicerad")
    for where, text in _everywhere(world.client("anonymous")).items():
        for slug in ("utkastet", "granskas", "avpublicerad"):
            assert slug not in text, (where, slug)


def test_what_an_editor_writes_cannot_run(world):
    body = (
        "Hej <script>alert('x')</script>\n\n"
        '<img src="x" onerror="alert(1)">\n\n'
        "[klicka](javascript:alert(1)) och "
        '<a href="javascript:alert(2)" onclick="alert(3)">länk</a>\n\n'
        "[riktig](https://produktionslyftet.se/)"
    )
    post = post_make(world, status="published", body=body)
    html = world.client("anonymous").get(post.get_absolute_url()).content.decode()
    article = html[html.index('<div class="prose">') :]
    article = article[: article.index("</div>")]
    assert "<script" not in article
    assert "onerror" not in article
    assert "onclick" not in article
    assert "javascript:" not in article
    assert "<img" not in article
    assert 'href="https://produktionslyftet.se/"' in article
    assert 'rel="noopener noreferrer"' in article


def test_the_atom_feed_parses_back_with_its_entries(world):
    first = post_make(world, status="published", slug="forsta")
    post_make(world, status="published", slug="andra")
    response = world.client("anonymous").get(reverse("journal:feed_atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = _xml(response.content)
    assert root.tag == f"{ATOM}feed"
    for child in ("title", "id", "updated"):
        assert root.findtext(f"{ATOM}{child}"), child
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        for child in ("title", "id", "updated", "link"):
            assert entry.find(f"{ATOM}{child}") is not None, child
        assert entry.findtext(f"{ATOM}author/{ATOM}name")
    links = {link.get("href") for e in entries for link in e.iter(f"{ATOM}link")}
    assert f"http://testserver{first.get_absolute_url()}" in links

    rss = _xml(world.client("anonymous").get(reverse("journal:feed_rss")).content)
    assert rss.tag == "rss"
    assert len(rss.findall("channel/item")) == 2


def test_the_sitemap_lists_the_live_posts_and_robots_txt_points_to_it(world):
    post = post_make(world, status="published")
    root = _xml(world.client("anonymous").get(reverse("journal:sitemap")).content)
    locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert f"http://testserver{post.get_absolute_url()}" in locations
    assert "http://testserver/loggen/" in locations
    robots = world.client("anonymous").get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()


def test_the_post_page_has_its_canonical_url_open_graph_and_twitter_card(world):
    post = post_make(world, status="published", themes="Automation")
    related = post_make(world, status="published", themes="automation")
    post_make(world, status="published", themes="Annat")
    html = world.client("anonymous").get(post.get_absolute_url()).content.decode()
    url = f"http://testserver{post.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert f'<meta property="og:title" content="{post.title}">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert 'type="application/atom+xml"' in html
    related_section = html[html.index("Relaterade inlägg") :]
    assert related.title in related_section
    assert "Inlägg 3" not in related_section


def test_the_list_filters_by_tag_and_pages(world):
    for _ in range(12):
        post_make(world, status="published", themes="Automation")
    post_make(world, status="published", themes="Kata", slug="kata-inlagget")
    client = world.client("anonymous")
    tagged = client.get(reverse("journal:post_list"), {"theme": "kata"}).content.decode()
    assert "kata-inlagget" in tagged
    assert "Inlägg 1<" not in tagged
    first = client.get(reverse("journal:post_list")).content.decode()
    assert "Sida 1 av 2" in first
    assert client.get(reverse("journal:post_list"), {"page": "x" * 50}).status_code == 200
    assert client.get(reverse("journal:post_list"), {"theme": "finns-inte"}).status_code == 200


def test_a_byline_photo_shows_once_its_author_has_a_live_post(world, media_in_tmp):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    post = post_make(world, status="draft")
    author: Author = post.author
    author.photo = SimpleUploadedFile("rasmus.png", buffer.getvalue(), content_type="image/png")
    author.photo_alt = "Rasmus framför en svarv"
    author.save()
    url = reverse("journal:author_photo", kwargs={"pk": author.pk})
    anonymous = world.client("anonymous")
    assert anonymous.get(url).status_code == 404
    from redthread.journal import services

    services.post_submit(post=post, actor=world.users["editor"])
    services.post_publish(post=post, actor=world.users["program_manager"])
    assert anonymous.get(url).status_code == 200
    html = anonymous.get(post.get_absolute_url()).content.decode()
    assert 'alt="Rasmus framför en svarv"' in html
