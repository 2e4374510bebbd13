import datetime

import pytest

from redthread.assessments import services

from .instrument_fixture import SMALL


@pytest.fixture
def instrument(db):
    version, _new = services.instrument_load(raw=SMALL)
    return version


@pytest.fixture
def round_(world, instrument):
    return services.round_create(
        company=world.company,
        instrument=instrument,
        timepoint="T0",
        date=datetime.date(2026, 3, 1),
        partner=world.partner,
        coaches=[world.users["coach"]],
    )


def answer_all(response, *, a1="3", a2="y", a3="10", b1="no", b2=()):
    """Answers both pages of the small instrument and submits."""
    services.response_save_page(response=response, page=0, data={"a1": a1, "a2": a2, "a3": a3})
    services.response_save_page(response=response, page=1, data={"b1": b1, "b2": list(b2)})
    assert services.response_submit(response=response) == []
