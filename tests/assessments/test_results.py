"""A company's results page, and the "still waiting for respondents" mark on every page
that shows a round's scores."""

import datetime
import shutil
import subprocess

from django.conf import settings
from django.urls import reverse

from redthread.assessments import services

from .conftest import answer_all


def _results_url(company):
    return reverse("assessments:company_results", args=[company.pk])


def _t1(world, instrument):
    return services.round_create(
        company=world.company,
        instrument=instrument,
        timepoint="T1",
        date=datetime.date(2026, 9, 1),
        partner=world.partner,
        coaches=[world.users["coach"]],
    )


def _pdf_text(content, tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(content)
    binary = shutil.which("pdftotext")
    assert binary is not None, "pdftotext is missing: run make system-deps (poppler-utils)"
    return subprocess.run(  # noqa: S603 - our own file, a fixed program
        [binary, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_the_company_reads_every_round_with_radar_change_gap_and_recommendations(
    world, round_, instrument
):
    answer_all(services.response_add(round=round_, group="management"), a1="1", b1="no")
    answer_all(services.response_add(round=round_, group="shop_floor"), a1="0", b1="no")
    t1 = _t1(world, instrument)
    answer_all(services.response_add(round=t1, group="management"), a1="5", b1="yes")
    services.response_add(round=t1, group="shop_floor", mode="self")
    services.response_add(round=t1, group="shop_floor", mode="self")
    t1.refresh_from_db()

    page = world.client("company_user").get(_results_url(world.company))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Resultat: Testverkstaden AB" in text
    [item] = page.context["instruments"]
    assert [r.timepoint for r, _band in item.rounds] == ["T0", "T1"]
    latest = item.latest
    assert latest["round"] == t1
    # The radar overlays T0 and T1; the change per dimension runs from T0 to T1.
    assert text.count('class="chart-figure"') == 1
    assert "Förändring mellan mätningarna" in text
    assert [c.change for c in latest["changes"]] == [
        round(t1.combined.dimensions[c.dimension.code] - c.values[0], 1) for c in latest["changes"]
    ]
    assert "Rekommendationer" in text
    assert "Jämfört med andra företag" in text
    assert "Percentiler visas först när det finns minst 5" in text
    # The round still waiting for two of its three respondents says so, in the list and
    # above its scores.
    assert text.count("2 av 3 svarande har inte svarat än") == 2
    assert reverse("assessments:round_report", args=[t1.pk]) in text
    assert reverse("assessments:round_report", args=[round_.pk]) in text


def test_the_gap_between_management_and_shop_floor_is_shown(world, round_):
    answer_all(services.response_add(round=round_, group="management"), a1="5", b1="yes")
    answer_all(services.response_add(round=round_, group="shop_floor"), a1="0", b1="no")
    page = world.client("coach").get(_results_url(world.company))
    assert page.status_code == 200
    assert "Skillnad mellan grupperna" in page.content.decode()
    [item] = page.context["instruments"]
    assert any(gap["large"] for gap in item.latest["gaps"])


def test_a_company_sees_only_itself(world, round_):
    answer_all(services.response_add(round=round_))
    assert world.client("company_user").get(_results_url(world.company)).status_code == 200
    assert world.client("other_company_user").get(_results_url(world.company)).status_code == 404
    assert world.client("company_user").get(_results_url(world.other_company)).status_code == 404
    # A partner organisation is not a company with results.
    assert world.client("program_manager").get(_results_url(world.partner)).status_code == 404
    assert world.client("funder_viewer").get(_results_url(world.company)).status_code == 403


def test_a_company_without_rounds_gets_a_page_that_says_so(world):
    page = world.client("company_user").get(_results_url(world.company))
    assert page.status_code == 200
    assert "Inga mätningar ännu." in page.content.decode()


def test_a_round_without_answers_yet_is_listed(world, round_):
    services.response_add(round=round_, mode="self")
    page = world.client("company_user").get(_results_url(world.company))
    text = page.content.decode()
    assert "1 av 1 svarande har inte svarat än" in text
    assert "Resultatet visas när minst en svarande har skickat in sina svar." in text


def test_the_waiting_mark_is_on_every_page_that_shows_the_scores(world, round_, tmp_path):
    answer_all(services.response_add(round=round_))
    services.response_add(round=round_, mode="self")
    mark = "1 av 2 svarande har inte svarat än"
    for who in ("company_user", "coach", "program_manager"):
        client = world.client(who)
        for url in (
            round_.get_absolute_url(),
            reverse("assessments:round_list"),
            _results_url(world.company),
            reverse("core:dashboard"),
        ):
            page = client.get(url)
            assert page.status_code == 200, (who, url)
            assert mark in page.content.decode(), (who, url)
        report = client.get(reverse("assessments:round_report", args=[round_.pk]))
        assert mark in " ".join(_pdf_text(report.content, tmp_path).split()), who


def test_the_waiting_mark_in_english_is_pluralised(world, round_):
    answer_all(services.response_add(round=round_))
    services.response_add(round=round_, mode="self")
    client = world.client("company_user")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = client.get(round_.get_absolute_url()).content.decode()
    assert "1 of 2 respondents has not answered yet" in text
    services.response_add(round=round_, mode="self")
    text = client.get(_results_url(world.company)).content.decode()
    assert "2 of 3 respondents have not answered yet" in text
    assert "Results: Testverkstaden AB" in text


def test_no_mark_when_everyone_has_answered(world, round_):
    answer_all(services.response_add(round=round_))
    text = world.client("company_user").get(round_.get_absolute_url()).content.decode()
    assert "har inte svarat än" not in text
