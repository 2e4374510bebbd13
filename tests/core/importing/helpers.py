"""What the import tests share: a table's shape and the message a file is refused with."""

from __future__ import annotations

import pytest

from redthread.core.importing import ImportFileError, Table, read_table


def shape(table: Table) -> tuple[list[str], list[tuple[int, list[str]]]]:
    return table.headers, [(row.number, row.values) for row in table.rows]


def error_of(
    data: bytes, filename: str = "data.csv", *, sheet: str | None = None, max_rows: int = 100_000
) -> str:
    with pytest.raises(ImportFileError) as caught:
        read_table(data, filename, sheet=sheet, max_rows=max_rows)
    return caught.value.message
