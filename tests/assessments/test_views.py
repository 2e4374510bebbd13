import datetime
import re
import shutil
import subprocess

from django.urls import reverse
from django.utils import timezone

from redthread.assessments import services
from redthread.assessments.models import AssessmentRound, Response, ResponseStatus

from .conftest import answer_all


def _link(round_, **kwargs):
    response = services.response_add(round=round_, **kwargs)
    return response, services.response_issue_link(response=response)


def _page(token, page):
    return reverse("assessments:self_page", args=[token, page])


def test_a_self_assessment_by_link_page_by_page(client, round_):
    response, token = _link(round_, group="shop_floor")
    page = client.get(_page(token, 1))
    assert page.status_code == 200
    assert "Sida 1 av 2" in page.content.decode()
    saved = client.post(_page(token, 1), {"a1": "4", "a2": "z", "a3": "15", "move": "next"})
    assert saved.status_code == 302
    assert saved["Location"] == _page(token, 2)
    # Progress survives: going back shows what was answered.
    again = client.get(_page(token, 1))
    assert again.context["form"].initial["a1"] == 4
    done = client.post(_page(token, 2), {"b1": "yes", "b2": ["p", "q"], "move": "submit"})
    assert done["Location"] == reverse("assessments:self_done")
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    round_.refresh_from_db()
    # a: (2 × 0.8 + 1 + 0.75) / 4; b: (1 + 0.75) / 2
    assert round_.scores["dimensions"] == {"a": 83.75, "b": 87.5}
    # The link is used up: a clear message, never an error page.
    used = client.get(_page(token, 1))
    assert used.status_code == 410
    assert "Länken går inte att använda" in used.content.decode()


def test_a_tampered_answer_is_refused_and_the_rest_of_the_page_kept(client, round_):
    response, token = _link(round_)
    page = client.post(_page(token, 1), {"a1": "9", "a2": "z", "a3": "tolv", "move": "next"})
    assert page.status_code == 422
    text = page.content.decode()
    assert "Välj en nivå mellan 0 och 5." in text
    assert "Skriv ett tal, till exempel 12 eller 12,5." in text
    # What the respondent typed is still in the form, and the valid answer is saved.
    assert 'value="tolv"' in text
    response.refresh_from_db()
    assert response.answers == {"a2": "z"}


def test_submitting_a_half_filled_form_says_what_is_missing(client, round_):
    response, token = _link(round_)
    page = client.post(_page(token, 2), {"b1": "no", "move": "submit"})
    assert page.status_code == 422
    text = page.content.decode()
    assert "Några frågor är obesvarade" in text
    assert _page(token, 1) in text
    response.refresh_from_db()
    assert response.status == ResponseStatus.DRAFT
    assert response.answers == {"b1": "no", "b2": []}


def test_an_expired_link_says_so_and_keeps_the_answers(client, round_):
    response, token = _link(round_)
    client.post(_page(token, 1), {"a1": "2", "move": "next"})
    Response.objects.filter(pk=response.pk).update(
        token_expires=timezone.now() - datetime.timedelta(seconds=1)
    )
    page = client.get(_page(token, 1))
    assert page.status_code == 410
    assert "slutat gälla" in page.content.decode()
    # A new link continues where the respondent left off.
    fresh = services.response_issue_link(response=response)
    assert client.get(_page(fresh, 1)).context["form"].initial["a1"] == 2


def test_a_second_tab_does_not_overwrite_silently(world, round_):
    response = services.response_add(round=round_)
    url = reverse("assessments:response_answer", args=[round_.pk, response.pk, 1])
    coach = world.client("coach")
    opened = coach.get(url).context["form"].initial["revision"]
    coach.post(url, {"a1": "5", "revision": opened, "move": "next"})
    stale = coach.post(url, {"a1": "1", "revision": opened, "move": "next"})
    assert stale.status_code == 409
    assert "Någon annan har sparat svar" in stale.content.decode()
    # The second tab keeps what it chose, to compare and redo.
    assert re.search(r'name="a1" value="1"[^>]*checked', stale.content.decode())
    response.refresh_from_db()
    assert response.answers["a1"] == 5


