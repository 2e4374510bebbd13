"""Reading an uploaded CSV or XLSX file into a :class:`Table` of text: the first step of
every import (see :mod:`redthread.core.importing`)."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from redthread.core import formats

#: The most data rows :func:`read_table` accepts unless the caller says otherwise.
DEFAULT_MAX_ROWS = 100_000

# Magic bytes. A zip archive is how every xlsx starts; OLE2 is the old binary .xls (and .doc).
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_XLSX_EXTENSIONS = (".xlsx", ".xlsm")

#: The delimiters a CSV file may use, in the order ties are broken.
_DELIMITERS = (";", "\t", ",")

# C0 control characters that never occur in text files (tab, LF, VT, FF, CR and the DOS
# end-of-file mark 0x1A are left out). Text has none of them; random binary ~10 % of bytes.
_BINARY_BYTES = frozenset([*range(0x09), *range(0x0E, 0x1A), *range(0x1B, 0x20)])


class ImportFileError(Exception):
    """The file as a whole cannot be read. ``message`` is Swedish (or the active language)
    text that tells the user what is wrong and what to do; show it as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class SourceRow:
    """One row below the header.

    ``number`` is the row number a spreadsheet shows for it (the header is normally row 1,
    the first data row 2). Blank lines count; a CSV record with a line break inside a
    quoted field is one row. ``values`` has exactly one stripped string per header."""

    number: int
    values: list[str]

    @property
    def is_blank(self) -> bool:
        """Every cell is empty or whitespace: report the row as skipped."""
        return not any(value.strip() for value in self.values)


@dataclass
class Table:
    """A file read into text. ``headers`` are unique and non-empty; every row has as many
    values as there are headers. ``sheet_names`` lists an XLSX file's worksheets (empty for
    CSV); ``encoding`` and ``delimiter`` say how a CSV file was read (None for XLSX)."""

    headers: list[str]
    rows: list[SourceRow]
    sheet_names: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None


# --- Reading files ------------------------------------------------------------------------


