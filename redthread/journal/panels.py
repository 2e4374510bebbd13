"""The log's panels on the start page: a writer's own posts, and the office's queue."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from redthread.accounts import predicates

from . import selectors


def my_posts_panel(request: HttpRequest) -> dict[str, Any] | None:
    """Always shown to an editor: with no post yet, it is where to write the first. The
    office, whose start page is about the programs, sees it once it has posts."""
    posts = list(selectors.post_writer_list(user=request.user)[:5])
    if not posts and not predicates.is_editor(request.user):
        return None
    return {"posts": posts}


def review_panel(request: HttpRequest) -> dict[str, Any] | None:
    posts = list(selectors.post_review_queue(user=request.user)[:5])
    return {"posts": posts} if posts else None


def inquiry_panel(request: HttpRequest) -> dict[str, Any] | None:
    """What visitors sent that waits for an answer: the five newest (shown only when any
    waits)."""
    waiting = list(selectors.inquiry_list(user=request.user, handled="no")[:5])
    return {"inquiries": waiting} if waiting else None
