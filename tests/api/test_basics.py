from __future__ import annotations

import datetime

from django.test import Client
from django.utils import timezone

from redthread.accounts.api_tokens import api_token_create, api_token_revoke
from redthread.accounts.models import ApiToken
from redthread.registry.models import Organisation

from .conftest import ApiClient, token_for


def test_the_openapi_document_and_the_docs(world):
    client = Client()
    document = client.get("/api/v1/openapi.json")
    assert document.status_code == 200
    assert "/api/v1/companies" in document.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    # Served from our own static files: nothing from elsewhere under our CSP.
    assert b"cdn" not in docs.content.lower()
    assert "'self'" in docs["Content-Security-Policy"]


def test_anonymous_is_401_with_the_error_body(world):
    response = Client().get("/api/v1/companies")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthenticated"
    assert body["errors"] == {}
    assert response["WWW-Authenticate"] == "Bearer"


def test_the_message_is_in_the_callers_language(world):
    sv = Client().get("/api/v1/companies", headers={"Accept-Language": "sv"})
    en = Client().get("/api/v1/companies", headers={"Accept-Language": "en"})
    assert sv.json()["message"] != en.json()["message"]
    assert "API" in en.json()["message"]


def test_a_token_is_stored_hashed_and_shown_once(world, client):
    user = world.users["coach"]
    client.force_login(user)
    page = client.post(
        "/profil/api-nycklar/ny/",
        {"name": "CRM", "can_write": "1", "expires_on": str(timezone.localdate())},
    )
    assert page.status_code == 200
    secret = page.context["secret"]
    assert secret.startswith("rt_")
    assert secret.encode() in page.content
    assert page["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=user)
    assert secret not in token.secret_hash
    assert len(token.secret_hash) == 64
    profile = client.get("/profil/")
    assert secret.encode() not in profile.content
    assert token.prefix.encode() in profile.content
    assert ApiClient(secret).get("/api/v1/companies").status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_a_revoked_or_expired_token_is_refused(world):
    user = world.users["coach"]
    token, secret = api_token_create(
        user=user, name="x", can_write=False, expires_on=timezone.localdate()
    )
    assert ApiClient(secret).get("/api/v1/companies").status_code == 200
    assert api_token_revoke(user=user, token_id=token.pk)
    assert ApiClient(secret).get("/api/v1/companies").status_code == 401

    token, secret = api_token_create(
        user=user, name="y", can_write=False, expires_on=timezone.localdate()
    )
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert ApiClient(secret).get("/api/v1/companies").status_code == 401
    assert ApiClient("rt_made-up").get("/api/v1/companies").status_code == 401


def test_a_revoked_token_from_the_profile(world, client):
    user = world.users["coach"]
    token, secret = api_token_create(
        user=user, name="x", can_write=False, expires_on=timezone.localdate()
    )
    client.force_login(world.users["other_coach"])
    client.post(f"/profil/api-nycklar/{token.pk}/aterkalla/")
    assert ApiClient(secret).get("/api/v1/companies").status_code == 200  # not theirs
    client.force_login(user)
    client.post(f"/profil/api-nycklar/{token.pk}/aterkalla/")
    assert ApiClient(secret).get("/api/v1/companies").status_code == 401


def test_a_read_only_token_changes_nothing(world, api):
    response = api("program_manager", can_write=False).post(
        "/api/v1/companies", {"name": "Ny AB", "org_number": "556036-0793"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "read_only"


def test_the_browser_session_needs_its_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["program_manager"])
    assert client.get("/api/v1/companies").status_code == 200
    refused = client.post("/api/v1/companies", {"name": "Ny AB"}, content_type="application/json")
    assert refused.status_code == 403
    client.get("/profil/")
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        "/api/v1/companies",
        {"name": "Sessionsbolaget AB", "org_number": "212000-0142"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 201, accepted.content


def test_stale_if_match_is_412_and_missing_is_428(world, api):
    client = api("program_manager")
    url = f"/api/v1/companies/{world.company.pk}"
    read = client.get(url)
    etag = read["ETag"]
    assert client.patch(url, {"name": "Nytt namn AB"}).status_code == 428
    changed = client.patch(url, {"name": "Nytt namn AB"}, **{"If-Match": etag})
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] != etag
    stale = client.patch(url, {"name": "Ett annat namn AB"}, **{"If-Match": etag})
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    assert Organisation.objects.get(pk=world.company.pk).name == "Nytt namn AB"


def test_an_api_change_is_in_the_audit_trail_with_the_tokens_name(world):
    client = ApiClient(token_for(world.users["program_manager"], name="CRM-synk"))
    url = f"/api/v1/companies/{world.company.pk}"
    etag = client.get(url)["ETag"]
    client.patch(url, {"headcount": 42}, **{"If-Match": etag})
    record = Organisation.history.filter(id=world.company.pk).latest("history_date")
    assert "CRM-synk" in record.history_change_reason
    assert record.history_change_reason.startswith("API PATCH")
    assert record.history_user == world.users["program_manager"]


def test_an_idempotency_key_makes_one_company(world, api):
    client = api("program_manager")
    body = {"name": "Engångs AB", "org_number": "212000-0142"}
    first = client.post("/api/v1/companies", body, **{"Idempotency-Key": "k-1"})
    again = client.post("/api/v1/companies", body, **{"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Organisation.objects.filter(org_number="2120000142").count() == 1
    other = client.post(
        "/api/v1/companies", {**body, "name": "Annat AB"}, **{"Idempotency-Key": "k-1"}
    )
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"


def test_the_rate_limit_per_token(world, api, settings):
    settings.REDTHREAD_API_RATE = "3/min"
    client = api("coach")
    statuses = [client.get("/api/v1/companies").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/companies")
    assert limited.json()["code"] == "rate_limited"
    assert int(limited["Retry-After"]) > 0
    # Another token has its own allowance.
    assert api("program_manager").get("/api/v1/companies").status_code == 200


def test_cursor_pagination_visits_every_row_once(world, api):
    from tests.factories import OrganisationFactory

    for index in range(7):
        OrganisationFactory.create(kind="company", name="Samma namn AB", slug=f"samma-{index}")
    client = api("program_manager")
    seen = []
    url = "/api/v1/companies?limit=3&ordering=name"
    while url:
        page = client.get(url).json()
        seen += [item["id"] for item in page["items"]]
        url = (
            f"/api/v1/companies?limit=3&ordering=name&cursor={page['next']}" if page["next"] else ""
        )
    assert len(seen) == len(set(seen)) == Organisation.objects.filter(kind="company").count()
    bad = client.get("/api/v1/companies?cursor=forged")
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_cursor"
    assert client.get("/api/v1/companies?ordering=secret").status_code == 400


def test_a_form_error_names_the_field(world, api):
    response = api("program_manager").post(
        "/api/v1/companies", {"name": "Fel AB", "org_number": "123"}, **{"Accept-Language": "en"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert "org_number" in body["errors"]
