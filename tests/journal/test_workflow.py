"""The log's workflow: editors write and submit, the office reviews and publishes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from redthread.journal import services
from redthread.journal.models import Post, PostStatus

from ..factories import post_make


def test_an_editor_cannot_publish_without_review(world):
    post = post_make(world, status="draft")
    with pytest.raises(PermissionDenied):
        services.post_publish(post=post, actor=world.users["editor"])
    services.post_submit(post=post, actor=world.users["editor"])
    with pytest.raises(PermissionDenied):
        services.post_publish(post=post, actor=world.users["editor"])
    # nor through the page
    response = world.client("editor").post(
        reverse("journal:post_action", kwargs={"pk": post.pk, "action": "publish"})
    )
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.status == PostStatus.REVIEW

    services.post_publish(post=post, actor=world.users["program_manager"])
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert post.published_by == world.users["program_manager"]
    assert post.is_live


def test_with_review_off_an_editor_publishes_its_own_post(world, settings):
    settings.REDTHREAD_JOURNAL_REVIEW = False
    post = post_make(world, status="draft")
    services.post_publish(post=post, actor=world.users["editor"])
    assert post.status == PostStatus.PUBLISHED
    other = post_make(world, writer="program_manager", status="draft")
    with pytest.raises(PermissionDenied):
        services.post_publish(post=other, actor=world.users["editor"])


def test_a_status_that_does_not_allow_the_move_is_refused_with_a_message(world):
    post = post_make(world, status="published")
    with pytest.raises(ValidationError, match="publicerad"):
        services.post_publish(post=post, actor=world.users["program_manager"])


def test_the_office_sends_back_and_unpublishes_after_a_confirmation(world):
    post = post_make(world, status="review")
    office = world.client("program_manager")
    url = reverse("journal:post_action", kwargs={"pk": post.pk, "action": "return"})
    assert office.post(url).status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.DRAFT

    live = post_make(world, status="published")
    url = reverse("journal:post_action", kwargs={"pk": live.pk, "action": "unpublish"})
    page = office.get(url)  # asks first
    assert "Avpublicera inlägget?" in page.content.decode()
    live.refresh_from_db()
    assert live.status == PostStatus.PUBLISHED
    office.post(url)
    live.refresh_from_db()
    assert live.status == PostStatus.UNPUBLISHED
    assert world.client("anonymous").get(live.get_absolute_url()).status_code == 404


def test_every_change_leaves_a_revision_with_who_and_when(world):
    post = post_make(world, status="published")
    history = list(post.history.order_by("history_date", "history_id"))
    assert [h.status for h in history] == ["draft", "review", "published"]
    assert [h.history_user for h in history] == [
        world.users["editor"],
        world.users["editor"],
        world.users["program_manager"],
    ]
    assert all(h.history_date for h in history)


def test_an_editor_changes_its_draft_but_not_a_post_in_review(world):
    post = post_make(world, status="draft")
    editor = world.users["editor"]
    assert editor.has_perm("journal.change_post", post)
    services.post_submit(post=post, actor=editor)
    assert not editor.has_perm("journal.change_post", post)
    response = world.client("editor").get(reverse("journal:post_edit", kwargs={"pk": post.pk}))
    assert "kan inte ändras av dig" in response.content.decode()


def test_an_editor_does_not_see_another_editors_draft(world):
    from ..factories import UserFactory

    other = UserFactory.create(role="editor")
    world.users["other_editor"] = other
    post = post_make(world, writer="other_editor", status="draft")
    client = world.client("editor")
    assert client.get(reverse("journal:post_edit", kwargs={"pk": post.pk})).status_code == 404
    assert client.get(post.get_absolute_url()).status_code == 404


def test_a_slug_that_exists_is_refused_with_a_message(world):
    post_make(world, slug="robotlyftet-i-praktiken")
    client = world.client("editor")
    response = client.post(
        reverse("journal:post_create"),
        {
            "title": "Ett till",
            "slug": "robotlyftet-i-praktiken",
            "lead": "Ingress.",
            "body": "Text.",
        },
    )
    assert response.status_code == 200
    assert "Det finns redan ett inlägg med den kortadressen." in response.content.decode()
    assert Post.objects.filter(slug="robotlyftet-i-praktiken").count() == 1
    with pytest.raises(ValidationError):
        services.post_create(
            actor=world.users["editor"],
            title="x",
            slug="robotlyftet-i-praktiken",
            lead="x",
            body="x",
        )


def test_the_form_saves_a_draft_with_tags_and_a_time_and_previews_without_saving(world):
    client = world.client("editor")
    data = {
        "title": "Kata på golvet",
        "slug": "kata-pa-golvet",
        "lead": "Ingress.",
        "body": "## Rubrik\n\nText med <script>alert(1)</script>.",
        "themes_text": "Coachning, coachning , Kata",
        "publish_at": "2030-01-02T09:30",
    }
    preview = client.post(reverse("journal:post_create"), {**data, "preview": "1"})
    html = preview.content.decode()
    assert "Förhandsgranskning" in html
    assert "<h2>Rubrik</h2>" in html
    assert "<script>alert" not in html
    assert not Post.objects.filter(slug="kata-pa-golvet").exists()

    response = client.post(reverse("journal:post_create"), data)
    assert response.status_code == 302
    post = Post.objects.get(slug="kata-pa-golvet")
    assert post.status == PostStatus.DRAFT
    assert post.author.user == world.users["editor"]
    assert sorted(t.name for t in post.themes.all()) == ["Coachning", "Kata"]
    assert timezone.localtime(post.publish_at).timetuple()[:5] == (2030, 1, 2, 9, 30)


def test_a_stale_edit_is_refused(world):
    post = post_make(world, status="draft")
    client = world.client("editor")
    url = reverse("journal:post_edit", kwargs={"pk": post.pk})
    form = client.get(url).context["form"]
    token = form.initial["edit_token"]
    services.post_update(
        post=post,
        actor=world.users["program_manager"],
        title="Ändrad",
        slug=post.slug,
        lead="x",
        body="y",
    )
    response = client.post(
        url,
        {"title": "Min", "slug": post.slug, "lead": "x", "body": "z", "edit_token": token},
    )
    assert "Någon annan har sparat" in response.content.decode()
    post.refresh_from_db()
    assert post.title == "Ändrad"


def test_the_editors_start_page_shows_its_posts_and_the_way_to_write(world):
    post_make(world, status="draft")
    html = world.client("editor").get(reverse("core:dashboard")).content.decode()
    assert "Det finns inget att visa för din roll ännu" not in html
    assert "Skriv ett inlägg" in html
    assert "Inlägg 1" in html or "Utkast" in html
    office = world.client("program_manager").get(reverse("core:dashboard")).content.decode()
    assert "Att granska" not in office  # nothing waits
    post_make(world, status="review")
    office = world.client("program_manager").get(reverse("core:dashboard")).content.decode()
    assert "Att granska" in office
