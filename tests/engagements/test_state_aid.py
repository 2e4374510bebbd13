"""The de minimis statement: aid summed across initiatives and years, the ceiling warned about
at enrolment, the statement as PDF, in-kind hours per initiative and funder."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse

from redthread.engagements import services
from redthread.engagements.models import Engagement
from redthread.methodology import services as methodology_services
from redthread.registry import services as registry_services
from redthread.registry.models import Municipality

from .conftest import START


def _session_at(engagement, when, minutes, coach):
    return services.session_log(
        engagement=engagement, actor=coach, date=when, duration_minutes=minutes, coaches=[coach]
    )


def test_de_minimis_sums_across_initiatives_and_years(enrolled, methodology, world):
    from redthread.engagements.models import ExchangeRate
    from redthread.engagements.state_aid import de_minimis

    coach = world.users["coach"]
    ExchangeRate.objects.create(year=2024, sek_per_eur="11.5")
    ExchangeRate.objects.create(year=2026, sek_per_eur="10")
    first = methodology["initiative"]
    first.coach_hour_rate_sek = 1000
    first.save()
    second = methodology_services.initiative_save(
        slug="andra",
        name="Andra satsningen",
        owner=world.office,
        start=datetime.date(2023, 1, 1),
        end=datetime.date(2027, 1, 1),
        templates=[methodology["template"]],
        coach_hour_rate_sek=2300,
    )
    other, _eligibility = services.engagement_enrol(
        company=world.company,
        initiative=second,
        template=methodology["template"],
        partner=world.partner,
        start_date=datetime.date(2024, 3, 1),
        actor=None,
        lead_coach=coach,
    )
    _session_at(enrolled, datetime.date(2026, 2, 3), 120, coach)  # 2 h × 1 000 = 2 000 kr
    _session_at(other, datetime.date(2024, 3, 5), 60, coach)  # 1 h × 2 300 = 2 300 kr
    _session_at(other, datetime.date(2022, 12, 1), 600, coach)  # older than three years
    _session_at(other, datetime.date(2025, 6, 1), 60, coach)  # 2025 has no exchange rate
    result = de_minimis(company=world.company, on=datetime.date(2026, 2, 10))
    assert result.since == datetime.date(2023, 2, 10)
    assert [(r.year, r.value_sek, r.value_eur) for r in result.rows] == [
        (2024, 2300, 200),
        (2025, 2300, None),
        (2026, 2000, 200),
    ]
    assert result.total_sek == 6600
    assert result.total_eur == 400
    assert result.missing_rates == [2025]
    assert result.remaining_eur == 300_000 - 400


def test_enrolment_warns_when_the_ceiling_would_be_passed(methodology, world):
    from redthread.engagements.models import ExchangeRate

    ExchangeRate.objects.create(year=2026, sek_per_eur="10")
    registry_services.company_update(
        company=world.company,
        headcount=12,
        sni_code="25620",
        sni_version="2025",
        municipality=Municipality.objects.get(code="0617"),
    )
    initiative = methodology["initiative"]
    initiative.urban_rural_types = []
    initiative.coach_hour_rate_sek = 100_000  # an absurd rate, to cross the ceiling
    initiative.save()
    response = world.client("program_manager").post(
        reverse("engagements:engagement_enrol"),
        {
            "company": world.company.pk,
            "initiative": initiative.pk,
            "template": methodology["template"].pk,
            "partner": world.partner.pk,
            "start_date": "2026-02-02",
        },
        follow=True,
    )
    assert "överstiga taket för stöd av mindre betydelse" in response.content.decode()
    assert Engagement.objects.count() == 1  # a warning, not a refusal


def test_the_de_minimis_statement_as_pdf(enrolled, world):
    _session_at(enrolled, START, 60, world.users["coach"])
    url = reverse("engagements:state_aid", kwargs={"company_pk": world.company.pk})
    page = world.client("company_user").get(url)
    assert "Stöd av mindre betydelse" in page.content.decode()
    pdf = world.client("company_user").get(url, {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert world.client("other_company_user").get(url).status_code == 404


def test_the_status_board_sums_in_kind_hours_per_initiative_and_funder(enrolled, world):
    services.session_log(
        engagement=enrolled,
        actor=world.users["coach"],
        date=START,
        duration_minutes=120,
        coaches=[world.users["coach"]],
        company_hours=Decimal("14.5"),
    )
    response = world.client("partner_manager").get(reverse("engagements:overview"))
    assert response.context["by_funder"] == [("Finansiären", Decimal("14.5"))]
    row = response.context["by_initiative"][0]
    assert (row["engagement__initiative__name"], row["company"]) == (
        "Landsbygdsprogrammet",
        Decimal("14.5"),
    )


def test_the_kept_session_totals_follow_every_change(enrolled, world):
    """The status board sums each engagement's kept totals: they equal a plain sum over its
    sessions after a session is logged, edited and deleted, and after a bulk recount."""
    from django.db.models import Count, Sum

    from redthread.engagements.models import EngagementTotals, Session
    from redthread.engagements.totals import totals_refresh_all

    def plain():
        figures = Session.objects.filter(engagement=enrolled).aggregate(
            n=Count("pk"), minutes=Sum("duration_minutes"), company=Sum("company_hours")
        )
        return (figures["n"], figures["minutes"] or 0, figures["company"] or Decimal(0))

    def kept():
        totals = EngagementTotals.objects.filter(engagement=enrolled).first()
        if totals is None:
            return (0, 0, Decimal(0))
        return (totals.sessions, totals.minutes, totals.company_hours)

    coach = world.users["coach"]
    first = services.session_log(
        engagement=enrolled,
        actor=coach,
        date=START,
        duration_minutes=120,
        coaches=[coach],
        company_hours=Decimal("14.5"),
    )
    second = services.session_log(
        engagement=enrolled,
        actor=coach,
        date=START,
        duration_minutes=60,
        coaches=[coach],
        company_hours=Decimal("2"),
    )
    assert kept() == plain() == (2, 180, Decimal("16.5"))
    services.session_update(session=first, coaches=[coach], duration_minutes=90)
    assert kept() == plain() == (2, 150, Decimal("16.5"))
    second.delete()
    assert kept() == plain() == (1, 90, Decimal("14.5"))
    # A bulk writer recounts: the same figures.
    EngagementTotals.objects.all().delete()
    assert totals_refresh_all() >= 1
    assert kept() == plain()
    board = world.client("program_manager").get(reverse("engagements:overview"))
    row = next(
        r
        for r in board.context["by_initiative"]
        if r["engagement__initiative_id"] == enrolled.initiative_id
    )
    assert (row["minutes"], row["company"]) == (90, Decimal("14.5"))
    # An engagement deleted with its sessions leaves no totals behind.
    enrolled.delete()
    assert not EngagementTotals.objects.filter(engagement_id=first.engagement_id).exists()
