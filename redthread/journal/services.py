"""Every write of the log. Status changes lock the post's row, so two reviewers cannot
publish and unpublish at once; each save leaves a revision (simple-history) naming who."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from redthread.accounts.models import User

from .models import Author, Post, PostStatus, Theme

#: Which statuses each status may move to.
TRANSITIONS: dict[str, set[str]] = {
    PostStatus.DRAFT: {PostStatus.REVIEW, PostStatus.PUBLISHED},
    PostStatus.REVIEW: {PostStatus.PUBLISHED, PostStatus.DRAFT},
    PostStatus.PUBLISHED: {PostStatus.UNPUBLISHED},
    PostStatus.UNPUBLISHED: {PostStatus.REVIEW, PostStatus.PUBLISHED, PostStatus.DRAFT},
}


def author_for_user(*, user: User) -> Author:
    """The user's byline, made from its name the first time it writes (a post needs a
    stored author; the byline page uses :func:`selectors.author_of` and saves on POST)."""
    author = Author.objects.filter(user=user).first()
    if author is None:
        author = Author.objects.create(user=user, name=user.full_name or user.email)
    return author


def themes_from_text(text: str) -> list[Theme]:
    """Themes from a comma-separated list, made when new; the same theme typed with other
    capitals is the same theme."""
    themes = []
    for raw in text.split(","):
        name = " ".join(raw.split())[:80]
        slug = slugify(name)[:80]
        if not slug:
            continue
        theme, _created = Theme.objects.get_or_create(slug=slug, defaults={"name": name})
        if theme not in themes:
            themes.append(theme)
    return themes


def _set_tags(
    post: Post, *, initiatives: Iterable[Any], modules: Iterable[Any], themes: Iterable[Theme]
) -> None:
    post.initiatives.set(list(initiatives))
    post.modules.set(list(modules))
    post.themes.set(list(themes))


def post_create(
    *,
    actor: User,
    title: str,
    slug: str,
    lead: str,
    body: str,
    author: Author | None = None,
    initiatives: Iterable[Any] = (),
    modules: Iterable[Any] = (),
    themes: Iterable[Theme] = (),
    publish_at: datetime.datetime | None = None,
) -> Post:
    """A new draft signed by ``author`` (the actor's own byline by default). A slug that
    exists is refused with a ValidationError on ``slug``."""
    if Post.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("Det finns redan ett inlägg med den kortadressen.")})
    post = Post(
        title=title,
        slug=slug,
        lead=lead,
        body=body,
        author=author or author_for_user(user=actor),
        publish_at=publish_at,
        created_by=actor,
    )
    post._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook
    post.save()
    _set_tags(post, initiatives=initiatives, modules=modules, themes=themes)
    return post


def post_update(
    *,
    post: Post,
    actor: User,
    title: str,
    slug: str,
    lead: str,
    body: str,
    initiatives: Iterable[Any] = (),
    modules: Iterable[Any] = (),
    themes: Iterable[Theme] = (),
    publish_at: datetime.datetime | None = None,
) -> Post:
    """Saves the post's text and tags; its status is unchanged."""
    if Post.objects.filter(slug=slug).exclude(pk=post.pk).exists():
        raise ValidationError({"slug": _("Det finns redan ett inlägg med den kortadressen.")})
    post.title, post.slug, post.lead, post.body = title, slug, lead, body
    post.publish_at = publish_at
    post._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook
    post.save()
    _set_tags(post, initiatives=initiatives, modules=modules, themes=themes)
    return post


def _move(post: Post, *, actor: User, to_status: str, permission: str) -> Post:
    if not actor.has_perm(permission, post):
        raise PermissionDenied
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if to_status not in TRANSITIONS[locked.status]:
            raise ValidationError(
                _("Inlägget kan inte gå från %(current)s till %(target)s.")
                % {
                    "current": str(PostStatus(locked.status).label).lower(),
                    "target": str(PostStatus(to_status).label).lower(),
                }
            )
        locked.status = to_status
        if to_status == PostStatus.PUBLISHED:
            locked.publish_at = locked.publish_at or timezone.now()
            locked.published_by = actor
        locked._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook
        locked.save()
    post.status, post.publish_at, post.published_by = (
        locked.status,
        locked.publish_at,
        locked.published_by,
    )
    return locked


def post_submit(*, post: Post, actor: User) -> Post:
    """Sends a draft (or an unpublished post) to the office's review queue."""
    return _move(post, actor=actor, to_status=PostStatus.REVIEW, permission="journal.submit_post")


def post_return(*, post: Post, actor: User) -> Post:
    """The office sends a post in review back to its writer as a draft."""
    return _move(post, actor=actor, to_status=PostStatus.DRAFT, permission="journal.publish_post")


def post_publish(*, post: Post, actor: User) -> Post:
    """Publishes the post: at once, or at its ``publish_at`` when that lies ahead (it is
    then scheduled and shows nowhere public before its time). With review on, only the
    office may; PermissionDenied otherwise."""
    return _move(
        post, actor=actor, to_status=PostStatus.PUBLISHED, permission="journal.publish_post"
    )


def post_unpublish(*, post: Post, actor: User) -> Post:
    """Takes a published post down; it stays, with its revisions, for the office."""
    return _move(
        post, actor=actor, to_status=PostStatus.UNPUBLISHED, permission="journal.unpublish_post"
    )


def author_update(
    *, author: Author, actor: User, name: str, title: str, photo: Any, photo_alt: str
) -> Author:
    """Saves the byline (made the first time when ``author`` is not stored yet). ``photo``
    is an uploaded file, False to remove the photo (as a cleared file input gives), or the
    stored file unchanged (None or the file itself). A replaced or removed photo's file is
    deleted once the save has committed, so a rolled-back save loses nothing."""
    stored = (
        Author.objects.filter(pk=author.pk).values_list("photo", flat=True).first()
        if author.pk
        else None
    )
    author.name, author.title, author.photo_alt = name, title, photo_alt
    if photo is False:
        author.photo = ""
        author.photo_alt = ""
    elif photo is not None:
        author.photo = photo
    author._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook
    author.save()
    if stored and stored != author.photo.name:
        storage = author.photo.storage
        transaction.on_commit(lambda: storage.delete(stored))
    return author
