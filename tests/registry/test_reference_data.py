"""The Swedish reference data: the shipped files load into the lookup tables, idempotently."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from redthread.registry.models import (
    County,
    Municipality,
    MunicipalityType,
    NutsArea,
    SniCode,
    SniLevel,
    SniVersion,
    UrbanRuralClassification,
    UrbanRuralGroup,
    UrbanRuralType,
)
from redthread.registry.services import reference_data_load

pytestmark = pytest.mark.django_db


def _table_sizes() -> dict[str, int]:
    return {
        "nuts": NutsArea.objects.count(),
        "counties": County.objects.count(),
        "municipalities": Municipality.objects.count(),
        "sni": SniCode.objects.count(),
    }


def test_loads_every_municipality_county_and_nuts_area():
    counts = reference_data_load()
    assert (counts.municipalities.total, counts.counties.total, counts.nuts_areas.total) == (
        290,
        21,
        8,
    )
    assert _table_sizes()["municipalities"] == 290
    assert County.objects.count() == 21
    assert sorted(NutsArea.objects.values_list("code", flat=True)) == [
        "SE11",
        "SE12",
        "SE21",
        "SE22",
        "SE23",
        "SE31",
        "SE32",
        "SE33",
    ]


def test_every_municipality_lies_in_the_county_its_code_names():
    reference_data_load()
    for code, county_code in Municipality.objects.values_list("code", "county__code"):
        assert len(code) == 4
        assert code[:2] == county_code


def test_stockholm_keeps_its_leading_zero_and_lies_in_se11():
    reference_data_load()
    stockholm = Municipality.objects.select_related("county__nuts").get(code="0180")
    assert stockholm.name == "Stockholm"
    assert stockholm.county.code == "01"
    assert stockholm.county.name == "Stockholms län"
    assert stockholm.county.nuts.code == "SE11"
    assert stockholm.county.nuts.name == "Stockholm"


def test_sni_2025_sections_codes_and_divisions_as_the_file_gives_them():
    reference_data_load()
    sni2025 = SniCode.objects.filter(version=SniVersion.SNI2025)
    codes = sni2025.filter(level=SniLevel.SUBCLASS)
    assert codes.count() == 835
    assert codes.values("division").distinct().count() == 87
    assert sni2025.filter(level=SniLevel.SECTION).count() == 22  # A to V
    assert all(len(code) == 5 for code in codes.values_list("code", flat=True))
    assert all(
        code.startswith(division) for code, division in codes.values_list("code", "division")
    )


def test_sni_codes_keep_their_leading_zeros():
    reference_data_load()
    crop = SniCode.objects.get(version=SniVersion.SNI2025, code="01110")
    assert crop.division == "01"
    assert crop.section == "A"
    assert crop.label.startswith("Odling av spannmål")
    assert SniCode.objects.filter(version=SniVersion.SNI2025, code__startswith="0").count() > 0


def test_sni_2007_holds_the_manufacturing_divisions_10_to_33():
    reference_data_load()
    divisions = SniCode.objects.filter(version=SniVersion.SNI2007, level=SniLevel.DIVISION)
    assert sorted(divisions.values_list("code", flat=True)) == [str(n) for n in range(10, 34)]
    assert set(divisions.values_list("section", flat=True)) == {"C"}
    # The same code in two versions is two rows.
    assert SniCode.objects.filter(code="10").count() == 1
    assert SniCode.objects.filter(version=SniVersion.SNI2025, division="10").exists()


def test_loading_twice_changes_nothing():
    first = reference_data_load()
    sizes = _table_sizes()
    ids = dict(Municipality.objects.values_list("code", "id"))
    second = reference_data_load()
    assert _table_sizes() == sizes
    assert dict(Municipality.objects.values_list("code", "id")) == ids
    for table, count in second.as_dict().items():
        assert (count.created, count.updated) == (0, 0), table
        assert count.total == first.as_dict()[table].total
    duplicates = SniCode.objects.values("version", "code").annotate(n=Count("id")).filter(n__gt=1)
    assert not duplicates.exists()


def test_a_changed_name_is_updated_in_place():
    reference_data_load()
    Municipality.objects.filter(code="0180").update(name="Fel")
    counts = reference_data_load()
    assert (counts.municipalities.created, counts.municipalities.updated) == (0, 1)
    assert Municipality.objects.get(code="0180").name == "Stockholm"


def test_no_urban_rural_classification_is_shipped():
    reference_data_load()
    assert not UrbanRuralClassification.objects.exists()
    assert not MunicipalityType.objects.exists()


def test_the_six_types_fall_into_three_groups():
    assert len(UrbanRuralType.choices) == 6
    groups = {t: UrbanRuralType(t).group for t in UrbanRuralType}
    assert list(groups.values()).count(UrbanRuralGroup.METROPOLITAN) == 1
    assert list(groups.values()).count(UrbanRuralGroup.DENSE) == 2
    assert list(groups.values()).count(UrbanRuralGroup.RURAL) == 3


def test_the_command_prints_the_counts():
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert "municipalities: 290 rows (290 created, 0 updated)" in out.getvalue()
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert "municipalities: 290 rows (0 created, 0 updated)" in out.getvalue()
