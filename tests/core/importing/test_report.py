"""The importer framework: real files in, a Table or a clear Swedish message out."""

from __future__ import annotations

from redthread.core.importing import (
    ImportReport,
    RowVerdict,
)

# --- The report -----------------------------------------------------------------------------


def test_import_report():
    report = ImportReport()
    report.rows += [
        RowVerdict(2, "ok", key="5560360793"),
        RowVerdict(3, "error", "Organisationsnumret är ogiltigt.", "5560360794"),
        RowVerdict(4, "duplicate", "Finns redan.", "5560360793"),
        RowVerdict(5, "skipped", "Tom rad."),
        RowVerdict(6, "ok", key="5560360795"),
    ]
    assert (report.accepted, report.rejected, report.duplicates, report.skipped) == (2, 1, 1, 1)
    assert report.as_dict() == {
        "accepted": 2,
        "rejected": 1,
        "duplicates": 1,
        "rows": [
            {"row": 2, "status": "ok", "reason": "", "orgnr": "5560360793"},
            {
                "row": 3,
                "status": "error",
                "reason": "Organisationsnumret är ogiltigt.",
                "orgnr": "5560360794",
            },
            {"row": 4, "status": "duplicate", "reason": "Finns redan.", "orgnr": "5560360793"},
            {"row": 5, "status": "skipped", "reason": "Tom rad.", "orgnr": ""},
            {"row": 6, "status": "ok", "reason": "", "orgnr": "5560360795"},
        ],
    }
    assert report.as_dict(key_name="personnummer")["rows"][0] == {
        "row": 2,
        "status": "ok",
        "reason": "",
        "personnummer": "5560360793",
    }
