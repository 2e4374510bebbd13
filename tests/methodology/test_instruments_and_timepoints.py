"""The instruments a program plans come from the data files; one set of timepoints."""

from __future__ import annotations

import tomllib

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from redthread.methodology import services
from redthread.methodology.instrument_files import INSTRUMENT_DIR, shipped_instruments
from redthread.methodology.models import Instrument, Timepoint, instrument_name


def test_the_instrument_codes_are_the_data_files():
    codes = set()
    for path in INSTRUMENT_DIR.glob("*.toml"):
        with path.open("rb") as handle:
            codes.add(tomllib.load(handle)["instrument"]["code"])
    assert set(Instrument.values) == codes
    assert [i.code for i in shipped_instruments()] == sorted(codes)
    with translation.override("sv"):
        assert instrument_name("lean") == "Lean-mognad"
    with translation.override("en"):
        assert instrument_name("lean") == "Lean maturity"
    assert instrument_name("retired") == "retired"


def test_a_new_instrument_is_a_new_file(tmp_path):
    head = '[instrument]\ncode = "{code}"\nversion = {version}\nname = {{ sv = "{name}" }}\n'
    (tmp_path / "flow-v1.toml").write_text(head.format(code="flow", version=1, name="Flöde"))
    (tmp_path / "flow-v2.toml").write_text(head.format(code="flow", version=2, name="Flöde 2"))
    (tmp_path / "cash-v1.toml").write_text(head.format(code="cash", version=1, name="Kassa"))
    found = shipped_instruments(tmp_path)
    assert [(i.code, i.version, i.name_sv, i.name_en) for i in found] == [
        ("cash", 1, "Kassa", "Kassa"),
        ("flow", 2, "Flöde 2", "Flöde 2"),
    ]


def test_a_plan_measures_with_a_shipped_instrument_only(db):
    draft = services.template_create(code="start", name="Start", duration_weeks=10)
    point = services.assessment_point_add(
        version=draft, timepoint=Timepoint.T0, offset_weeks=0, instrument="digital"
    )
    with translation.override("sv"):
        assert point.get_instrument_display() == "Digital mognad"
    with pytest.raises(ValidationError, match="finns inte"):
        services.assessment_point_add(
            version=draft, timepoint=Timepoint.T1, offset_weeks=8, instrument="nonsense"
        )


def test_a_program_plans_t0_t1_t2_and_an_extra_measurement_is_never_planned():
    assert [value for value, _label in Timepoint.planned_choices()] == ["T0", "T1", "T2"]
    assert Timepoint.AD_HOC not in Timepoint.PLANNED
    assert Timepoint.AD_HOC.value == "adhoc"  # the stored value of the rounds
