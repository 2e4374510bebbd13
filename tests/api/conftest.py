from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from redthread.accounts.api_tokens import api_token_create


def token_for(user, *, can_write: bool = True, name: str = "CRM-synk") -> str:
    _token, secret = api_token_create(
        user=user,
        name=name,
        can_write=can_write,
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    return secret


class ApiClient:
    """A client that sends a token (or nothing, for ``anonymous``)."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, url: str, **headers):
        return self.client.get(url, headers={**self.headers, **headers})

    def post(self, url: str, data, **headers):
        return self.client.post(
            url, data, content_type="application/json", headers={**self.headers, **headers}
        )

    def patch(self, url: str, data, **headers):
        return self.client.patch(
            url, data, content_type="application/json", headers={**self.headers, **headers}
        )


@pytest.fixture
def api(world):
    """``api("coach")`` → a client with a read-write token of that user of the world."""
    made: dict[str, ApiClient] = {}

    def client(who: str, *, can_write: bool = True) -> ApiClient:
        key = f"{who}:{can_write}"
        if key not in made:
            made[key] = ApiClient(
                None if who == "anonymous" else token_for(world.users[who], can_write=can_write)
            )
        return made[key]

    return client
