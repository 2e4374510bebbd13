"""The demo's log (``redthread/data/demo/journal.toml``): a first post on the red thread
through Smart industri, five earlier ones by other authors, and the editor's own posts in
each status; and its pages (``pages.toml``). Idempotent: a post or page that exists is
left as it is."""

from __future__ import annotations

import datetime
import tomllib
from io import TextIOBase

from django.utils import timezone

from redthread.accounts.models import User
from redthread.core.demo import DATA_DIR, step
from redthread.methodology.models import Initiative, MethodModule

from . import services
from .models import Author, Page, Post, PostStatus

OFFICE_LOGIN = "programledare@demo.test"


@step("journal posts", order=70)
def load_journal(out: TextIOBase) -> None:
    data = tomllib.loads((DATA_DIR / "demo" / "journal.toml").read_text(encoding="utf-8"))
    office = User.objects.get(email__iexact=OFFICE_LOGIN)
    users = {u.email.lower(): u for u in User.objects.filter(email__endswith="@demo.test")}
    authors: dict[str, tuple[Author, User]] = {}
    for row in data["author"]:
        user = users.get(row.get("user", "").lower())
        author = (
            Author.objects.filter(user=user).first()
            if user
            else Author.objects.filter(user=None, name=row["name"]).first()
        )
        if author is None:
            author = Author.objects.create(user=user, name=row["name"], title=row["title"])
        authors[row["key"]] = (author, user or office)
    now = timezone.now().replace(second=0, microsecond=0)
    created = 0
    for row in data["post"]:
        if Post.objects.filter(slug=row["slug"]).exists():
            continue
        author, writer = authors[row["author"]]
        days = row.get("days_ago")
        post = services.post_create(
            actor=writer,
            author=author,
            title=row["title"],
            slug=row["slug"],
            lead=row["lead"],
            body=row["body"].strip(),
            initiatives=Initiative.objects.filter(slug__in=row.get("initiatives", [])),
            modules=MethodModule.objects.filter(code__in=row.get("modules", [])),
            themes=services.themes_from_text(", ".join(row.get("themes", []))),
            publish_at=None if days is None else now - datetime.timedelta(days=days),
        )
        if row["status"] in (PostStatus.REVIEW, PostStatus.PUBLISHED):
            services.post_submit(post=post, actor=writer)
        if row["status"] == PostStatus.PUBLISHED:
            services.post_publish(post=post, actor=office)
        created += 1
    out.write(f"  {created} posts added, {Post.objects.count()} in the log\n")


EDITOR_LOGIN = "redaktor@demo.test"


@step("journal pages", order=71)
def load_pages(out: TextIOBase) -> None:
    """The about page, the contact page's introduction and the accessibility statement,
    written by the editor and published by the office. A page already written is left."""
    data = tomllib.loads((DATA_DIR / "demo" / "pages.toml").read_text(encoding="utf-8"))
    office = User.objects.get(email__iexact=OFFICE_LOGIN)
    writer = User.objects.filter(email__iexact=EDITOR_LOGIN).first() or office
    created = 0
    for row in data["page"]:
        if Page.objects.filter(slug=row["slug"]).exists():
            continue
        page = services.page_save(
            slug=row["slug"], actor=writer, title=row["title"], body=row["body"].strip()
        )
        services.page_publish(page=page, actor=office)
        created += 1
    out.write(f"  {created} pages added\n")
