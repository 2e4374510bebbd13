from __future__ import annotations

import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from .models import Post


class PostSitemap(Sitemap[Post]):
    """The live posts: a scheduled one joins at its time."""

    changefreq = "monthly"

    def items(self) -> QuerySet[Post]:
        return Post.objects.live().order_by("-publish_at", "-pk")

    def lastmod(self, item: Post) -> datetime.datetime:
        return item.modified


class PublicPageSitemap(Sitemap[str]):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return ["core:home", "journal:post_list", "core:accessibility", "core:processing_record"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {"pages": PublicPageSitemap, "posts": PostSitemap}
