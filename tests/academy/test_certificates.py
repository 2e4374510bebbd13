"""Certificates: issued on completion, printed with a QR code, checked by anyone."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from redthread.academy import certificates, services
from redthread.core.models import RateLimitHit

from .course_fixture import course_complete, course_make


@pytest.fixture
def certificate(world):
    s = course_make(world)
    course_complete(s, s.teacher)
    return services.certificate_issue(
        participant=s.participant, actor=s.teacher, on=datetime.date(2026, 6, 1)
    )


def _verify(client, code):
    return client.get(reverse("academy:verify"), {"code": code})


def test_codes_carry_a_check_symbol_and_forgive_how_they_are_typed():
    code = certificates.code_new()
    assert certificates.code_normalise(code) == code
    shown = certificates.code_display(code)
    assert certificates.code_normalise(shown.lower().replace("-", " - ")) == code
    wrong = code[:3] + ("1" if code[3] != "1" else "2") + code[4:]
    assert certificates.code_normalise(wrong) is None
    assert certificates.code_normalise(code[:-1]) is None
    assert certificates.code_normalise("<script>") is None


def test_no_certificate_before_completion(world):
    s = course_make(world)
    with pytest.raises(ValidationError):
        services.certificate_issue(participant=s.participant, actor=None)


def test_a_valid_code_shows_name_course_and_date(world, certificate):
    assert certificate.expires_on == datetime.date(2029, 6, 1)  # 36 months
    page = _verify(world.client("anonymous"), certificates.code_display(certificate.code))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Intyget är giltigt" in text
    assert "Coachutbildningen" in text
    assert certificate.participant.user.full_name in text
    assert "Ingen giltig kod" not in text


def test_a_forged_or_mistyped_code_reveals_nothing(world, certificate):
    client = world.client("anonymous")
    body = certificate.code[:-1]
    forged = body[:-1] + ("0" if body[-1] != "0" else "1")
    forged += certificates._check_symbol(forged)  # well formed, but never issued
    for code in (forged, certificate.code[:-1] + "?", "x" * 40):
        text = _verify(client, code).content.decode()
        assert "Ingen giltig kod" in text
        assert "Coachutbildningen" not in text
        assert certificate.participant.user.full_name not in text


def test_a_revoked_code_says_so_and_nothing_else(world, certificate):
    services.certificate_revoke(certificate=certificate, reason="Fusk i uppgiften.", actor=None)
    text = _verify(world.client("anonymous"), certificate.code).content.decode()
    assert "återkallat" in text
    assert "Fusk" not in text
    assert "Coachutbildningen" not in text
    with pytest.raises(ValidationError):
        services.certificate_renew(certificate=certificate, actor=None)


def test_an_expired_certificate_says_so_and_is_renewed(world, certificate):
    result = services.certificate_verify(
        code=certificate.code, client_address="192.0.2.1", today=datetime.date(2029, 6, 2)
    )
    assert result.status == "expired"
    renewal = services.certificate_renew(
        certificate=certificate, actor=None, on=datetime.date(2029, 6, 2)
    )
    assert renewal.code != certificate.code
    assert renewal.renewed_from == certificate
    assert renewal.expires_on == datetime.date(2032, 6, 2)
    assert (
        services.certificate_verify(
            code=renewal.code, client_address="192.0.2.1", today=datetime.date(2029, 6, 2)
        ).status
        == "valid"
    )


@override_settings(ACADEMY_VERIFY_LIMIT=3)
def test_the_check_is_rate_limited_per_address(world, certificate):
    client = world.client("anonymous")
    for _ in range(3):
        assert _verify(client, "AAAA-BBBB-CCCC").status_code == 200
    limited = _verify(client, certificate.code)
    assert limited.status_code == 429
    assert "För många kontroller" in limited.content.decode()
    assert "Intyget är giltigt" not in limited.content.decode()
    # The address is kept only as a keyed hash.
    assert RateLimitHit.objects.filter(bucket="certificate-verify").count() == 3
    assert not RateLimitHit.objects.filter(key_hash__contains="127.0.0.1").exists()
    other = client.get(
        reverse("academy:verify"), {"code": certificate.code}, REMOTE_ADDR="10.1.1.1"
    )
    assert other.status_code == 200


def test_the_pdf_is_printed_with_code_and_qr(world, certificate):
    response = world.client("program_manager").get(
        reverse("academy:certificate_pdf", args=[certificate.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_office_revokes_with_a_reason_on_the_page(world, certificate):
    client = world.client("program_manager")
    url = reverse("academy:certificate_revoke", args=[certificate.pk])
    client.post(url, {"reason": ""})
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    assert world.client("partner_manager").post(url, {"reason": "x"}).status_code == 403
    client.post(url, {"reason": "Uppgiften var inte egen."})
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Uppgiften var inte egen."
