"""Pictures in a post: uploaded with the text that says what they show, checked for what
they are, shown after the lead (and as the post's Open Graph image), removed after asking."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from redthread.journal.models import PostImage
from tests.factories import post_make


def _png(colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _add(client, post, **fields):
    data = {"image-alt": "Två operatörer vid robotcellen", "image-caption": "Foto: IUC"}
    data.update({f"image-{k}": v for k, v in fields.items()})
    return client.post(reverse("journal:post_image_add", kwargs={"pk": post.pk}), data, follow=True)


def test_a_described_picture_is_added_and_shown_after_the_lead(world):
    post = post_make(world, status="draft")
    editor = world.client("editor")
    page = _add(editor, post, image=SimpleUploadedFile("cell.png", _png(), "image/png"))
    assert "Bilden är tillagd." in page.content.decode()
    image = PostImage.objects.get(post=post)
    assert image.alt == "Två operatörer vid robotcellen"
    assert image.uploaded_by == world.users["editor"]
    # Before publishing, the picture is the writer's and the office's only.
    url = image.get_absolute_url()
    assert editor.get(url).status_code == 200
    assert world.client("anonymous").get(url).status_code == 404
    assert world.client("coach").get(url).status_code == 404
    published = post_make(world, status="published")
    PostImage.objects.filter(pk=image.pk).update(post=published)
    reader = world.client("anonymous")
    assert reader.get(url).status_code == 200
    html = reader.get(published.get_absolute_url()).content.decode()
    assert f'<img src="{url}" alt="Två operatörer vid robotcellen"' in html
    assert "<figcaption>Foto: IUC</figcaption>" in html
    assert 'property="og:image"' in html


def test_a_picture_that_is_not_one_too_large_or_undescribed_is_refused(world, monkeypatch):
    from redthread.journal import forms as journal_forms

    post = post_make(world, status="draft")
    editor = world.client("editor")
    fake = SimpleUploadedFile("x.png", b"<script>alert(1)</script>", "image/png")
    assert "giltig bild" in _add(editor, post, image=fake).content.decode()
    gif = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(gif, format="GIF")
    renamed = SimpleUploadedFile("x.png", gif.getvalue(), "image/png")
    assert "JPEG-, PNG- eller WebP-bild" in _add(editor, post, image=renamed).content.decode()
    undescribed = SimpleUploadedFile("x.png", _png(), "image/png")
    assert "Beskriv bilden" in _add(editor, post, image=undescribed, alt="  ").content.decode()
    monkeypatch.setattr(journal_forms, "PHOTO_MAX_BYTES", 100)
    big = SimpleUploadedFile("x.png", _png() + b"\0" * 200, "image/png")
    assert "för stort" in _add(editor, post, image=big).content.decode()
    assert not PostImage.objects.filter(post=post).exists()


def test_removing_a_picture_asks_first_and_then_deletes_its_file(
    world, django_capture_on_commit_callbacks
):
    post = post_make(world, status="draft")
    editor = world.client("editor")
    _add(editor, post, image=SimpleUploadedFile("cell.png", _png(), "image/png"))
    image = PostImage.objects.get(post=post)
    storage, name = image.image.storage, image.image.name
    assert name
    assert storage.exists(name)
    url = reverse("journal:post_image_remove", kwargs={"pk": image.pk})
    assert "Ta bort bilden?" in editor.get(url).content.decode()
    assert PostImage.objects.filter(pk=image.pk).exists()
    # Another writer's post's picture is not this editor's to remove.
    assert world.client("coach").post(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(url)
    assert not PostImage.objects.filter(pk=image.pk).exists()
    assert not storage.exists(name)
