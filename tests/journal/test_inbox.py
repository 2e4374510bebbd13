"""The inbox of what visitors sent through the public forms: the office reads all of it, a
partner's managers what was sent to their partner, no one else any; filters, search, the
"handled" mark with who and when."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from redthread.journal.models import Inquiry, InquiryKind


def _inquiry(recipient=None, **fields) -> Inquiry:
    values = {
        "kind": InquiryKind.CONTACT,
        "name": "Bo Besökare",
        "email": "bo@example.se",
        "organisation_name": "Bos Verkstad",
        "message": "Hur kommer vi med?",
        "recipient": recipient,
    }
    values.update(fields)
    return Inquiry.objects.create(**values)


def _rows(html: str) -> str:
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""


def test_the_office_sees_every_inquiry_newest_first_and_filters_them(world):
    old = _inquiry(name="Äldre Avsändare")
    Inquiry.objects.filter(pk=old.pk).update(created=timezone.now() - datetime.timedelta(days=3))
    _inquiry(world.partner, name="Partnerns Avsändare", message="Om DigiLean")
    _inquiry(world.other_partner, name="Annans Avsändare", kind=InquiryKind.APPLICATION)
    office = world.client("program_manager")
    url = reverse("journal:inquiry_list")
    rows = _rows(office.get(url).content.decode())
    assert rows.index("Annans Avsändare") < rows.index("Äldre Avsändare")
    assert "Partnerns Avsändare" in rows

    by_partner = _rows(office.get(url, {"partner": world.partner.pk}).content.decode())
    assert "Partnerns Avsändare" in by_partner
    assert "Annans" not in by_partner
    to_office = _rows(office.get(url, {"partner": 0}).content.decode())
    assert "Äldre Avsändare" in to_office
    assert "Partnerns" not in to_office
    found = _rows(office.get(url, {"q": "digilean"}).content.decode())
    assert "Partnerns Avsändare" in found
    assert "Äldre" not in found
    applications = _rows(office.get(url, {"kind": "application"}).content.decode())
    assert "Annans Avsändare" in applications
    assert "Äldre" not in applications
    # nonsense in the filters is ignored, never a 500
    assert office.get(url, {"partner": "x", "handled": "kanske", "page": "999"}).status_code == 200


def test_a_partner_manager_sees_the_inquiries_to_its_own_partner_only(world):
    ours = _inquiry(world.partner, name="Till Oss")
    theirs = _inquiry(world.other_partner, name="Till Annan")
    office_only = _inquiry(name="Till Kontoret")
    manager = world.client("partner_manager")
    html = manager.get(reverse("journal:inquiry_list")).content.decode()
    assert "Till Oss" in html
    assert "Till Annan" not in html
    assert "Till Kontoret" not in html
    assert 'name="partner"' not in html  # no filter by partner: it sees its own only
    # the partner filter from the office's address bar changes nothing for it
    html = manager.get(reverse("journal:inquiry_list"), {"partner": world.other_partner.pk})
    assert "Till Annan" not in html.content.decode()
    assert manager.get(reverse("journal:inquiry_detail", args=[ours.pk])).status_code == 200
    for other in (theirs, office_only):
        assert manager.get(reverse("journal:inquiry_detail", args=[other.pk])).status_code == 404
        response = manager.post(reverse("journal:inquiry_handle", args=[other.pk]))
        assert response.status_code == 404
    assert not Inquiry.objects.filter(handled_at__isnull=False).exists()
    for who in ("coach", "company_user", "funder_viewer", "editor"):
        assert world.client(who).get(reverse("journal:inquiry_list")).status_code == 403


def test_marking_handled_records_who_and_when_and_moves_it_out_of_the_waiting_list(world):
    inquiry = _inquiry(world.partner, name="Väntande Avsändare")
    manager = world.client("partner_manager")
    # the start page shows what waits
    assert "Väntande Avsändare" in manager.get(reverse("core:dashboard")).content.decode()
    detail = reverse("journal:inquiry_detail", args=[inquiry.pk])
    html = manager.get(detail).content.decode()
    assert "bo@example.se" in html
    assert "Hur kommer vi med?" in html
    response = manager.post(reverse("journal:inquiry_handle", args=[inquiry.pk]))
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.handled_by == world.users["partner_manager"]
    assert inquiry.handled_at is not None
    url = reverse("journal:inquiry_list")
    assert "Väntande Avsändare" not in _rows(manager.get(url).content.decode())
    handled = _rows(manager.get(url, {"handled": "yes"}).content.decode())
    assert "Väntande Avsändare" in handled
    assert "Väntande Avsändare" not in manager.get(reverse("core:dashboard")).content.decode()
    # marked again by the office: the first who is kept; then reopened
    office = world.client("program_manager")
    office.post(reverse("journal:inquiry_handle", args=[inquiry.pk]))
    inquiry.refresh_from_db()
    assert inquiry.handled_by == world.users["partner_manager"]
    office.post(reverse("journal:inquiry_handle", args=[inquiry.pk]), {"handled": "0"})
    inquiry.refresh_from_db()
    assert inquiry.handled_at is None
    assert inquiry.handled_by is None


def test_an_empty_inbox_says_what_comes_there(world):
    html = world.client("program_manager").get(reverse("journal:inquiry_list")).content.decode()
    assert "Inget väntar på svar." in html
    html = (
        world.client("program_manager")
        .get(reverse("journal:inquiry_list"), {"q": "ingenting"})
        .content.decode()
    )
    assert "Inga ärenden matchar filtret." in html


def test_the_inbox_costs_the_same_queries_with_1_and_with_30_inquiries(
    world, django_assert_max_num_queries
):
    office = world.client("program_manager")
    url = reverse("journal:inquiry_list")
    _inquiry(world.partner)
    office.get(url)  # warm the session and the user's memberships
    with django_assert_max_num_queries(14) as one:
        office.get(url)
    for number in range(30):
        _inquiry(world.partner if number % 2 else world.other_partner, name=f"Avsändare {number}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        office.get(url)
