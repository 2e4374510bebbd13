"""One importer framework: read a CSV or XLSX file into a :class:`Table`, guess which column
holds which field, parse Swedish and English numbers, and report row by row what happened.

The apps above ``core`` (the company registry first) build their imports on this module:

1. :func:`read_table` turns uploaded bytes into headers and rows of text, or raises
   :class:`ImportFileError` with a message that can be shown to the user as it is.
2. :func:`guess_mapping` proposes which column feeds which :class:`ImportField`;
   :func:`validate_mapping` checks the mapping the user confirmed.
3. The app validates each :class:`SourceRow` (with :func:`parse_number` / :func:`parse_int`
   for numbers) and records a :class:`RowVerdict` per row in an :class:`ImportReport`.

Every message meant for a user is Swedish source text through gettext.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, TypedDict

from django.conf import settings
from django.utils import translation
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .models import ImportJob

__all__ = [
    "DEFAULT_MAX_ROWS",
    "ImportField",
    "ImportFileError",
    "ImportReport",
    "ImportReportDict",
    "RowStatus",
    "RowVerdict",
    "SourceRow",
    "Table",
    "cell_text",
    "guess_mapping",
    "normalise_header",
    "parse_int",
    "parse_number",
    "read_table",
    "validate_mapping",
]

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
        % {"limit": number_format(max_rows, force_grouping=True)}
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


# --- Numbers --------------------------------------------------------------------------------

# Normal, non-breaking, narrow non-breaking, thin and figure space all group thousands.
_SPACES = str.maketrans(dict.fromkeys("\u00a0\u202f\u2009\u2007", " "))
# Unicode minus and the en dash Word puts in for a typed hyphen both mean minus.
_MINUSES = str.maketrans(dict.fromkeys("\u2212\u2013", "-"))
# Only words that mean plain kronor. "tkr" and "mkr" mean thousands and millions: they are
# refused rather than silently read 1 000 or 1 000 000 times too small.
_CURRENCY_PREFIXES = ("sek", "kr.", "kr")
_CURRENCY_SUFFIXES = (":-", ",-", "sek", "kr.", "kr")
_DIGITS = re.compile(r"[0-9]*")
_GROUPED = re.compile(r"[0-9]{1,3}(?:[ .,][0-9]{3})*")


@dataclass(frozen=True)
class _Number:
    value: Decimal
    digits: str  # every digit, in order, without separators
    fraction: str  # the digits after the decimal separator
    #: A lone separator followed by exactly three digits ("1,234", "1.234"): also the way
    #: another convention writes a whole number.
    ambiguous: bool


def _number_error(text: str) -> ValueError:
    shown = text.strip()
    if len(shown) > 40:
        shown = shown[:40] + "…"
    return ValueError(
        _("”%(value)s” är inte ett tal. Skriv till exempel 12 345 eller 12 345,50.")
        % {"value": shown}
    )


def _parse(text: str) -> _Number:
    s = text.translate(_SPACES).translate(_MINUSES).strip()
    if not s:
        raise ValueError(_("Ett tal saknas."))
    sign = ""
    currency = False
    for _round in range(2):  # "-12 kr", "SEK -12", "kr 12": sign and currency in any order
        if s and s[0] in "+-" and not sign:
            sign, s = s[0], s[1:].lstrip()
        lowered = s.casefold()
        for prefix in _CURRENCY_PREFIXES:
            if not currency and lowered.startswith(prefix):
                s, currency = s[len(prefix) :].lstrip(), True
                break
    lowered = s.casefold()
    for suffix in _CURRENCY_SUFFIXES:
        if not currency and lowered.endswith(suffix):
            s, currency = s[: -len(suffix)].rstrip(), True
            break
    if not s or not set(s) <= set("0123456789 .,"):
        raise _number_error(text)

    commas, dots = s.count(","), s.count(".")
    decimal_sep: str | None
    if commas and dots:
        # Both: the one that comes last separates the decimals, the other groups thousands
        # ("1.234.567,89", "1,234,567.89").
        decimal_sep = "," if s.rfind(",") > s.rfind(".") else "."
        if s.count(decimal_sep) > 1:
            raise _number_error(text)
    elif commas == 1 or dots == 1:
        # A lone separator is a decimal one: "12,5", "12.5" and, Swedish first, "1,234".
        decimal_sep = "," if commas else "."
    else:
        decimal_sep = None  # no separator, or one repeated: "1,234,567", "1.234.567"
    integer, _sep, fraction = s.partition(decimal_sep) if decimal_sep else (s, "", "")
    separators = {c for c in integer if c in " .,"}
    if len(separators) > 1 or (separators and not _GROUPED.fullmatch(integer)):
        raise _number_error(text)  # mixed grouping, or groups that are not of three digits
    integer_digits = "".join(c for c in integer if c.isdigit())
    if not _DIGITS.fullmatch(fraction) or (decimal_sep and not fraction):
        raise _number_error(text)
    if not integer_digits and not fraction:
        raise _number_error(text)
    # The constructor is exact at any length; arithmetic would round to the context.
    value = Decimal(f"{sign}{integer_digits or '0'}" + (f".{fraction}" if fraction else ""))
    ambiguous = (
        decimal_sep is not None
        and not separators
        and commas + dots == 1
        and len(fraction) == 3
        and 1 <= len(integer_digits) <= 3
        and not integer_digits.startswith("0")
    )
    return _Number(value, integer_digits + fraction, fraction, ambiguous)


def parse_number(text: str) -> Decimal:
    """A number written the Swedish or the English way, as a :class:`~decimal.Decimal`.

    Accepted: thousands grouped by spaces (normal, non-breaking U+00A0, narrow U+202F),
    by dots ("1.234.567,89") or by commas ("1,234,567.89"); a decimal comma or point;
    a leading "+" or "-" (also the Unicode minus "−"); and the currency words "kr", "SEK"
    and the price endings ":-" and ",-" before or after the number ("12 345 kr",
    "SEK 12 345", "495:-"). Not accepted: "tkr"/"mkr" (a different unit), exponents,
    per cent signs, and groups of other than three digits; these raise ``ValueError``
    with a Swedish message for the user.

    Ambiguity: a lone comma or dot followed by exactly three digits ("1,234", "1.234") is
    a *decimal* separator, so both are 1.234. Our users are Swedish, and in a Swedish file
    "1,234" is one point two three four; a comma that groups thousands is recognised only
    when there are two or more ("1,234,567") or a decimal point follows ("1,234.5").
    "SEK 12,345" is therefore 12.345. :func:`parse_int` refuses these forms instead of
    guessing."""
    return _parse(text).value


def parse_int(text: str) -> int:
    """A whole number written as :func:`parse_number` accepts it ("12 345", "1,234,567",
    "12,0"). Raises ``ValueError`` with a Swedish message for anything else, including a
    value with decimals and the ambiguous "1,234" (1.234 or 1234?), which an integer column
    must not guess about."""
    number = _parse(text)
    shown = text.strip()
    if number.ambiguous:
        raise ValueError(
            _(
                "”%(value)s” är inte ett entydigt heltal. Om du menar %(number)s, skriv "
                "det utan komma och punkt."
            )
            % {"value": shown, "number": number.digits}
        )
    if number.value != number.value.to_integral_value():
        raise ValueError(_("”%(value)s” är inte ett heltal.") % {"value": shown})
    return int(number.value)


# --- Column mapping -------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportField:
    """A field an import fills. ``key`` is the program's name; ``label`` is shown to the
    user; ``synonyms`` are other headers that mean this field, in any language and
    spelling (they are normalised with :func:`normalise_header`)."""

    key: str
    label: str | Promise
    synonyms: tuple[str, ...] = ()
    required: bool = False


def normalise_header(text: str) -> str:
    """A header reduced for comparison: case folded, letters and digits only (å, ä, ö and
    other letters kept; spaces, dots, hyphens and punctuation removed).
    "Org.nr" → "orgnr", "Antal anställda" → "antalanställda"."""
    folded = unicodedata.normalize("NFC", str(text)).casefold()
    return "".join(c for c in folded if c.isalnum())


def _field_names(import_field: ImportField) -> set[str]:
    names = {import_field.key, *import_field.synonyms}
    # The label in every language the site speaks, so that an English file matches the
    # English label while the user works in Swedish, and the other way round.
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(str(import_field.label))
    return {n for n in map(normalise_header, names) if n}


def guess_mapping(headers: Sequence[str], fields: Sequence[ImportField]) -> dict[int, str]:
    """A proposed mapping from column index (0-based) to field key.

    A column matches a field when its normalised header equals the field's normalised key,
    label (in each of ``settings.LANGUAGES``) or a synonym. Failing that, a header that
    *starts with* one of those names of at least four letters matches ("Omsättning (tkr)",
    "Antal anställda 2024"), but only after every exact match has been made, so
    "Kommunkod" goes to a field named "Kommunkod" before a field named "Kommun" can take it.
    Each field gets at most one column and each column at most one field: the first
    field in ``fields`` order, and the leftmost column, win. Unmatched columns are left out.
    The result is a guess for the user to confirm, never a decision."""
    normalised = [normalise_header(h) for h in headers]
    names = {f.key: _field_names(f) for f in fields}
    mapping: dict[int, str] = {}
    for exact in (True, False):
        for import_field in fields:
            if import_field.key in mapping.values():
                continue
            for index, header in enumerate(normalised):
                if index in mapping or not header:
                    continue
                if exact:
                    hit = header in names[import_field.key]
                else:
                    hit = any(
                        len(name) >= 4 and header.startswith(name)
                        for name in names[import_field.key]
                    )
                if hit:
                    mapping[index] = import_field.key
                    break
    return dict(sorted(mapping.items()))


def validate_mapping(
    mapping: Mapping[int, str],
    fields: Sequence[ImportField],
    *,
    headers: Sequence[str] | None = None,
) -> list[str]:
    """Swedish messages for what is wrong with a mapping the user confirmed; empty when
    it can be used. Reported: a column mapped to a field that does not exist, a field
    mapped from more than one column, and a required field no column is mapped to.
    An empty key means "ignore this column". With ``headers`` the messages name columns
    by header, otherwise by number (1 for the first column)."""
    by_key = {f.key: f for f in fields}
    columns: dict[str, list[int]] = {}
    messages: list[str] = []

    def column_name(index: int) -> str:
        if headers is not None and 0 <= index < len(headers):
            return f"”{headers[index]}”"
        return str(index + 1)

    for index, key in sorted(mapping.items()):
        if not key:
            continue
        if key not in by_key:
            messages.append(
                _("Kolumn %(column)s är kopplad till ett okänt fält.")
                % {"column": column_name(index)}
            )
            continue
        columns.setdefault(key, []).append(index)
    for import_field in fields:
        used = columns.get(import_field.key, [])
        if len(used) > 1:
            messages.append(
                _(
                    "Fältet ”%(field)s” är kopplat till flera kolumner (%(columns)s). "
                    "Välj en av dem."
                )
                % {
                    "field": import_field.label,
                    "columns": ", ".join(column_name(i) for i in used),
                }
            )
        elif not used and import_field.required:
            messages.append(
                _("Fältet ”%(field)s” måste kopplas till en kolumn.")
                % {"field": import_field.label}
            )
    return messages


# --- The report -----------------------------------------------------------------------------

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


def import_job_progress(job: Any) -> Callable[[int, int], None]:
    """A progress callback that saves to the job row."""
    from .models import ImportJob

    def report(done: int, total: int) -> None:
        # An UPDATE of its own, outside any write transaction, so the progress page sees it.
        ImportJob.objects.filter(pk=job.pk).update(progress_done=done, progress_total=total)

    return report


def import_job_run(
    job: ImportJob,
    *,
    write: bool,
    check: Callable[[Table, dict[int, str], Callable[[int, int], None]], Any],
    write_rows: Callable[[Any], dict[str, Any]],
    summary: Callable[[Any], dict[str, Any]] = lambda result: {},
) -> ImportJob:
    """Runs an import job, whatever it imports: reads its file, checks every row with
    ``check`` (table, mapping, progress → a result with an ``ImportReport`` as ``report``)
    and, with ``write``, writes with ``write_rows`` (in one transaction of its own: a
    failure half-way leaves nothing). The job ends CHECKED, DONE or FAILED with a message
    in Swedish; an unexpected error is logged, never shown."""
    import logging

    from django.utils import timezone
    from django.utils.translation import gettext as _

    from .models import ImportStatus

    try:
        table = read_table(bytes(job.content), job.filename, sheet=job.sheet or None)
        mapping = {int(k): v for k, v in job.mapping.items()}
        result = check(table, mapping, import_job_progress(job))
        written = write_rows(result) if write else {}
    except ImportFileError as error:
        job.status, job.error = ImportStatus.FAILED, str(error)
    except Exception:
        logging.getLogger(__name__).exception("Import job %s failed", job.pk)
        job.status = ImportStatus.FAILED
        job.error = _(
            "Importen avbröts av ett oväntat fel. Ingenting har sparats. Försök igen, och "
            "kontakta programkontoret om felet kvarstår."
        )
    else:
        job.report = {**result.report.as_dict(key_name="orgnr"), **summary(result), **written}
        job.status = ImportStatus.DONE if write else ImportStatus.CHECKED
        job.progress_done = job.progress_total = len(table.rows)
    job.finished = (
        timezone.now() if job.status in {ImportStatus.DONE, ImportStatus.FAILED} else None
    )
    job.save()
    return job
