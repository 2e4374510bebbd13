"""The journeys of `make load` (scripts/load/run.py starts the server): users of four kinds
on the demo's accounts, each signing in once and then going round its journey with a
pause of 1-3 s between pages, as a person would.

- coach: start page, its engagements, one engagement, its sessions table, the calendar;
  now and then logs a session (a real write through the form);
- company: start page, its messages, the maturity page, its results;
- office (program manager): start page, the company list and one company, the
  engagements, the results dashboard, now and then orders a funder report (the task
  worker makes it);
- funder: start page, the results dashboard per initiative (stored results computed by
  the task worker), the reports.

A request fails on any status but 2xx/3xx (a 404 on a link a page gave, a 500, a 503)
and on a page without the layout's main landmark. The run stops after
``LOAD_MAX_REQUESTS`` requests, or at ``--run-time``, whichever comes first.
"""

from __future__ import annotations

import datetime
import os
import random
import re
from html.parser import HTMLParser
from typing import Any

from locust import HttpUser, between, events, task

PASSWORD = "demo"  # noqa: S105 - the demo's published password  # nosec B105
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "40000"))
_state: dict[str, Any] = {"requests": 0, "environment": None}


@events.init.add_listener
def _keep(environment: Any, **_kwargs: Any) -> None:
    _state["environment"] = environment


@events.request.add_listener
def _bounded(**_kwargs: Any) -> None:
    _state["requests"] += 1
    environment = _state["environment"]
    if _state["requests"] == MAX_REQUESTS and environment and environment.runner:
        print(f"load: {MAX_REQUESTS} requests made, stopping")
        environment.runner.quit()