def read_table(
    data: bytes,
    filename: str,
    *,
    sheet: str | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> Table:
    """Read an uploaded CSV or XLSX file into a :class:`Table`.

    An XLSX file is recognised by its ``filename`` ending in ``.xlsx``/``.xlsm`` or by its
    content (a zip archive); anything else is read as CSV. For XLSX the first worksheet is
    read, or the one named ``sheet``. For CSV the encoding is UTF-8 (with or without BOM),
    UTF-16 with BOM (Excel's "Unicode text") or Windows-1252; the delimiter is ``;``, ``,``
    or tab.

    The first non-blank row is the header. Blank rows inside the data are kept (see
    :attr:`SourceRow.is_blank`) so the caller can report them; blank rows after the last
    data row are dropped, since spreadsheets often carry formatted but empty rows there.
    A file with a header and no data is a table with no rows, not an error.

    Raises :class:`ImportFileError` for an empty file, a file that is neither CSV nor
    XLSX, a damaged XLSX, an unknown sheet, an unrecognised encoding, or more than
    ``max_rows`` data rows."""
    if not data:
        raise ImportFileError(_("Filen är tom."))
    name = filename.lower().strip()
    if data.startswith(_ZIP_MAGIC) or name.endswith(_XLSX_EXTENSIONS):
        return _read_xlsx(data, sheet=sheet, max_rows=max_rows)
    if data.startswith(_OLE2_MAGIC):
        raise ImportFileError(
            _(
                "Filen verkar vara i det äldre Excel-formatet (.xls). Spara den som "
                "Excel-arbetsbok (.xlsx) eller som ”CSV UTF-8” och försök igen."
            )
        )
    if data.startswith(b"%PDF"):
        # Most PDFs hold binary streams and fail the text test, but some are pure ASCII.
        raise _not_a_table_error()
    return _read_csv(data, max_rows=max_rows)


def _not_a_table_error() -> ImportFileError:
    return ImportFileError(
        _(
            "Filen är varken en CSV-fil eller en Excel-arbetsbok (.xlsx). Spara den som "
            "Excel-arbetsbok eller som ”CSV UTF-8” och försök igen."
        )
    )


def _decode(data: bytes) -> tuple[str, str]:
    """The text and the name of the encoding it was read with."""
    # A BOM is the file saying what it is: trust it. Excel's "CSV UTF-8" writes one.
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        sample = data[:8192]
        if sum(byte in _BINARY_BYTES for byte in sample) > len(sample) // 100:
            raise _not_a_table_error()
        # Valid UTF-8 is almost never accidental for Windows-1252 text with å, ä or ö, so
        # UTF-8 first; Windows-1252 is what Swedish Excel writes for plain "CSV".
        candidates = ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            return data.decode(encoding, errors="strict"), encoding
        except UnicodeDecodeError:
            continue
    # Only reachable through the five bytes Windows-1252 leaves undefined, or a BOM that lies.
    raise ImportFileError(
        _(
            "Teckenkodningen i filen kunde inte kännas igen. Öppna filen i Excel och spara "
            "den som ”CSV UTF-8 (kommaavgränsad)”, och försök igen."
        )
    )


def _first_record(text: str) -> str:
    """The first non-blank record of CSV text, quotes and all, without its line end."""
    start = 0
    while True:
        end = _record_end(text, start)
        if text[start:end].strip() or end >= len(text):
            return text[start:end]
        start = end + 1


def _record_end(text: str, start: int) -> int:
    in_quotes = False
    for index in range(start, len(text)):
        char = text[index]
        if char == '"':
            in_quotes = not in_quotes
        elif char in "\r\n" and not in_quotes:
            return index
    return len(text)


def _count_outside_quotes(record: str, char: str) -> int:
    count, in_quotes = 0, False
    for c in record:
        if c == '"':
            in_quotes = not in_quotes
        elif c == char and not in_quotes:
            count += 1
    return count


def _detect_delimiter(text: str) -> str:
    """The delimiter of CSV text, judged by the header line first.

    The header line is the best evidence there is: it holds names, rarely numbers. A lone
    candidate in it decides. With several ("Namn;Omsättning, tkr"), the one that splits the
    most of the first rows into as many cells as it splits the header wins, and a tie goes
    to ``;``, then tab, then ``,``: a comma inside a value (a decimal comma, "AB, filial")
    is far commoner than a semicolon. With none, the file has one column, read with the
    candidate rarest in the rows so that no value is split.

    ``csv.Sniffer`` is deliberately not used: on ties it prefers the comma, so it reads
    "Namn;Omsättning, tkr" over rows like "A;1,5" as comma-separated, and it splits a
    one-column file of names such as "Volvo, Göteborg" into two columns."""
    header = _first_record(text)
    candidates = [d for d in _DELIMITERS if _count_outside_quotes(header, d)]
    if len(candidates) == 1:
        return candidates[0]
    sample = text[:65536]
    if not candidates:
        return min(_DELIMITERS, key=lambda d: _count_outside_quotes(sample, d))
    lines = sample.splitlines(keepends=True)
    if len(sample) < len(text) and len(lines) > 1:
        lines.pop()  # the sample may end inside a record

    def score(delimiter: str) -> int:
        records = [r for r in csv.reader(lines, delimiter=delimiter) if any(c.strip() for c in r)]
        if not records:
            return 0
        width = len(records[0])
        return sum(len(record) == width for record in records[1:101])

    return max(candidates, key=score)  # max keeps the first of equals: the order above


def _read_csv(data: bytes, *, max_rows: int) -> Table:
    text, encoding = _decode(data)
    # The DOS end-of-file mark some old programs still append is not data.
    text = text.rstrip("\x1a")
    if not text.strip():
        raise _no_header_error()
    delimiter = _detect_delimiter(text)
    # newline="" leaves line ends to the csv module, so a quoted cell keeps its line break
    # and a record stays one row whatever its line ends (\n, \r\n or an old Mac's \r).
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    last_read = [0]

    def records() -> Iterator[tuple[int, list[str]]]:
        for index, record in enumerate(reader, start=1):
            last_read[0] = index
            yield index, record

    try:
        table = _build_table(records(), max_rows=max_rows)
    except csv.Error as error:  # e.g. a cell longer than csv.field_size_limit()
        raise ImportFileError(
            _("Rad %(row)s i filen kunde inte läsas som CSV.") % {"row": last_read[0] + 1}
        ) from error
    table.encoding = encoding
    table.delimiter = delimiter
    return table


def _read_xlsx(data: bytes, *, sheet: str | None, max_rows: int) -> Table:
    import openpyxl  # imported here: most requests never read a workbook

    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception as error:
        # openpyxl raises whatever its zip, XML and style parsers raise on a damaged file
        # (BadZipFile, KeyError, ValueError, TypeError, ...): all mean the same to the user.
        raise _corrupt_xlsx_error() from error
    try:
        worksheets = workbook.worksheets  # chart sheets hold no cells and are left out
        sheet_names = [ws.title for ws in worksheets]
        if not worksheets:
            raise _corrupt_xlsx_error()
        worksheet = worksheets[0] if sheet is None else _find_sheet(worksheets, sheet)
        # The stored dimensions are often wrong in files other programs wrote; without
        # them openpyxl reads every row and cell that is actually there.
        worksheet.reset_dimensions()
        try:
            rows = (
                (index, [cell_text(value) for value in values])
                for index, values in enumerate(worksheet.iter_rows(values_only=True), start=1)
            )
            table = _build_table(rows, max_rows=max_rows)
        except ImportFileError:
            raise
        except Exception as error:
            # Read-only mode parses lazily: a damaged sheet shows only while iterating, as
            # any of the errors the zip and XML parsers raise.
            raise _corrupt_xlsx_error() from error
    finally:
        workbook.close()
    table.sheet_names = sheet_names
    return table


def _find_sheet(worksheets: Sequence[Any], name: str) -> Any:
    for ws in worksheets:
        if ws.title == name:
            return ws
    # A user picking "blad2" for "Blad2" means it; an exact match above still wins.
    wanted = name.strip().casefold()
    for ws in worksheets:
        if ws.title.strip().casefold() == wanted:
            return ws
    raise ImportFileError(
        _("Bladet ”%(sheet)s” finns inte i filen. Bladen i filen: %(sheets)s.")
        % {
            "sheet": name,
            "sheets": ", ".join(f"”{ws.title}”" for ws in worksheets),
        }
    )


def _corrupt_xlsx_error() -> ImportFileError:
    return ImportFileError(
        _(
            "Filen kunde inte läsas som en Excel-arbetsbok (.xlsx). Den kan vara skadad eller "
            "i ett annat format. Spara den som Excel-arbetsbok eller som ”CSV UTF-8” och "
            "försök igen."
        )
    )


def _no_header_error() -> ImportFileError:
    return ImportFileError(
        _("Filen innehåller inga rader. Den första raden ska innehålla kolumnrubriker.")
    )


def _too_many_rows_error(max_rows: int) -> ImportFileError:
    return ImportFileError(
        _(
            "Filen har fler än %(limit)s rader. Dela upp den i flera filer med högst "
            "%(limit)s rader var."
        )
        % {"limit": formats.number(max_rows)}
    )


def _clean(value: str) -> str:
    # Every line end becomes "\n", as XML makes it in an xlsx cell. NFC: macOS writes "ö"
    # as "o" plus a combining mark, which would not match "ö" in a header or a lookup.
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", value).strip()


def _build_table(records: Iterable[tuple[int, Sequence[str]]], *, max_rows: int) -> Table:
    """Headers and rows from (row number, raw values) pairs, shared by CSV and XLSX."""
    iterator: Iterator[tuple[int, Sequence[str]]] = iter(records)
    raw_headers: list[str] | None = None
    for _number, values in iterator:
        cleaned = [_clean(v) for v in values]
        if any(cleaned):
            raw_headers = cleaned
            break
    if raw_headers is None:
        raise _no_header_error()
    while raw_headers and not raw_headers[-1]:
        raw_headers.pop()  # the empty cells an XLSX row carries to the sheet's last column
    headers = _unique_headers(raw_headers)

    rows: list[SourceRow] = []
    pending_blank: list[SourceRow] = []  # blank rows kept only if data follows them
    for number, values in iterator:
        cleaned = [_clean(v) for v in values]
        while cleaned and not cleaned[-1]:
            cleaned.pop()
        if not cleaned:
            pending_blank.append(SourceRow(number, []))
            continue
        rows.extend(pending_blank)
        pending_blank.clear()
        if len(cleaned) > len(headers):
            # Data beyond the last header is not dropped: it gets a column of its own.
            headers = _unique_headers(headers + [""] * (len(cleaned) - len(headers)))
        rows.append(SourceRow(number, cleaned))
        if len(rows) > max_rows:
            raise _too_many_rows_error(max_rows)
    width = len(headers)
    return Table(
        headers=headers,
        rows=[SourceRow(row.number, row.values + [""] * (width - len(row.values))) for row in rows],
    )


def _unique_headers(raw: Sequence[str]) -> list[str]:
    """Each header stripped and with inner whitespace collapsed (a wrapped "Antal
    anställda" reads as one line); an empty one is named after its position ("Kolumn 3"),
    a repeated one gets its position added ("Namn (kolumn 3)")."""
    headers: list[str] = []
    seen: set[str] = set()
    for index, value in enumerate(raw, start=1):
        header = " ".join(value.split())
        if not header:
            header = _("Kolumn %(number)s") % {"number": index}
        elif header.casefold() in seen:
            header = _("%(header)s (kolumn %(number)s)") % {"header": header, "number": index}
        # A generated name can still collide with a real header called "Kolumn 3".
        candidate, suffix = header, 2
        while candidate.casefold() in seen:
            candidate = f"{header} ({suffix})"
            suffix += 1
        seen.add(candidate.casefold())
        headers.append(candidate)
    return headers


def cell_text(value: object) -> str:
    """A cell value as the text a person sees in the spreadsheet.

    ``None`` is ""; whole numbers have no ".0" (also when Excel stored them as floats, as it
    does with every number); other numbers use a decimal point, rounded to the 15
    significant digits Excel shows, never in exponent form; a date is ISO (2026-11-25), a
    date and time "2026-11-25 14:30" (seconds only when there are any), a time "14:30";
    ``True``/``False`` are "SANT"/"FALSKT" as in Swedish Excel; text is stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "SANT" if value else "FALSKT"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        return _plain_decimal(Decimal(format(value, ".15g")))
    if isinstance(value, Decimal):
        return _plain_decimal(value) if value.is_finite() else ""
    if isinstance(value, dt.datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    return str(value).strip()


def _plain_decimal(value: Decimal) -> str:
    """Fixed-point text without trailing zeros: 12345.5, 100000000000000000000, 0.00001."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
