"""The log's panels on the start page: a writer's own posts, and the office's queue."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import selectors


def my_posts_panel(request: HttpRequest) -> dict[str, Any] | None:
    """Always shown to a writer: with no post yet, it is where to write the first."""
    posts = list(selectors.post_writer_list(user=request.user)[:5])
    return {"posts": posts, "counts": selectors.post_status_counts(user=request.user)}


def review_panel(request: HttpRequest) -> dict[str, Any] | None:
    posts = list(selectors.post_review_queue(user=request.user)[:5])
    return {"posts": posts} if posts else None
