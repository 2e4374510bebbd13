from __future__ import annotations

import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from redthread.methodology.models import Initiative

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
        return [
            "core:home",
            "journal:post_list",
            "journal:initiative_list",
            "journal:methodology",
            "journal:partners",
            "journal:stakeholders",
            "journal:contact",
            "journal:about",
            "journal:accessibility",
            "core:processing_record",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class InitiativeSitemap(Sitemap[Initiative]):
    """Every initiative's public page."""

    changefreq = "monthly"

    def items(self) -> QuerySet[Initiative]:
        return Initiative.objects.order_by("-start", "pk")

    def location(self, item: Initiative) -> str:
        return reverse("journal:initiative_detail", kwargs={"slug": item.slug})

    def lastmod(self, item: Initiative) -> datetime.datetime:
        return item.modified


SITEMAPS = {"pages": PublicPageSitemap, "initiatives": InitiativeSitemap, "posts": PostSitemap}
