import copy
import datetime

import pytest
from django.utils import timezone

from redthread.assessments import selectors, services
from redthread.assessments.instruments import InstrumentError
from redthread.assessments.models import InstrumentVersion, Response, ResponseStatus

from .conftest import answer_all
from .instrument_fixture import SMALL, version_two


def test_loading_is_idempotent_and_a_changed_version_is_refused(db):
    _v, created = services.instrument_load(raw=SMALL)
    _v, again = services.instrument_load(raw=SMALL)
    assert (created, again) == (True, False)
    changed = copy.deepcopy(SMALL)
    changed["questions"][0]["weight"] = 5.0
    with pytest.raises(InstrumentError, match="new version number"):
        services.instrument_load(raw=changed)
    services.instrument_load(raw=version_two())
    current = selectors.instrument_current("test")
    assert current is not None
    assert current.number == 2


def test_the_shipped_instruments_load_once(db):
    assert services.instruments_load_shipped() == 2
    assert services.instruments_load_shipped() == 0
    assert set(InstrumentVersion.objects.values_list("code", flat=True)) == {"lean", "digital"}


def test_a_page_keeps_its_valid_answers_when_one_is_refused(round_):
    response = services.response_add(round=round_)
    result = services.response_save_page(
        response=response, page=0, data={"a1": "4", "a2": "hacked", "a3": "12,5"}
    )
    assert set(result.errors) == {"a2"}
    assert response.answers == {"a1": 4, "a3": 12.5}
    # A blank answer removes an earlier one; the rest stay.
    services.response_save_page(response=response, page=0, data={"a1": "", "a2": "z", "a3": "12,5"})
    assert response.answers == {"a2": "z", "a3": 12.5}


def test_a_stale_page_is_refused_and_nothing_is_overwritten(round_):
    response = services.response_add(round=round_)
    opened = response.revision
    services.response_save_page(response=response, page=0, data={"a1": "5"}, revision=opened)
    with pytest.raises(services.StaleResponse):
        services.response_save_page(response=response, page=0, data={"a1": "1"}, revision=opened)
    response.refresh_from_db()
    assert response.answers["a1"] == 5


def test_submitting_needs_every_shown_question(round_):
    response = services.response_add(round=round_)
    services.response_save_page(response=response, page=0, data={"a1": "4", "a2": "y", "a3": "1"})
    services.response_save_page(response=response, page=1, data={"b1": "yes"})
    # b1 = yes shows b2; an unanswered multiple choice counts as answered only once its
    # page is saved, so ask the service directly with b2 missing.
    answers = dict(response.answers)
    answers.pop("b2", None)
    Response.objects.filter(pk=response.pk).update(answers=answers)
    response.refresh_from_db()
    assert services.response_submit(response=response) == ["b2"]
    assert response.status == ResponseStatus.DRAFT


def test_several_respondents_and_the_gap_between_groups(round_):
    manager = services.response_add(round=round_, group="management")
    answer_all(manager, a1="5", a2="z", a3="20", b1="yes", b2=["q", "r"])
    floor = services.response_add(round=round_, group="shop_floor")
    answer_all(floor, a1="0", a2="x", a3="0", b1="no")
    round_.refresh_from_db()
    # manager a=100, b=100; floor a=0, b=0 → the round is the mean of the two.
    assert round_.scores["dimensions"] == {"a": 50.0, "b": 50.0}
    assert round_.overall == 50.0
    groups = {g.group: g.scores.dimensions for g in selectors.group_scores(round_)}
    assert groups == {"management": {"a": 100.0, "b": 100.0}, "shop_floor": {"a": 0.0, "b": 0.0}}
    # Reopening a response takes it out of the result until it is submitted again.
    services.response_reopen(response=floor)
    round_.refresh_from_db()
    assert round_.overall == 100.0


