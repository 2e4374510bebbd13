from __future__ import annotations

import json

import pytest
from django.test import Client

from redthread.api.api import api as ninja_api
from redthread.registry.services import person_create

from ..conftest import WHO
from .api_matrix import API_ROWS, ApiRow
from .conftest import token_for


def test_every_operation_has_a_row():
    covered = {(r.method, r.path) for r in API_ROWS}
    schema = ninja_api.get_openapi_schema(path_prefix="/api/v1/")
    missing = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
        if (method.upper(), path) not in covered
    ]
    assert not missing, f"API operations without a row in tests/api/api_matrix.py: {missing}"


@pytest.mark.parametrize("row", API_ROWS, ids=[r.id for r in API_ROWS])
def test_api_access(row: ApiRow, world, coached):
    person_create(organisation=world.company, first_name="Anna", last_name="Ek")
    person_create(organisation=world.partner, first_name="Bo", last_name="Al")
    extra = {"engagement": coached}
    path = row.path.format(**row.params(world, extra))
    body = row.body(world, extra)
    wrong = []
    for who in WHO:
        headers = {}
        if who != "anonymous":
            headers["Authorization"] = f"Bearer {token_for(world.users[who], name=who)}"
        client = Client()
        if row.method == "GET":
            response = client.get(path, headers=headers)
        else:
            response = client.generic(
                row.method,
                path,
                json.dumps(body or {}),
                content_type="application/json",
                headers=headers,
            )
        expected = row.expected(who)
        if response.status_code != expected:
            wrong.append(f"{who}: got {response.status_code}, expected {expected}")
            continue
        if "code" in response.json() and expected >= 400:
            assert set(response.json()) == {"code", "message", "errors"}
        if row.method == "GET" and expected == 200 and "items" in response.json():
            items = response.json()["items"]
            if who in row.empty and items:
                wrong.append(f"{who}: expected an empty list, got {len(items)} rows")
            elif who in row.ok and not items and row.empty:
                wrong.append(f"{who}: expected rows, got none")
            if row.listed is not None:
                found = row.listed(world, extra) in {item["id"] for item in items}
                if found != (who in row.sees):
                    wrong.append(f"{who}: {'finds' if found else 'misses'} the listed object")
    assert not wrong, f"{row.id} {path}:\n  " + "\n  ".join(wrong)
