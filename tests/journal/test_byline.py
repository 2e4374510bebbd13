"""A writer's byline: name, title, a photo that must be an image, small, and described."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from redthread.journal import forms as journal_forms
from redthread.journal.models import Author


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _token(client) -> str:
    return client.get(reverse("journal:byline_edit")).context["form"].initial["edit_token"]


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
    assert not Author.objects.get(user=world.users["editor"]).photo


def test_a_photo_too_large_or_without_alt_text_is_refused(world, media_in_tmp, monkeypatch):
    monkeypatch.setattr(journal_forms, "PHOTO_MAX_BYTES", 100)
    big = SimpleUploadedFile("r.png", _png() + b"\0" * 200, content_type="image/png")
    html = _post(world.client("editor"), photo=big, photo_alt="Jag").content.decode()
    assert "Fotot är för stort" in html
    monkeypatch.setattr(journal_forms, "PHOTO_MAX_BYTES", 2 * 1024 * 1024)
    photo = SimpleUploadedFile("r.png", _png(), content_type="image/png")
    html = _post(world.client("editor"), photo=photo).content.decode()
    assert "Beskriv fotot" in html
    assert not Author.objects.get(user=world.users["editor"]).photo
