"""One way to show a list: search and filters from a form, sort by whitelisted columns,
pagination. Views build a :class:`Listing`; templates include ``core/_listing_*.html``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    #: The ordering expression, or None for a column that cannot be sorted.
    order_by: str | None = None
    numeric: bool = False


@dataclass
class HeaderCell:
    column: Column
    sort_param: str | None
    aria_sort: str


class Listing:
    per_page = 25

    def __init__(
        self,
        request: HttpRequest,
        queryset: QuerySet[Any],
        *,
        columns: Sequence[Column],
        default_sort: str,
        filter_form: forms.Form | None = None,
        per_page: int | None = None,
        annotate: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None,
    ) -> None:
        """``annotate`` adds what each row shows beyond its columns (sums and counts, as
        subqueries): it is applied to the page's rows only, after paginating, unless the
        list is sorted by one of the figures it adds."""
        self.request = request
        self.columns = list(columns)
        self.filter_form = filter_form
        self.sort = request.GET.get("sort", default_sort)
        sortable = {c.key: c.order_by for c in self.columns if c.order_by}
        key = self.sort.lstrip("-")
        if key not in sortable:
            self.sort, key = default_sort, default_sort.lstrip("-")
        descending = self.sort.startswith("-")
        order = sortable[key]
        assert order is not None
        # The primary key breaks ties, so pages never repeat or skip a row.
        sorted_by_figure = annotate is not None and order in annotate(queryset).query.annotations
        if annotate is not None and sorted_by_figure:
            queryset = annotate(queryset)
        queryset = queryset.order_by(f"-{order}" if descending else order, "pk")
        paginator = Paginator(queryset, per_page or self.per_page)
        self.page: Page[Any] = paginator.get_page(request.GET.get("page"))
        if annotate is not None and not sorted_by_figure:
            # Paginate first, then add the figures to the page's rows alone: the database
            # never computes them for rows nobody sees.
            rows = self.page.object_list
            assert isinstance(rows, QuerySet)
            ids = list(rows.values_list("pk", flat=True))
            self.page.object_list = list(annotate(queryset.filter(pk__in=ids))) if ids else []
        self.headers = [self._header(c, key, descending) for c in self.columns]

    def _header(self, column: Column, key: str, descending: bool) -> HeaderCell:
        if not column.order_by:
            return HeaderCell(column, None, "none")
        if column.key == key:
            return HeaderCell(
                column,
                column.key if descending else f"-{column.key}",
                "descending" if descending else "ascending",
            )
        return HeaderCell(column, column.key, "none")

    @property
    def is_filtered(self) -> bool:
        return any(v for k, v in self.request.GET.items() if k not in {"sort", "page"})
