"""The importer framework: real files in, a Table or a clear Swedish message out."""

from __future__ import annotations

import codecs
import csv
import io
import random
import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.chart import BarChart, Reference

from redthread.core.importing import (
    ImportFileError,
    Table,
    cell_text,
    read_table,
)

from .helpers import error_of, shape

# --- CSV ------------------------------------------------------------------------------------

HEADERS = ["Org.nr", "Företagsnamn", "Kommun", "Omsättning", "Antal anställda"]
ROWS = [
    ["556036-0793", "Testverkstaden AB", "Göteborg", "12 345,50", "12"],
    ["5560360794", "Åkessons Smide; Lack & Co", "Örebro", "1 234 567", "250"],
    ["", "", "", "", ""],
    ["5560360795", "Ölands Verktyg, Kvarn och Såg", "Mörbylånga", "-3", "0"],
]
EXPECTED = (
    HEADERS,
    [(2, ROWS[0]), (3, ROWS[1]), (4, ROWS[2]), (5, ROWS[3])],
)


def csv_bytes(delimiter: str, encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in ROWS:
        # An empty row is an empty line, the way a spreadsheet saves it.
        if any(row):
            writer.writerow(row)
        else:
            buffer.write("\r\n")
    return buffer.getvalue().encode(encoding)


@pytest.mark.parametrize(
    ("delimiter", "encoding", "read_as"),
    [
        (";", "cp1252", "cp1252"),  # Swedish Excel's plain "CSV"
        (";", "utf-8-sig", "utf-8-sig"),  # Excel's "CSV UTF-8"
        (",", "utf-8", "utf-8"),  # what most programs write
        ("\t", "utf-16", "utf-16"),  # Excel's "Unicode text"
    ],
)
def test_the_same_table_whatever_the_encoding_and_delimiter(delimiter, encoding, read_as):
    table = read_table(csv_bytes(delimiter, encoding), "foretag.csv")
    assert shape(table) == EXPECTED
    assert table.encoding == read_as
    assert table.delimiter == delimiter
    assert table.sheet_names == []
    assert [row.is_blank for row in table.rows] == [False, False, True, False]


def test_a_messy_windows_1252_file():
    data = (
        ' Org.nr ;;Namn;namn;"Antal\nanställda"\r\n'
        "556036-0793 ; x ;Testverkstaden AB;TVAB; 12 \r\n"
        ";;;;\r\n"
        '5560360794;;"Två\r\nrader";;3;överskott\r\n'
        "\r\n"
        "\r\n"
    ).encode("cp1252")
    table = read_table(data, "export.CSV")
    assert table.encoding == "cp1252"
    assert table.delimiter == ";"
    # Headers stripped, whitespace collapsed, empty and repeated ones named; a value beyond
    # the last header gets a column of its own.
    assert table.headers == [
        "Org.nr",
        "Kolumn 2",
        "Namn",
        "namn (kolumn 4)",
        "Antal anställda",
        "Kolumn 6",
    ]
    assert shape(table)[1] == [
        (2, ["556036-0793", "x", "Testverkstaden AB", "TVAB", "12", ""]),
        (3, ["", "", "", "", "", ""]),
        (4, ["5560360794", "", "Två\nrader", "", "3", "överskott"]),
    ]
    assert table.rows[1].is_blank


def test_semicolon_file_with_a_decimal_comma_in_every_row():
    # Every row has exactly one comma: csv.Sniffer alone may take the comma.
    data = b"Namn;Oms\xe4ttning\r\nA;1,5\r\nB;2,5\r\nC;3,5\r\n"
    table = read_table(data, "x.csv")
    assert table.delimiter == ";"
    assert table.headers == ["Namn", "Omsättning"]
    assert [row.values for row in table.rows] == [["A", "1,5"], ["B", "2,5"], ["C", "3,5"]]


def test_a_header_with_several_candidate_delimiters():
    table = read_table("Namn;Omsättning, tkr\nA;1,5\nB;2,5\n".encode(), "x.csv")
    assert table.delimiter == ";"
    assert table.headers == ["Namn", "Omsättning, tkr"]
    table = read_table(b"Name,Comment; free text\nA,x\nB,y; z\n", "x.csv")
    assert table.delimiter == ","
    assert table.headers == ["Name", "Comment; free text"]
    table = read_table(b'"Namn, f\xc3\xb6retag"\tOrt,l\xc3\xa4n\nA, AB\tB\n', "x.tsv")
    assert shape(table) == (["Namn, företag", "Ort,län"], [(2, ["A, AB", "B"])])


def test_a_file_with_one_column():
    table = read_table("Företagsnamn\nVolvo, Göteborg\nSaab; Linköping\n".encode(), "x.csv")
    assert shape(table) == (
        ["Företagsnamn"],
        [(2, ["Volvo, Göteborg"]), (3, ["Saab; Linköping"])],
    )


def test_row_numbers_count_blank_lines_and_records_not_physical_lines():
    data = b'\r\nNamn,Ort\r\n\r\nA,"Rad ett\r\nrad tv\xc3\xa5"\r\nB,C\nD,E\rF,G\r\n\r\n\r\n'
    table = read_table(data, "x.csv")
    # The header is the first non-blank row (row 2 here); the quoted line break keeps
    # "A" one row; \n, \r\n and a lone \r all end a record; trailing blank lines go.
    assert shape(table) == (
        ["Namn", "Ort"],
        [
            (3, ["", ""]),
            (4, ["A", "Rad ett\nrad två"]),
            (5, ["B", "C"]),
            (6, ["D", "E"]),
            (7, ["F", "G"]),
        ],
    )
    assert [row.number for row in table.rows if row.is_blank] == [3]


def test_an_empty_file_is_an_error():
    assert error_of(b"") == "Filen är tom."
    assert "inga rader" in error_of(b"\r\n \r\n;;\r\n")
    assert "inga rader" in error_of(codecs.BOM_UTF8)


def test_a_header_without_data_is_zero_rows():
    table = read_table(b"Org.nr;Namn\r\n", "x.csv")
    assert shape(table) == (["Org.nr", "Namn"], [])
    assert read_table(b"Org.nr;Namn\r\n\r\n\r\n", "x.csv").rows == []


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 20 >>\nstream\n\x00\x01\x02\x03\x04x",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",  # a PDF with no binary
        random.Random(7).randbytes(4096),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
    ],
    ids=["pdf", "ascii-pdf", "random", "png"],
)
def test_a_file_that_is_not_a_table(data):
    assert "varken en CSV-fil eller en Excel-arbetsbok" in error_of(data, "bilaga.csv")


