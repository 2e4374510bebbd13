"""The importer framework: real files in, a Table or a clear Swedish message out."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext_lazy as _

from redthread.core.importing import (
    ImportField,
    guess_mapping,
    normalise_header,
    validate_mapping,
)

# --- Column mapping -------------------------------------------------------------------------

FIELDS = [
    ImportField(
        "orgnr",
        _("Organisationsnummer"),
        ("org.nr", "orgnummer", "organisation number", "corporate id"),
        required=True,
    ),
    ImportField("name", _("Företagsnamn"), ("namn", "company name", "company"), required=True),
    ImportField("municipality", _("Kommun"), ("kommunnamn", "municipality")),
    ImportField("municipality_code", _("Kommunkod"), ("kommunnummer", "municipality code")),
    ImportField("sni", _("SNI-kod"), ("sni", "sni 2007", "industry code")),
    ImportField("employees", _("Antal anställda"), ("anställda", "employees")),
    ImportField("turnover", _("Omsättning"), ("nettoomsättning", "turnover", "revenue")),
]


def test_normalise_header():
    assert normalise_header(" Org.-nr: ") == "orgnr"
    assert normalise_header("Antal  ANSTÄLLDA") == "antalanställda"
    assert normalise_header("SNI 2007") == "sni2007"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            [
                "Organisationsnummer",
                "Företagsnamn",
                "Kommun",
                "Kommunkod",
                "SNI",
                "Antal anställda",
                "Omsättning",
            ],
            [
                "orgnr",
                "name",
                "municipality",
                "municipality_code",
                "sni",
                "employees",
                "turnover",
            ],
        ),
        (
            ["Org.nr", "Namn", "Kommunkod", "Kommun", "Anställda", "Omsättning (tkr)"],
            ["orgnr", "name", "municipality_code", "municipality", "employees", "turnover"],
        ),
        (["ORGNR", "Övrigt", "namn"], ["orgnr", None, "name"]),
        (
            ["Company name", "Corporate ID", "Municipality", "Employees", "Revenue", "Notes"],
            ["name", "orgnr", "municipality", "employees", "turnover", None],
        ),
        # Each field once: the leftmost column wins; the other is left for the user.
        (["Företagsnamn", "Namn", "Orgnr", "Org.nr"], ["name", None, "orgnr", None]),
        # "Kommunkod" starts with "Kommun" but is a field of its own.
        (["Kommunkod"], ["municipality_code"]),
        (["", "Kolumn 2", "SNI-kod 2007"], [None, None, "sni"]),
    ],
)
def test_guess_mapping(headers, expected):
    mapping = guess_mapping(headers, FIELDS)
    assert [mapping.get(index) for index in range(len(headers))] == expected


def test_validate_mapping():
    assert validate_mapping({0: "orgnr", 1: "name", 2: ""}, FIELDS) == []
    assert validate_mapping({0: "name", 1: "turnover", 2: "turnover"}, FIELDS) == [
        "Fältet ”Organisationsnummer” måste kopplas till en kolumn.",
        "Fältet ”Omsättning” är kopplat till flera kolumner (2, 3). Välj en av dem.",
    ]
    assert validate_mapping(
        {0: "orgnr", 1: "name", 2: "name", 3: "shoe_size"},
        FIELDS,
        headers=["Org.nr", "Namn", "Företag", "Skostorlek"],
    ) == [
        "Kolumn ”Skostorlek” är kopplad till ett okänt fält.",
        "Fältet ”Företagsnamn” är kopplat till flera kolumner (”Namn”, ”Företag”). Välj en av dem.",
    ]
