"""The log as Atom and RSS (django.contrib.syndication): the live posts only, so a
scheduled post enters the feed at its time."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .models import Post

FEED_SIZE = 20


class PostFeed(Feed[Post, None]):
    def title(self) -> str:
        return _("Loggen – Röd tråd")

    def description(self) -> str:
        return _("Programkontorets logg om det som händer i satsningarna.")

    def link(self) -> str:
        return reverse("journal:post_list")

    def items(self) -> QuerySet[Post]:
        return (
            Post.objects.live().select_related("author").order_by("-publish_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item: Post) -> str:
        return item.title

    def item_description(self, item: Post) -> str:
        return item.lead

    def item_author_name(self, item: Post) -> str:
        return item.author.name

    def item_pubdate(self, item: Post) -> datetime.datetime | None:
        return item.publish_at

    def item_updateddate(self, item: Post) -> datetime.datetime:
        return item.modified


class AtomPostFeed(PostFeed):
    feed_type = Atom1Feed

    def subtitle(self) -> str:
        return self.description()