def test_the_old_excel_format_is_named():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)
    assert ".xls" in error_of(data, "gammal.xls")


def test_bytes_windows_1252_leaves_undefined_ask_for_csv_utf8():
    message = error_of(b"Namn\r\nA\x81B\r\n")
    assert "Teckenkodningen" in message
    assert "CSV UTF-8" in message


@given(
    st.one_of(
        st.binary(max_size=300),
        st.text(alphabet=st.sampled_from('ab1,;\t"\r\n åö\x00\x81'), max_size=200).map(
            lambda text: text.encode("utf-8", errors="surrogatepass")
        ),
        st.binary(max_size=200).map(lambda tail: b"PK\x03\x04" + tail),
    ),
    st.sampled_from(["data.csv", "data.xlsx", "data"]),
)
def test_any_bytes_give_a_table_or_a_message(data, filename):
    problem = ""
    try:
        table: Table | None = read_table(data, filename)
    except ImportFileError as error:
        table, problem = None, error.message
    if table is None:
        assert problem
        return
    assert table.headers
    assert all(len(row.values) == len(table.headers) for row in table.rows)
    assert len(set(map(str.casefold, table.headers))) == len(table.headers)


def test_too_many_rows():
    data = b"Namn\r\n" + b"A\r\n" * 6
    assert len(read_table(data, "x.csv", max_rows=6).rows) == 6
    assert error_of(data, max_rows=5) == (
        "Filen har fler än 5 rader. Dela upp den i flera filer med högst 5 rader var."
    )
    # The limit is written the Swedish way.
    assert "100\xa0000" in error_of(b"Namn\r\n" + b"A\r\n" * 100_001)


