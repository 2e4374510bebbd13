"""Every read of the log that reaches a user passes :meth:`PostQuerySet.visible_to`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from redthread.accounts.models import User
from redthread.accounts.typing import RequestUser

from .models import Author, Post, PostStatus


def _with_tags(posts: QuerySet[Post]) -> QuerySet[Post]:
    return posts.select_related("author").prefetch_related("initiatives", "modules", "themes")


def post_public_list(*, initiative: str = "", module: str = "", theme: str = "") -> QuerySet[Post]:
    """The live posts, newest first, optionally those with one tag."""
    posts = Post.objects.live()
    if initiative:
        posts = posts.filter(initiatives__slug=initiative)
    if module:
        posts = posts.filter(modules__code=module)
    if theme:
        posts = posts.filter(themes__slug=theme)
    return _with_tags(posts).order_by("-publish_at", "-pk")


def post_get(*, user: RequestUser, slug: str) -> Post:
    """One post by its slug, if the user may read it (Post.DoesNotExist otherwise)."""
    return _with_tags(Post.objects.visible_to(user)).get(slug=slug)


def post_related(*, post: Post, limit: int = 3) -> list[Post]:
    """Live posts sharing the most tags with ``post`` (ties: the newest), among the 50
    newest that share any; a bounded number of queries whatever the log's size."""
    mine = _tag_keys(post)
    if not mine:
        return []
    shared = (
        Q(initiatives__in=[t.pk for t in post.initiatives.all()])
        | Q(modules__in=[t.pk for t in post.modules.all()])
        | Q(themes__in=[t.pk for t in post.themes.all()])
    )
    ids = list(
        Post.objects.live()
        .exclude(pk=post.pk)
        .filter(shared)
        .order_by("-publish_at", "-pk")
        .values_list("pk", flat=True)
        .distinct()[:50]
    )
    candidates = list(_with_tags(Post.objects.filter(pk__in=ids)).order_by("-publish_at", "-pk"))
    candidates.sort(key=lambda other: -len(mine & _tag_keys(other)))  # stable: newest first
    return candidates[:limit]


def _tag_keys(post: Post) -> set[tuple[str, int]]:
    return (
        {("i", t.pk) for t in post.initiatives.all()}
        | {("m", t.pk) for t in post.modules.all()}
        | {("t", t.pk) for t in post.themes.all()}
    )


def tag_label(*, initiative: str = "", module: str = "", theme: str = "") -> str:
    """The name of the tag a list is filtered by, for its heading."""
    from redthread.methodology.models import Initiative, MethodModule

    from .models import Theme

    if initiative:
        found = Initiative.objects.filter(slug=initiative).values_list("name", flat=True).first()
    elif module:
        found = MethodModule.objects.filter(code=module).values_list("code", flat=True).first()
    else:
        found = Theme.objects.filter(slug=theme).values_list("name", flat=True).first()
    return found or ""


def post_writer_list(*, user: RequestUser, status: str = "") -> QuerySet[Post]:
    """The posts the user writes (for the office: every post), optionally of one status."""
    posts = Post.objects.visible_to(user)
    if not _is_office(user):
        posts = posts.filter(Q(created_by=user) | Q(author__user=user))
    if status == "scheduled":
        posts = posts.filter(status=PostStatus.PUBLISHED, publish_at__gt=timezone.now())
    elif status:
        posts = posts.filter(status=status)
    return _with_tags(posts).order_by("-modified", "-pk")


def post_review_queue(*, user: RequestUser) -> QuerySet[Post]:
    """The posts waiting for the office's review, oldest first."""
    return (
        Post.objects.visible_to(user)
        .filter(status=PostStatus.REVIEW)
        .select_related("author")
        .order_by("modified", "pk")
    )


def post_status_counts(*, user: RequestUser) -> dict[str, Any]:
    rows = post_writer_list(user=user).order_by().values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def _is_office(user: RequestUser) -> bool:
    from redthread.accounts import predicates

    return bool(predicates.is_program_office(user))


def author_of(*, user: User) -> Author:
    """The user's byline, or an unsaved one made from its name when it has none yet (the
    byline page saves it on its first POST; a GET writes nothing)."""
    author = Author.objects.filter(user_id=user.pk).first()
    if author is None:
        author = Author(user=user, name=user.full_name or user.email)
    return author
