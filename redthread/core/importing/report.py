"""The row report: one verdict per source row, its counts, and its download."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypedDict

from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from redthread.core.exporting import ExportFormat


RowStatus = Literal["ok", "error", "duplicate", "skipped"]


@dataclass
class RowVerdict:
    """What happened to one source row. ``row`` is :attr:`SourceRow.number`; ``reason`` is
    a message for the user (empty for "ok"); ``key`` identifies the record, such as its
    organisation number, when the row had one."""

    row: int
    status: RowStatus
    reason: str = ""
    key: str = ""


class ImportReportDict(TypedDict):
    """:meth:`ImportReport.as_dict`: the counts, and one dict per row with the keys "row",
    "status", "reason" and the caller's key name."""

    accepted: int
    rejected: int
    duplicates: int
    rows: list[dict[str, int | str]]


@dataclass
class ImportReport:
    """The verdicts of one import, in row order as they were added."""

    rows: list[RowVerdict] = field(default_factory=list)

    def _count(self, status: RowStatus) -> int:
        return sum(1 for verdict in self.rows if verdict.status == status)

    @property
    def accepted(self) -> int:
        return self._count("ok")

    @property
    def rejected(self) -> int:
        return self._count("error")

    @property
    def duplicates(self) -> int:
        return self._count("duplicate")

    @property
    def skipped(self) -> int:
        return self._count("skipped")

    def as_dict(self, key_name: str = "orgnr") -> ImportReportDict:
        """``{"accepted": N, "rejected": N, "duplicates": N, "rows": [{"row": N,
        "status": "...", "reason": "...", <key_name>: "..."}]}``, ready for JSON."""
        return {
            "accepted": self.accepted,
            "rejected": self.rejected,
            "duplicates": self.duplicates,
            "rows": [
                {
                    "row": verdict.row,
                    "status": verdict.status,
                    "reason": str(verdict.reason),
                    key_name: verdict.key,
                }
                for verdict in self.rows
            ],
        }


#: The verdict of an imported row as the pages and the downloadable report name it.
VERDICT_LABELS = {
    "ok": gettext_lazy("Godkänd"),
    "error": gettext_lazy("Fel"),
    "duplicate": gettext_lazy("Dubblett"),
    "skipped": gettext_lazy("Tom rad"),
}


def import_report_export(
    report: dict[str, Any], *, fmt: ExportFormat, title: str | Promise
) -> HttpResponse:
    """An import job's row-by-row report as a download: row, verdict, reason, number."""
    # Imported here: the exporter reads cells with this package's cell_text.
    from redthread.core.exporting import export_response, export_table

    rows: list[dict[str, Any]] = list(report.get("rows", []))
    return export_response(
        export_table(
            headers=[
                gettext_lazy("Rad"),
                gettext_lazy("Resultat"),
                gettext_lazy("Orsak"),
                gettext_lazy("Organisationsnummer"),
            ],
            rows=(
                [r["row"], str(VERDICT_LABELS[str(r["status"])]), r["reason"], r["orgnr"]]
                for r in rows
            ),
            fmt=fmt,
            title=title,
        )
    )
