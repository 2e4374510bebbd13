"""A respondent by link sees their own result at the end, and only theirs; a used link
says it has been used; the respondent's pages show nothing of the platform."""

import shutil
import subprocess
import time
from unittest import mock

from django.conf import settings
from django.test import Client
from django.urls import reverse

from redthread.assessments import services, views

from .conftest import answer_all


def _link(round_, **kwargs):
    response = services.response_add(round=round_, mode="self", **kwargs)
    return response, services.response_issue_link(response=response)


def _page(token, page):
    return reverse("assessments:self_page", args=[token, page])


def _answer_by_link(client, token, *, a1, b1):
    client.post(_page(token, 1), {"a1": a1, "a2": "z", "a3": "20", "move": "next"})
    done = client.post(_page(token, 2), {"b1": b1, "b2": [], "move": "submit"})
    assert done["Location"] == reverse("assessments:self_done")


def _pdf_text(content, tmp_path):
    pdf = tmp_path / "own.pdf"
    pdf.write_bytes(content)
    binary = shutil.which("pdftotext")
    assert binary is not None, "pdftotext is missing: run make system-deps (poppler-utils)"
    return subprocess.run(  # noqa: S603 - our own file, a fixed program
        [binary, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_the_respondent_sees_their_own_scores_with_bands_and_what_they_mean(round_):
    _response, token = _link(round_)
    client = Client()
    _answer_by_link(client, token, a1="5", b1="yes")
    page = client.get(reverse("assessments:self_done"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ditt resultat" in text
    assert "Vad betyder det här?" in text
    # a: (2 × 1 + 1 + 1) / 4 = 100; b: (1 + 0) / 2 = 50: both in the band "Hög".
    assert [(r["dimension"].code, r["score"]) for r in page.context["rows"]] == [
        ("a", 100.0),
        ("b", 50.0),
    ]
    assert "Hög nivå." in text
    assert "<svg" in text
    assert reverse("assessments:self_report") in text


def test_a_respondent_sees_only_their_own_answers(world, round_, tmp_path):
    first, first_token = _link(round_, group="management")
    second, second_token = _link(round_, group="shop_floor")
    mine, theirs = Client(), Client()
    _answer_by_link(mine, first_token, a1="5", b1="yes")
    _answer_by_link(theirs, second_token, a1="0", b1="no")
    rows = mine.get(reverse("assessments:self_done")).context["rows"]
    first.refresh_from_db()
    assert {r["dimension"].code: r["score"] for r in rows} == first.scores["dimensions"]
    other_rows = theirs.get(reverse("assessments:self_done")).context["rows"]
    second.refresh_from_db()
    assert {r["dimension"].code: r["score"] for r in other_rows} == second.scores["dimensions"]
    assert rows != other_rows
    # The PDF holds the same, and only for the browser that answered.
    text = _pdf_text(mine.get(reverse("assessments:self_report")).content, tmp_path)
    assert "Ditt resultat" in text
    assert "Testverkstaden AB" in text
    # A browser that answered nothing sees no result and gets no PDF.
    stranger = Client()
    thanks = stranger.get(reverse("assessments:self_done"))
    assert "rows" not in thanks.context
    assert "Ditt resultat" not in thanks.content.decode()
    assert stranger.get(reverse("assessments:self_report"))["Location"] == reverse(
        "assessments:self_done"
    )
    # Nor does a forged or stale value in the session.
    session = stranger.session
    session["assessments.own_result"] = str(first.pk)
    session.save()
    assert "rows" not in stranger.get(reverse("assessments:self_done")).context


def test_the_proof_expires(round_):
    _response, token = _link(round_)
    client = Client()
    _answer_by_link(client, token, a1="3", b1="no")
    assert "rows" in client.get(reverse("assessments:self_done")).context
    # Two hours and a second later the value in the session no longer opens the result.
    later = time.time() + views.OWN_RESULT_SECONDS + 1
    with mock.patch("django.core.signing.time.time", return_value=later):
        page = client.get(reverse("assessments:self_done"))
    assert "rows" not in page.context
    assert views.OWN_RESULT_KEY not in client.session


def test_a_used_link_says_it_has_been_used(round_):
    _response, token = _link(round_)
    client = Client()
    _answer_by_link(client, token, a1="3", b1="no")
    used = client.get(_page(token, 1))
    assert used.status_code == 410
    text = used.content.decode()
    assert "Länken har redan använts" in text
    assert "Länken finns inte" not in text
    # The browser that answered is pointed to its result; another is not.
    assert reverse("assessments:self_done") in text
    elsewhere = Client().get(_page(token, 1)).content.decode()
    assert "Länken har redan använts" in elsewhere
    assert "Se ditt resultat" not in elsewhere
    # Posting to the used link saves nothing and says the same.
    again = client.post(_page(token, 1), {"a1": "0", "move": "next"})
    assert again.status_code == 410


def test_the_respondent_sees_nothing_of_the_platform(world, round_):
    _response, token = _link(round_)
    for url in (_page(token, 1), reverse("assessments:self_done"), _page("not-a-token", 1)):
        text = Client().get(url).content.decode()
        assert reverse("accounts:login") not in text, url
        assert "Logga in" not in text, url
        assert "Huvudmeny" not in text, url
        assert 'href="/"' not in text, url
    # Even a signed-in user opening a respondent link sees only the questionnaire.
    text = world.client("coach").get(_page(token, 1)).content.decode()
    assert "Huvudmeny" not in text
    assert "Logga ut" not in text


def test_level_descriptions_are_shown_on_demand(round_):
    _response, token = _link(round_)
    text = Client().get(_page(token, 1)).content.decode()
    assert "<details" in text
    assert "Vad betyder nivåerna?" in text
    # Each level's radio is described by its text, for screen readers.
    assert 'aria-describedby="id_a1_0_text"' in text
    assert 'id="id_a1_0_text"' in text


def test_the_own_result_in_english(round_):
    _response, token = _link(round_)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _answer_by_link(client, token, a1="5", b1="yes")
    text = client.get(reverse("assessments:self_done")).content.decode()
    assert "Your result" in text
    assert "What does this mean?" in text
    assert "Hög nivå. (en)" in text


def test_a_coach_answering_with_the_company_is_not_shown_a_respondent_result(world, round_):
    response = services.response_add(round=round_)
    answer_all(response)
    page = world.client("coach").get(reverse("assessments:self_done"))
    assert "rows" not in page.context


def test_a_withdrawn_link_says_so_and_nothing_else(round_):
    response, token = _link(round_)
    services.response_revoke_link(response=response)
    page = Client().get(_page(token, 1))
    assert page.status_code == 410
    text = page.content.decode()
    assert "har dragits tillbaka eller ersatts" in text
    assert "Länken finns inte" not in text
    assert round_.company.name not in text
    # A link never issued is still one that does not exist.
    assert "Länken finns inte" in Client().get(_page("x" * 32, 1)).content.decode()


def test_the_questionnaires_page_list_numbers_each_page_once(round_):
    import re

    _response, token = _link(round_)
    html = Client().get(_page(token, 1)).content.decode()
    steps = re.search(r'<ol class="page-steps">(.*?)</ol>', html, re.S)
    assert steps
    # The list numbers its items; the labels carry no number of their own ("1. 1. …").
    labels = re.findall(r'name="move" value="\d+"[^>]*>([^<]+)</button>', steps[1])
    assert labels
    assert not any(re.match(r"\s*\d+\.", label) for label in labels)