class _Forms(HTMLParser):
    """The forms of a page: action → field values, as a browser would submit them with
    the defaults shown (the first option of a select without a selected one, checked
    boxes only)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, list[tuple[str, str]]] = {}
        #: Every value a select, checkbox or radio of that name offers.
        self.options: dict[str, list[str]] = {}
        self._form: list[tuple[str, str]] | None = None
        self._select: tuple[str, list[str], str | None] | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = self.forms.setdefault(a.get("action", ""), [])
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                self.options.setdefault(a["name"], []).append(a.get("value", ""))
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            if kind not in {"submit", "button", "file"}:
                self._form.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], [], None)
        elif tag == "option" and self._select is not None:
            name, options, _chosen = self._select
            options.append(a.get("value", ""))
            self.options.setdefault(name, []).append(a.get("value", ""))
            if "selected" in a:
                self._select = (name, options, a.get("value", ""))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form.append((a["name"], ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options, chosen = self._select
            value = chosen if chosen is not None else next((o for o in options if o), "")
            self._form.append((name, value))
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(html: str) -> dict[str, list[tuple[str, str]]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def options_of(html: str, name: str) -> list[str]:
    parser = _Forms()
    parser.feed(html)
    return [value for value in parser.options.get(name, []) if value]


class Journey(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    email = ""

    def on_start(self) -> None:
        page = self.client.get("/login/", name="/login/")
        self._plain_cookies()
        fields = dict(forms_of(page.text).get("", []) or forms_of(page.text).get("/login/", []))
        token = fields.get("csrfmiddlewaretoken") or _csrf(page.text)
        with self.client.post(
            "/login/",
            {"csrfmiddlewaretoken": token, "username": self.email, "password": PASSWORD},
            name="/login/ (post)",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302 or "/login/" in answer.headers.get("Location", ""):
                answer.failure(f"{self.email} was not signed in ({answer.status_code})")
        self.page("/")

    def _plain_cookies(self) -> None:
        # DEBUG is off, so the cookies are Secure; on the loopback they go over plain http.
        for cookie in self.client.cookies:
            cookie.secure = False

    def page(self, url: str, name: str | None = None) -> str:
        self._plain_cookies()
        with self.client.get(url, name=name or url, catch_response=True) as answer:
            if (
                answer.ok
                and "<main" not in answer.text
                and "text/html" in answer.headers.get("Content-Type", "")
            ):
                answer.failure("no <main> in the page")
            text: str = answer.text
            return text

    def links(self, html: str, pattern: str) -> list[str]:
        return sorted(set(re.findall(rf'href="({pattern})"', html)))

    def post_form(
        self, page_url: str, html: str, action_end: str, changes: dict[str, str], name: str
    ) -> None:
        forms = forms_of(html)
        # A form without an action posts to its own page.
        action = next((a for a in forms if (a or page_url).endswith(action_end)), None)
        if action is None:
            return
        self._plain_cookies()
        data = [(k, v) for k, v in forms[action] if k not in changes] + list(changes.items())
        with self.client.post(
            action or page_url,
            data,
            name=name,
            headers={"Referer": f"{self.host}{page_url}"},
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            # A form that is accepted redirects; one shown again was refused.
            if answer.status_code != 302:
                answer.failure(f"not accepted ({answer.status_code})")
                return
            then = answer.headers.get("Location", "")
        if then:
            self.page(then, re.sub(r"\d+", "[id]", then.split("?")[0]))


def _csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""


class Coach(Journey):
    weight = 4
    email = "coach@demo.test"

    @task
    def round(self) -> None:
        self.page("/")
        listing = self.page("/uppdrag/")
        engagements = self.links(listing, r"/uppdrag/\d+/")
        if not engagements:
            return
        url = random.choice(engagements)  # noqa: S311  # nosec B311 - not secret
        detail = self.page(url, "/uppdrag/[id]/")
        self.page(f"{url}tillfallen/", "/uppdrag/[id]/tillfallen/")
        self.page("/uppdrag/kalender/")
        if random.random() < 0.3:  # noqa: S311  # nosec B311 - not secret
            # A session is logged on an engagement that is going on (a closed one refuses).
            active = self.links(
                self.page("/uppdrag/?status=active", "/uppdrag/?status=active"),
                r"/uppdrag/\d+/",
            )
            if not active:
                return
            url = random.choice(active)  # noqa: S311  # nosec B311 - not secret
            detail = self.page(url, "/uppdrag/[id]/")
            self.post_form(
                url,
                detail,
                "/tillfallen/nytt/",
                {
                    "session-coaches": (options_of(detail, "session-coaches") or [""])[0],
                    "session-date": datetime.date.today().isoformat(),  # noqa: DTZ011
                    "session-notes": "Lasttest: samtal om flödet.",
                },
                "/uppdrag/[id]/tillfallen/nytt/ (post)",
            )


class Company(Journey):
    weight = 2
    email = "foretag@demo.test"

    @task
    def round(self) -> None:
        home = self.page("/")
        self.page("/meddelanden/mina/")
        for url in self.links(home, r"/(?:uppdrag|foretag|resultat|matningar|mognad)/[^\"]*")[:3]:
            self.page(url, re.sub(r"\d+", "[id]", url))


class Office(Journey):
    weight = 2
    email = "programledare@demo.test"

    @task
    def round(self) -> None:
        self.page("/")
        listing = self.page("/foretag/")
        companies = self.links(listing, r"/foretag/\d+/")
        if companies:
            self.page(random.choice(companies), "/foretag/[id]/")  # noqa: S311  # nosec B311
        self.page("/uppdrag/")
        self.page("/resultat/")
        reports = self.page("/resultat/rapporter/")
        if random.random() < 0.1:  # noqa: S311  # nosec B311 - not secret
            self.post_form(
                "/resultat/rapporter/",
                reports,
                "/resultat/rapporter/",
                {"initiative": (options_of(reports, "initiative") or [""])[0]},
                "/resultat/rapporter/ (post)",
            )


class Funder(Journey):
    weight = 2
    email = "finansiar@demo.test"

    @task
    def round(self) -> None:
        self.page("/")
        dashboard = self.page("/resultat/")
        for initiative in options_of(dashboard, "initiative")[:2]:
            self.page(f"/resultat/?initiative={initiative}", "/resultat/?initiative=[id]")
        self.page("/resultat/rapporter/")
