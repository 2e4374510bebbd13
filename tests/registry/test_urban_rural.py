from __future__ import annotations

import pytest
from django.urls import reverse

from redthread.core.importing import read_table
from redthread.registry import services
from redthread.registry.models import Municipality, MunicipalityType, UrbanRuralClassification
from redthread.registry.urban_rural import urban_rural_import


@pytest.fixture
def reference(db):
    services.reference_data_load()


def _file(rows: list[str]) -> bytes:
    return ("Kommunkod;Kommun;Kommungrupp\n" + "\n".join(rows) + "\n").encode("utf-8")


def _all_rows() -> list[str]:
    rural = "Landsbygdskommuner nära en större stad"
    return [
        f"{m.code};{m.name};{'Storstadskommuner' if m.code == '0180' else rural}"
        for m in Municipality.objects.order_by("code")
    ]


def test_an_official_file_loads_every_municipality(reference):
    table = read_table(_file(_all_rows()), "klassificering.csv")
    result = urban_rural_import(table, version="2014", source="Tillväxtanalys 2014", official=True)
    assert result.classification is not None
    assert result.classification.is_official
    assert MunicipalityType.objects.filter(classification=result.classification).count() == 290
    assert MunicipalityType.objects.get(municipality__code="0180").type == "storstad"


def test_a_file_with_unknown_types_or_missing_municipalities_loads_nothing(reference):
    rows = _all_rows()
    rows[3] = rows[3].rsplit(";", 1)[0] + ";Glesbygd"
    rows[4] = "9999;Ingenstans;Storstadskommuner"
    del rows[10]
    table = read_table(_file(rows), "klassificering.csv")
    result = urban_rural_import(table, version="2014", source="x", official=True)
    assert result.classification is None
    errors = [(v.row, v.reason) for v in result.report.rows if v.status == "error"]
    assert (5, "Okänd kommuntyp: Glesbygd.") in errors
    assert (6, "Okänd kommunkod: 9999.") in errors
    assert any("saknas i filen" in reason for _row, reason in errors)
    assert not UrbanRuralClassification.objects.exists()


def test_an_approximate_classification_is_marked_on_the_pages(world, reference):
    urban_rural_import(
        read_table(_file(_all_rows()), "k.csv"), version="demo", source="gissning", official=False
    )
    stockholm = Municipality.objects.get(code="0180")
    services.company_update(company=world.company, municipality=stockholm)
    client = world.client("program_manager")
    listing = client.get(reverse("registry:company_list"), {"urban_rural": "storstad"})
    assert [c.name for c in listing.context["listing"].page.object_list] == ["Testverkstaden AB"]
    assert "ungefärlig klassificering" in listing.content.decode()
    detail = client.get(reverse("registry:company_detail", kwargs={"pk": world.company.pk}))
    assert "ungefärlig" in detail.content.decode()


def test_the_official_version_wins_over_an_approximate_one(world, reference):
    urban_rural_import(
        read_table(_file(_all_rows()), "k.csv"), version="demo", source="g", official=False
    )
    urban_rural_import(
        read_table(_file(_all_rows()), "k.csv"), version="2014", source="TA", official=True
    )
    body = world.client("program_manager").get(reverse("registry:company_list")).content.decode()
    assert "ungefärlig klassificering" not in body
