"""One exporter for any list: headers and rows in, an Excel workbook or a CSV file out.

Views call :func:`export_table` with the rows they already show and hand the result to
:func:`export_response`. Every format is safe to open in a spreadsheet: text that a
spreadsheet would run as a formula is neutralised (see :func:`neutralise`).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, TypeGuard, get_args

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from redthread.core.importing import cell_text

__all__ = [
    "EXPORT_FORMATS",
    "EXPORT_FORMAT_CHOICES",
    "ExportFile",
    "ExportFormat",
    "Sheet",
    "export_response",
    "export_table",
    "export_workbook",
    "is_export_format",
    "neutralise",
    "sheet_title",
]

ExportFormat = Literal["xlsx", "csv", "csv-semicolon"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)
#: For a form's ChoiceField: what each format is for, in words a user knows.
EXPORT_FORMAT_CHOICES = [
    ("xlsx", _("Excel (.xlsx)")),
    ("csv", _("CSV, kommaavgränsad")),
    ("csv-semicolon", _("CSV för svenskt Excel (semikolon, decimalkomma)")),
]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

# The first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV
# Injection"): "=", "+", "-", "@", and tab and carriage return, which some programs skip
# before looking at the next character.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters an xlsx file cannot hold (openpyxl refuses them) and a CSV reader has
# no use for (C0, DEL and C1); tab, line feed and carriage return stay, and the csv writer
# quotes every field that holds a line break, so none can end a record early.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_TITLE_MAX = 31

#: What Excel shows for a date and time; the importer reads it back the same way.
_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
_DATE_FORMAT = "yyyy-mm-dd"
_TIME_FORMAT = "hh:mm"

_Cell = None | bool | int | float | Decimal | dt.datetime | dt.date | dt.time | str


@dataclass(frozen=True)
class ExportFile:
    """A finished export: the bytes, their MIME type and a download filename such as
    ``foretag-2026-11-25.xlsx`` (ASCII only, so every browser keeps it)."""

    content: bytes
    content_type: str
    filename: str


def is_export_format(value: object) -> TypeGuard[ExportFormat]:
    """Whether ``value`` (say ``request.GET["format"]``) names a format :func:`export_table`
    writes; after a true answer the type checker knows it is an :data:`ExportFormat`."""
    return value in EXPORT_FORMATS


def neutralise(text: str) -> str:
    """``text`` safe to put in a spreadsheet cell: control characters removed and, if it
    starts like a formula (``= + - @``, tab or carriage return), a leading apostrophe added,
    so "=HYPERLINK(...)" is shown as the text "'=HYPERLINK(...)" and never run."""
    text = _CONTROL_CHARACTERS.sub("", text)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def sheet_title(title: str) -> str:
    """``title`` as Excel accepts a sheet name: none of ``[ ] : * ? / \\``, no apostrophe
    at either end, at most 31 characters, never empty."""
    cleaned = _SHEET_TITLE_FORBIDDEN.sub(" ", _CONTROL_CHARACTERS.sub("", title))
    cleaned = " ".join(cleaned.split()).strip("'")
    cleaned = cleaned[:_SHEET_TITLE_MAX].strip().strip("'")
    return cleaned or str(_("Export"))


def _cell(value: object) -> _Cell:
    """A value as a spreadsheet cell holds it: numbers, dates and booleans keep their type,
    everything else becomes neutralised text."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, dt.datetime):
        # Excel has no time zones: an aware time is shown as the clock in Sweden read it.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, dt.date | dt.time):
        return value
    return neutralise(str(value))


def _csv_text(value: _Cell, *, decimal_comma: bool) -> str:
    if isinstance(value, str):
        return value  # already neutralised by _cell
    text = cell_text(value)  # the same text the importer makes of an xlsx cell
    if decimal_comma and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        text = text.replace(".", ",")
    return text


def _filename(title: str, extension: str) -> str:
    # slugify folds å, ä and ö to a and o: an ASCII name survives every browser and OS.
    stem = slugify(title) or "export"
    return f"{stem}-{timezone.localdate().isoformat()}.{extension}"


def export_table(
    *,
    headers: Sequence[str | Promise],
    rows: Iterable[Sequence[object]],
    fmt: ExportFormat,
    title: str | Promise,
) -> ExportFile:
    """Export ``rows`` under ``headers`` as ``fmt``:

    - ``"xlsx"``: one sheet named after ``title`` (see :func:`sheet_title`), a bold and
      frozen header row with a filter, numbers stored as numbers, dates and times as dates
      (an aware datetime in Swedish local time), booleans as booleans.
    - ``"csv"``: UTF-8 with BOM, comma, decimal point.
    - ``"csv-semicolon"``: UTF-8 with BOM, semicolon, decimal comma: what Excel set to
      Swedish opens correctly with a double click.

    In every format each text cell (headers included) is passed through :func:`neutralise`;
    numbers are never touched. In CSV, dates are ISO ("2026-11-25", "2026-11-25 14:30") and
    booleans "SANT"/"FALSKT", as :func:`redthread.core.importing.read_table` reads an xlsx
    cell, so an export reads back with the same values. ``rows`` is consumed once, so a
    generator or ``queryset.iterator()`` will do. The filename is ``title`` slugified plus
    today's date in Sweden."""
    title = str(title)
    header_cells = [neutralise(str(header)) for header in headers]
    cells = ([_cell(value) for value in row] for row in rows)
    if fmt == "xlsx":
        return ExportFile(
            content=_xlsx(header_cells, cells, title),
            content_type=XLSX_CONTENT_TYPE,
            filename=_filename(title, "xlsx"),
        )
    if fmt in ("csv", "csv-semicolon"):
        semicolon = fmt == "csv-semicolon"
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";" if semicolon else ",", lineterminator="\r\n")
        writer.writerow(header_cells)
        for row in cells:
            writer.writerow([_csv_text(value, decimal_comma=semicolon) for value in row])
        # The BOM is how Excel knows the file is UTF-8; without it å, ä and ö are garbled.
        return ExportFile(
            content=codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8"),
            content_type=CSV_CONTENT_TYPE,
            filename=_filename(title, "csv"),
        )
    raise ValueError(f"Unknown export format {fmt!r}; expected one of {EXPORT_FORMATS}")


