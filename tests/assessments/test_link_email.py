"""A respondent's single-use link sent by e-mail from the round's page, through the outbox
and a real SMTP server (tests/smtp_server.py)."""

from __future__ import annotations

from typing import Any

from redthread.assessments import services
from redthread.messaging.models import Message, MessageStatus

from ..smtp_server import SmtpServer


def _shown(page: Any) -> dict[str, Any]:
    links: list[dict[str, Any]] = page.context["new_links"]
    [link] = links
    return link


def test_the_coach_sends_a_link_by_email_and_it_arrives(
    world, round_, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    coach = world.client("coach")
    url = round_.get_absolute_url()
    page = coach.post(
        url, {"action": "add", "group": "shop_floor", "label": "Lager", "mode": "self", "count": 1}
    )
    link = _shown(page)
    response = link["response"]
    with django_capture_on_commit_callbacks(execute=True):
        sent = coach.post(
            url,
            {
                "action": "email",
                "response": response.pk,
                "shown": page.context["shown_links"],
                f"link-{response.pk}-email": "lager@example.test",
            },
        )
    assert sent.status_code == 200
    assert "Länken är skickad till lager@example.test" in sent.content.decode()
    # The link is shown again, so the others can still be copied or sent.
    assert _shown(sent)["url"] == link["url"]

    message = Message.objects.get()
    assert message.kind == "respondent_link"
    assert message.status == MessageStatus.SENT
    assert message.about == response
    assert message.about_text == str(round_)
    [received] = smtp_server.messages
    assert received["To"] == "lager@example.test"
    assert received["Subject"] == f"Självskattning för {round_.company.name}"
    text = received.get_body(preferencelist=("plain",))
    assert text is not None
    assert link["url"] in text.get_content()
    html = received.get_body(preferencelist=("html",))
    assert html is not None
    assert f'href="{link["url"]}"' in html.get_content()


def test_a_link_that_is_not_the_current_one_is_not_sent(world, round_, smtp_server: SmtpServer):
    response = services.response_add(round=round_, mode="self")
    old = services.response_issue_link(response=response)
    services.response_issue_link(response=response)  # the old link stops working
    page = world.client("coach").post(
        round_.get_absolute_url(),
        {
            "action": "email",
            "response": response.pk,
            "shown": [f"{response.pk}:{old}", f"{response.pk}:forged"],
            f"link-{response.pk}-email": "x@example.test",
        },
    )
    assert page.status_code == 200
    assert page.context["new_links"] == []
    assert Message.objects.count() == 0
    assert smtp_server.messages == []


def test_a_bad_address_is_shown_beside_the_field(world, round_):
    response = services.response_add(round=round_, mode="self")
    token = services.response_issue_link(response=response)
    page = world.client("coach").post(
        round_.get_absolute_url(),
        {
            "action": "email",
            "response": response.pk,
            "shown": [f"{response.pk}:{token}"],
            f"link-{response.pk}-email": "inte-en-adress",
        },
    )
    assert _shown(page)["form"].errors["email"]
    assert Message.objects.count() == 0


def test_only_those_who_conduct_may_send(world, round_):
    response = services.response_add(round=round_, mode="self")
    token = services.response_issue_link(response=response)
    page = world.client("company_user").post(
        round_.get_absolute_url(),
        {
            "action": "email",
            "response": response.pk,
            "shown": [f"{response.pk}:{token}"],
            f"link-{response.pk}-email": "x@example.test",
        },
    )
    assert page.status_code == 403
    assert Message.objects.count() == 0
