"""A writer's byline: name, title, a photo that must be an image, small, and described."""

from __future__ import annotations

import io
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from redthread.journal import forms as journal_forms
from redthread.journal.models import Author


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _token(client):
    return client.get(reverse("journal:byline_edit")).context["form"].initial.get("edit_token", "")


def _post(client, **files):
    return client.post(
        reverse("journal:byline_edit"),
        {
            "name": "Rasmus Redaktör",
            "title": "Kommunikatör",
            "photo_alt": "",
            "edit_token": _token(client),
            **files,
        },
    )


def test_the_writer_sets_its_byline_with_a_described_photo(world, media_in_tmp):
    client = world.client("editor")
    response = _post(
        client,
        photo=SimpleUploadedFile("r.png", _png(), content_type="image/png"),
        photo_alt="Rasmus i verkstaden",
    )
    assert response.status_code == 302
    author = Author.objects.get(user=world.users["editor"])
    assert author.title == "Kommunikatör"
    assert author.photo
    assert author.photo_alt == "Rasmus i verkstaden"


def test_a_photo_that_is_not_an_image_is_refused_with_a_message(world, media_in_tmp):
    fake = SimpleUploadedFile("r.png", b"<script>alert(1)</script>", content_type="image/png")
    response = _post(world.client("editor"), photo=fake, photo_alt="Jag")
    assert response.status_code == 200
    assert "giltig bild" in response.content.decode()
    assert not Author.objects.filter(user=world.users["editor"]).exclude(photo="").exists()


def test_a_photo_too_large_or_without_alt_text_is_refused(world, media_in_tmp, monkeypatch):
    monkeypatch.setattr(journal_forms, "PHOTO_MAX_BYTES", 100)
    big = SimpleUploadedFile("r.png", _png() + b"\0" * 200, content_type="image/png")
    html = _post(world.client("editor"), photo=big, photo_alt="Jag").content.decode()
    assert "Fotot är för stort" in html
    monkeypatch.setattr(journal_forms, "PHOTO_MAX_BYTES", 2 * 1024 * 1024)
    photo = SimpleUploadedFile("r.png", _png(), content_type="image/png")
    html = _post(world.client("editor"), photo=photo).content.decode()
    assert "Beskriv fotot" in html
    assert not Author.objects.filter(user=world.users["editor"]).exclude(photo="").exists()


def test_opening_the_byline_page_writes_nothing(world):
    Author.objects.filter(user=world.users["editor"]).delete()
    response = world.client("editor").get(reverse("journal:byline_edit"))
    assert response.status_code == 200
    assert not Author.objects.filter(user=world.users["editor"]).exists()


def test_a_gif_named_png_is_refused(world, media_in_tmp):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="GIF")
    gif = SimpleUploadedFile("r.png", buffer.getvalue(), content_type="image/png")
    html = _post(world.client("editor"), photo=gif, photo_alt="Jag").content.decode()
    assert "JPEG-, PNG- eller WebP-bild" in html


def test_a_replaced_or_removed_photo_leaves_no_file_behind(
    world, django_capture_on_commit_callbacks
):
    client = world.client("editor")
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, photo=SimpleUploadedFile("a.png", _png()), photo_alt="Jag")
    old = Author.objects.get(user=world.users["editor"]).photo.path
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, photo=SimpleUploadedFile("b.png", _png()), photo_alt="Jag igen")
    current = Author.objects.get(user=world.users["editor"]).photo.path
    assert current != old
    assert os.path.exists(current)
    assert not os.path.exists(old)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, **{"photo-clear": "on"})
    assert response.status_code == 302
    author = Author.objects.get(user=world.users["editor"])
    assert not author.photo
    assert author.photo_alt == ""
    assert not os.path.exists(current)