def _xlsx(headers: list[str], rows: Iterable[list[_Cell]], title: str) -> bytes:
    from openpyxl import Workbook  # imported here: most requests never write a workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    # Write-only streams rows to a temporary file instead of holding every cell in memory.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title))
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        # Widths must be set before the first row in write-only mode, so they follow the
        # headers only: wide enough to read each header, never absurdly wide.
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(header) + 4, 10), 50)
    bold = Font(bold=True)
    header_row = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_row.append(cell)
    sheet.append(header_row)

    formats = {dt.datetime: _DATETIME_FORMAT, dt.date: _DATE_FORMAT, dt.time: _TIME_FORMAT}
    count, width = 0, len(headers)
    for row in rows:
        values: list[object] = []
        for value in row:
            number_format = formats.get(type(value))
            if number_format:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
                values.append(cell)
            else:
                values.append(value)
        sheet.append(values)
        count += 1
        width = max(width, len(values))
    if width:
        sheet.auto_filter.ref = f"A1:{get_column_letter(width)}{count + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class _SheetRow:
    values: list[_Cell]
    formats: Sequence[str | None]
    bold: bool
    note: bool = False  # a line of text under the table: it does not widen the column


@dataclass
class Sheet:
    """One sheet of a workbook made of several (:func:`export_workbook`): an optional
    title (row 1, large and bold) and subtitle (row 2, italic), then a table under a bold,
    frozen header row (row 4 when there is a title, else row 1), and lines of text under it.

    Rows are added with :meth:`append`, each with Excel number formats per column (take
    them from ``redthread.core.formats``: ``XLSX_INTEGER``, ``xlsx_decimals(2)``, …);
    values pass through the same cell rules as :func:`export_table` (numbers stay numbers,
    text is neutralised)."""

    name: str
    headers: Sequence[str | Promise]
    title: str | Promise = ""
    subtitle: str | Promise = ""
    rows: list[_SheetRow] = field(default_factory=list)

    def append(
        self, values: Sequence[object], formats: Sequence[str | None] = (), *, bold: bool = False
    ) -> None:
        """A row; ``formats[i]`` is the number format of column ``i`` (``None``: Excel's)."""
        self.rows.append(_SheetRow([_cell(value) for value in values], formats, bold))

    def text(self, text: str | Promise) -> None:
        """A line of text in the first column (a note under the table); it runs over the
        cells to its right and does not widen the column."""
        self.rows.append(_SheetRow([_cell(str(text))], (), bold=False, note=True))


def _shown_width(value: _Cell) -> int:
    """About how many characters a cell shows, for the column's width."""
    if value is None:
        return 0
    if isinstance(value, float | Decimal):
        return len(f"{value:,.2f}")
    return len(str(value))


def export_workbook(*, sheets: Sequence[Sheet], title: str | Promise) -> ExportFile:
    """An Excel workbook of ``sheets`` in order, each laid out as :class:`Sheet` says,
    its columns as wide as their content (within 10 and 60 characters). The filename is
    ``title`` slugified plus today's date, as :func:`export_table` names its files."""
    from openpyxl import Workbook  # imported here: most requests never write a workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for sheet in sheets:
        page = workbook.create_sheet(title=sheet_title(sheet.name))
        header_row = 1
        if sheet.title or sheet.subtitle:
            page["A1"] = neutralise(str(sheet.title))
            page["A1"].font = Font(bold=True, size=14)
            page["A2"] = neutralise(str(sheet.subtitle))
            page["A2"].font = Font(italic=True)
            header_row = 4
        widths = [len(str(header)) for header in sheet.headers]
        for column, header in enumerate(sheet.headers, start=1):
            cell = page.cell(row=header_row, column=column, value=neutralise(str(header)))
            cell.font = bold
        page.freeze_panes = page.cell(row=header_row + 1, column=1)
        for offset, row in enumerate(sheet.rows, start=1):
            for column, value in enumerate(row.values, start=1):
                cell = page.cell(row=header_row + offset, column=column, value=value)
                number_format = row.formats[column - 1] if column <= len(row.formats) else None
                if number_format and isinstance(value, int | float | Decimal):
                    cell.number_format = number_format
                if row.bold:
                    cell.font = bold
                if row.note:
                    continue
                if column > len(widths):
                    widths.append(0)
                widths[column - 1] = max(widths[column - 1], _shown_width(value))
        for column, width in enumerate(widths, start=1):
            page.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 10), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return ExportFile(
        content=buffer.getvalue(),
        content_type=XLSX_CONTENT_TYPE,
        filename=_filename(str(title), "xlsx"),
    )


def export_response(export_file: ExportFile) -> HttpResponse:
    """An HTTP response that downloads ``export_file`` under its filename. It is marked
    ``no-store``: exports hold data that must not stay in shared or browser caches."""
    response = HttpResponse(export_file.content, content_type=export_file.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=export_file.filename
    )
    response["Cache-Control"] = "no-store"
    return response