def test_links_are_single_use_expire_and_are_stored_only_as_a_hash(round_):
    response = services.response_add(round=round_)
    token = services.response_issue_link(response=response)
    assert token not in (response.token_hash or "")
    assert services.response_by_token(token) == response
    for bad in ("", "nonsense"):
        with pytest.raises(services.TokenError) as error:
            services.response_by_token(bad)
        assert error.value.reason == "unknown"
    newer = services.response_issue_link(response=response)
    with pytest.raises(services.TokenError) as error:
        services.response_by_token(token)  # the old link stopped working, and says so
    assert error.value.reason == "revoked"
    Response.objects.filter(pk=response.pk).update(
        token_expires=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(services.TokenError) as error:
        services.response_by_token(newer)
    assert error.value.reason == "expired"
    last = services.response_issue_link(response=response)
    answer_all(response)
    with pytest.raises(services.TokenError) as error:
        services.response_by_token(last)
    assert error.value.reason in {"used", "unknown"}


def _company_round(instrument, company, scores, *, date=datetime.date(2026, 1, 1), timepoint="T0"):
    from redthread.assessments.models import AssessmentRound

    return AssessmentRound.objects.create(
        company=company,
        instrument=instrument,
        timepoint=timepoint,
        date=date,
        scores={"dimensions": scores, "overall": None},
        overall=sum(v for v in scores.values()) / len(scores),
    )


def test_percentiles_need_five_peers_and_count_each_company_once(world, instrument):
    from tests.factories import OrganisationFactory

    ours = _company_round(instrument, world.company, {"a": 50.0, "b": 50.0})
    peers = [OrganisationFactory.create(kind="company") for _ in range(5)]
    for company, value in zip(peers[:4], [10.0, 20.0, 60.0, 70.0], strict=True):
        _company_round(instrument, company, {"a": value, "b": value})
    few = selectors.peer_percentiles(ours)
    assert few.peers == 4
    assert not few.enough
    assert few.overall is None
    # An older round of the same company does not count twice: only the latest does.
    _company_round(instrument, peers[4], {"a": 90.0, "b": 90.0}, date=datetime.date(2025, 1, 1))
    _company_round(instrument, peers[4], {"a": 50.0, "b": 50.0}, date=datetime.date(2026, 2, 1))
    result = selectors.peer_percentiles(ours)
    assert result.peers == 5
    # below: 10, 20; tied: 50 (half) → (2 + 0.5) / 5
    assert result.overall == 50.0
    assert result.dimensions == {"a": 50.0, "b": 50.0}


def test_peer_groups_narrow_the_comparison(world, instrument):
    from tests.factories import OrganisationFactory

    world.company.headcount = 20
    world.company.save()
    ours = _company_round(instrument, world.company, {"a": 50.0, "b": 50.0})
    for headcount in [15, 30, 45, 200, 300, None]:
        company = OrganisationFactory.create(kind="company", headcount=headcount)
        _company_round(instrument, company, {"a": 40.0, "b": 40.0})
    assert selectors.peer_percentiles(ours, group="all").peers == 6
    assert selectors.peer_percentiles(ours, group="size").peers == 3
    # Without a municipality there is no region to compare within.
    assert selectors.peer_percentiles(ours, group="region").peers == 0


def test_changes_cross_versions_only_through_the_mapping(world, instrument):
    two, _new = services.instrument_load(raw=version_two())
    t0 = _company_round(instrument, world.company, {"a": 40.0, "b": 30.0})
    t1 = _company_round(
        two,
        world.company,
        {"flow": 70.0, "b": 80.0},
        date=datetime.date(2026, 6, 1),
        timepoint="T1",
    )
    changes = {c.dimension.code: c for c in selectors.changes([t0, t1], two.parsed)}
    assert changes["flow"].values == [40.0, 70.0]
    assert changes["flow"].change == 30.0
    # b is not in the mapping: v1's b is not shown as if it were v2's b.
    assert changes["b"].values == [None, 80.0]
    assert changes["b"].change is None


def test_recommendations_pick_the_weakest_dimensions_and_their_modules(
    world, instrument, methodology
):
    from redthread.methodology import services as methodology_services

    methodology_services.module_create(
        code="flodet",
        category="lean",
        name="Flödesmodul",
        purpose="Bättre flöde.",
        dimensions=["flöde"],
    )
    round_ = _company_round(instrument, world.company, {"a": 20.0, "b": 70.0})
    recommendations = selectors.recommendations(round_, count=1)
    assert [r.dimension.code for r in recommendations] == ["a"]
    assert [m.name for m in recommendations[0].modules] == ["Flödesmodul"]


def test_spread_per_dimension_and_timepoint(world, instrument):
    from tests.factories import OrganisationFactory

    rounds = []
    for value in [10.0, 20.0, 30.0, 40.0]:
        company = OrganisationFactory.create(kind="company")
        rounds.append(_company_round(instrument, company, {"a": value, "b": value}))
        rounds.append(
            _company_round(instrument, company, {"a": value + 20, "b": value}, timepoint="T1")
        )
    rows = {r.dimension.code: r for r in selectors.spread(rounds, instrument.parsed)}
    t0, t1 = rows["a"].by_timepoint["T0"], rows["a"].by_timepoint["T1"]
    assert t0 is not None
    assert t1 is not None
    assert (t0.minimum, t0.median, t0.maximum, t0.n) == (10.0, 25.0, 40.0, 4)
    assert (t1.minimum, t1.median, t1.maximum) == (30.0, 45.0, 60.0)


def test_percentiles_follow_a_peer_s_newer_round(world, instrument):
    """The latest round per company is picked in the database: a newer round replaces the
    older one in the comparison as soon as it is there."""
    from tests.factories import OrganisationFactory

    ours = _company_round(instrument, world.company, {"a": 50.0, "b": 50.0})
    peers = [OrganisationFactory.create(kind="company") for _ in range(5)]
    for company in peers:
        _company_round(instrument, company, {"a": 10.0, "b": 10.0})
    assert selectors.peer_percentiles(ours).overall == 100.0
    for company in peers[:2]:
        _company_round(instrument, company, {"a": 90.0, "b": 90.0}, date=datetime.date(2026, 3, 1))
    result = selectors.peer_percentiles(ours)
    assert result.peers == 5
    assert result.overall == 60.0
    assert result.dimensions == {"a": 60.0, "b": 60.0}


def test_kept_peer_distribution_follows_edits_and_deletions(
    world, instrument, django_assert_max_num_queries
):
    """The sorted distribution is kept between pages, keyed by the rounds' count and last
    change: a page reads it in a couple of queries, and an edited or deleted round is seen
    at once."""
    from tests.factories import OrganisationFactory

    ours = _company_round(instrument, world.company, {"a": 50.0, "b": 50.0})
    # Our own older round is never a peer, kept or not.
    _company_round(instrument, world.company, {"a": 1.0, "b": 1.0}, date=datetime.date(2024, 1, 1))
    peers = [
        _company_round(instrument, OrganisationFactory.create(kind="company"), {"a": v, "b": v})
        for v in [10.0, 20.0, 30.0, 60.0, 70.0, 80.0]
    ]
    first = selectors.peer_percentiles(ours)
    assert (first.peers, first.overall) == (6, 50.0)
    with django_assert_max_num_queries(2):
        assert selectors.peer_percentiles(ours) == first
    peers[3].scores = {"dimensions": {"a": 40.0, "b": 40.0}, "overall": None}
    peers[3].overall = 40.0
    peers[3].save()
    edited = selectors.peer_percentiles(ours)
    assert edited.overall == round(100 * 4 / 6, 1)
    assert edited.dimensions == {"a": round(100 * 4 / 6, 1), "b": round(100 * 4 / 6, 1)}
    peers[0].delete()
    assert selectors.peer_percentiles(ours).peers == 5
