import datetime

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from redthread.core.models import RateLimitHit
from redthread.core.ratelimit import client_address, rate_limit_hit

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


def _hit(at, *, bucket="contact", key="192.0.2.7", limit=3, window=600):
    return rate_limit_hit(bucket=bucket, key=key, limit=limit, window=window, now=at)


def test_the_limit_holds_and_says_when_to_come_back():
    seconds = datetime.timedelta(seconds=1)
    assert [_hit(NOW + i * seconds).allowed for i in range(3)] == [True, True, True]
    refused = _hit(NOW + 10 * seconds)
    assert not refused.allowed
    # The first hit leaves the 600-second window 590 seconds later.
    assert refused.retry_after_seconds == 590
    # A refused request is not counted.
    assert RateLimitHit.objects.count() == 3


def test_the_window_slides_past_old_hits():
    for _ in range(3):
        assert _hit(NOW)
    assert not _hit(NOW + datetime.timedelta(seconds=599))
    assert _hit(NOW + datetime.timedelta(seconds=600))


def test_buckets_and_keys_are_independent():
    for _ in range(3):
        assert _hit(NOW)
    assert not _hit(NOW)
    assert _hit(NOW, bucket="apply")
    assert _hit(NOW, key="192.0.2.8")


def test_the_client_is_kept_only_as_a_keyed_hash():
    _hit(NOW, key="someone@example.org")
    stored = RateLimitHit.objects.get()
    assert "someone" not in stored.key_hash
    assert len(stored.key_hash) == 64


def test_retention_prunes_old_hits_only(settings):
    settings.REDTHREAD_RATE_LIMIT_RETENTION_DAYS = 2
    now = timezone.now()
    _hit(now - datetime.timedelta(days=5))
    _hit(now)
    call_command("apply_retention", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(RateLimitHit.objects.values_list("at", flat=True)) == [now]


def test_the_client_address_trusts_only_the_configured_proxies(settings):
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.5")
    settings.REDTHREAD_TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.1"
    settings.REDTHREAD_TRUSTED_PROXY_COUNT = 1
    # The client may have written 6.6.6.6 itself; only what our proxy appended counts.
    assert client_address(request) == "192.0.2.5"
    settings.REDTHREAD_TRUSTED_PROXY_COUNT = 2
    assert client_address(request) == "6.6.6.6"
    assert client_address(factory.get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"