def test_the_coach_adds_respondents_and_gets_links_once(world, round_):
    coach = world.client("coach")
    url = round_.get_absolute_url()
    page = coach.post(
        url,
        {"action": "add", "group": "shop_floor", "label": "Montering", "mode": "self", "count": 2},
    )
    assert page.status_code == 200
    links = page.context["new_links"]
    assert len(links) == 2
    assert all("/sjalvskattning/" in link["url"] for link in links)
    assert all(link["qr"].startswith("<svg") for link in links)
    assert "Skicka med e-post" in page.content.decode()
    # The link is shown once: the next visit does not show it.
    assert coach.get(url).context["new_links"] == []
    assert world.client("company_user").post(url, {"action": "add", "count": 1}).status_code == 403


def test_the_result_page_shows_scores_bands_gap_and_the_peer_note(
    world, round_, django_assert_max_num_queries
):
    answer_all(
        services.response_add(round=round_, group="management"),
        a1="5",
        a2="z",
        a3="20",
        b1="yes",
        b2=["q", "r"],
    )
    answer_all(
        services.response_add(round=round_, group="shop_floor"), a1="1", a2="x", a3="0", b1="no"
    )
    client = world.client("company_user")
    with django_assert_max_num_queries(30):
        page = client.get(round_.get_absolute_url())
    text = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in text
    assert "Skillnad mellan grupperna" in text
    assert "Percentiler visas först när det finns minst 5" in text
    # The company sees its result but cannot manage respondents.
    assert "Lägg till svarande" not in text


def test_the_round_list_filters_and_counts_queries(world, round_, django_assert_max_num_queries):
    answer_all(services.response_add(round=round_))
    client = world.client("program_manager")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("assessments:round_list"), {"q": "Testverkstaden"})
    assert [r.pk for r in page.context["listing"].page.object_list] == [round_.pk]
    page = client.get(reverse("assessments:round_list"), {"timepoint": "T1"})
    assert list(page.context["listing"].page.object_list) == []
    assert (
        world.client("other_company_user")
        .get(reverse("assessments:round_list"))
        .context["listing"]
        .page.object_list.__len__()
        == 0
    )


def test_a_round_is_created_from_the_form(world, instrument, coached):
    client = world.client("coach")
    url = reverse("assessments:round_create")
    page = client.post(
        url,
        {
            "company": world.company.pk,
            "instrument": instrument.pk,
            "timepoint": "T0",
            "date": "2026-04-01",
        },
    )
    round_ = AssessmentRound.objects.get()
    assert page["Location"] == round_.get_absolute_url()
    assert list(round_.coaches.all()) == [world.users["coach"]]
    # A company the coach cannot see is not offered.
    refused = client.post(
        url,
        {
            "company": world.other_company.pk,
            "instrument": instrument.pk,
            "timepoint": "T0",
            "date": "2026-04-01",
        },
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["company"]


def test_the_pdf_report_renders_with_its_headings(world, round_, tmp_path):
    answer_all(services.response_add(round=round_))
    page = world.client("company_user").get(reverse("assessments:round_report", args=[round_.pk]))
    assert page["Content-Type"] == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(page.content)
    binary = shutil.which("pdftotext")
    assert binary is not None, "pdftotext is missing: run make system-deps (poppler-utils)"
    text = subprocess.run(  # noqa: S603 - our own file, a fixed program
        [binary, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Testinstrument" in text
    assert "Testverkstaden AB" in text
    assert "Rekommendationer" in text
    assert "Poäng per dimension" in text


def test_the_start_page_lists_the_latest_rounds(world, round_):
    answer_all(services.response_add(round=round_))
    page = world.client("coach").get(reverse("core:dashboard"))
    (panel,) = [p for p in page.context["panels"] if "rounds" in p]
    assert panel["rounds"] == [round_]
    assert "Senaste mätningarna" in page.content.decode()
    # The company sees its own results, in its words; another company sees nothing.
    home = world.client("company_user").get(reverse("core:dashboard"))
    (results,) = home.context["panels"]
    assert results["rounds"] == [round_]
    assert "Era resultat" in home.content.decode()
    assert world.client("other_company_user").get(reverse("core:dashboard")).context["panels"] == []