# --- XLSX -----------------------------------------------------------------------------------


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    overview = workbook.active
    overview.title = "Översikt"
    overview.append(["Det här bladet är bara en översikt"])
    companies = workbook.create_sheet("Företag")
    companies.append(["Org.nr", "Namn", "Omsättning", "Anställda", "Registrerad", None, None])
    companies.append([5560360793, "Testverkstaden AB", 12345.5, 12.0, date(2020, 1, 2)])
    companies.append([])
    # Excel has no time zones: a workbook holds naive datetimes.
    at_half_past_one = datetime(2026, 3, 1, 13, 30)  # noqa: DTZ001
    midnight = datetime(2026, 3, 1)  # noqa: DTZ001
    companies.append(["556036-0794", "  Två\nrader  ", 0.1 + 0.2, 3, at_half_past_one])
    companies.append([None, "Utan nummer", 1e20, None, midnight])
    companies.cell(row=20, column=7).number_format = "0.00"  # formatted but empty
    chart = BarChart()
    chart.add_data(Reference(companies, min_col=3, min_row=1, max_row=5), titles_from_data=True)
    workbook.create_chartsheet("Diagram").add_chart(chart)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_reads_the_named_sheet_as_a_person_sees_it():
    table = read_table(xlsx_bytes(), "foretag.xlsx", sheet="Företag")
    assert table.sheet_names == ["Översikt", "Företag"]  # a chart sheet has no cells
    assert table.encoding is None
    assert table.delimiter is None
    assert shape(table) == (
        ["Org.nr", "Namn", "Omsättning", "Anställda", "Registrerad"],
        [
            (2, ["5560360793", "Testverkstaden AB", "12345.5", "12", "2020-01-02"]),
            (3, ["", "", "", "", ""]),
            (4, ["556036-0794", "Två\nrader", "0.3", "3", "2026-03-01 13:30"]),
            (5, ["", "Utan nummer", "100000000000000000000", "", "2026-03-01"]),
        ],
    )


def test_xlsx_reads_the_first_sheet_by_default_and_by_content():
    table = read_table(xlsx_bytes(), "named-wrongly.csv")
    assert table.headers == ["Det här bladet är bara en översikt"]
    assert table.rows == []
    assert read_table(xlsx_bytes(), "x.xlsx", sheet="företag").headers[0] == "Org.nr"


def test_an_unknown_sheet_lists_the_sheets():
    message = error_of(xlsx_bytes(), "foretag.xlsx", sheet="Blad1")
    assert message == ("Bladet ”Blad1” finns inte i filen. Bladen i filen: ”Översikt”, ”Företag”.")


def test_a_damaged_xlsx():
    expected = "Filen kunde inte läsas som en Excel-arbetsbok (.xlsx)"
    assert expected in error_of(b"PK\x03\x04" + random.Random(3).randbytes(2000), "x.xlsx")
    assert expected in error_of(xlsx_bytes()[:1500], "trunkerad.xlsx")
    assert expected in error_of(b"Namn;Ort\r\nA;B\r\n", "egentligen-csv.xlsx")
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    assert expected in error_of(other_zip.getvalue(), "arkiv.zip")


def test_too_many_rows_in_xlsx():
    workbook = openpyxl.Workbook()
    for number in range(11):
        workbook.active.append([f"rad {number}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "fler än 9 rader" in error_of(buffer.getvalue(), "x.xlsx", max_rows=9)
    assert len(read_table(buffer.getvalue(), "x.xlsx", max_rows=10).rows) == 10


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "SANT"),
        (False, "FALSKT"),
        (7, "7"),
        (7.0, "7"),
        (-0.0, "0"),
        (1.5e-05, "0.000015"),
        (Decimal("12345.50"), "12345.5"),
        (float("nan"), ""),
        (date(2026, 11, 25), "2026-11-25"),
        (datetime(2026, 11, 25, 8, 5, 9), "2026-11-25 08:05:09"),  # noqa: DTZ001
        ("  text \n", "text"),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text
