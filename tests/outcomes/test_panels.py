"""The start page's panels, from the apps that register them."""

from django.urls import reverse

from .conftest import TREATED


def test_each_role_sees_its_panels_on_the_start_page(program, world, django_assert_max_num_queries):
    url = reverse("core:dashboard")
    client = world.client("program_manager")
    with django_assert_max_num_queries(14):
        office = client.get(url)
    # Every engagement here is completed: no engagements panel, only the reach.
    names = [p["template"] for p in office.context["panels"]]
    assert names == ["outcomes/_panel.html"]
    reach = office.context["panels"][0]
    assert reach["companies"] == TREATED
    assert reach["coach_hours"] == 3 * TREATED
    # A funder sees the reach of what it funds, and nothing of the engagements themselves.
    funder = world.client("funder_viewer").get(url)
    assert [p["template"] for p in funder.context["panels"]] == ["outcomes/_panel.html"]
    # A coach has no engagements running here (all completed): no empty panel.
    coach = world.client("coach").get(url)
    assert coach.context["panels"] == []
    assert "Räckvidd" not in coach.content.decode()


def test_running_engagements_and_overdue_items_show_for_the_coach(world, methodology):
    import datetime

    from redthread.engagements import services

    initiative = methodology["initiative"]
    initiative.size_classes = initiative.sectors = initiative.urban_rural_types = []
    initiative.save()
    engagement, _eligibility = services.engagement_enrol(
        company=world.company,
        initiative=initiative,
        template=methodology["template"],
        partner=world.partner,
        start_date=datetime.date(2025, 3, 3),
        actor=world.users["program_manager"],
        lead_coach=world.users["coach"],
    )
    for status in ("approved", "active"):
        services.engagement_status_change(engagement=engagement, to_status=status, actor=None)
    services.action_item_create(
        engagement=engagement, title="Märk upp hyllorna", due_date=datetime.date(2025, 4, 1)
    )
    page = world.client("coach").get(reverse("core:dashboard"))
    (panel,) = [p for p in page.context["panels"] if p["template"] == "engagements/_panel.html"]
    assert panel["active"] == 1
    assert [i.title for i in panel["overdue"]] == ["Märk upp hyllorna"]
    other = world.client("other_coach").get(reverse("core:dashboard"))
    assert other.context["panels"] == []
