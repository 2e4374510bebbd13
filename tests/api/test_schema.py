"""The API tested from its own OpenAPI document: schemathesis draws requests for every
operation (valid and invalid ones) and checks that no answer is a server error and every
answer fits the document (status, content type, body, headers). Bounded: a few examples
per operation, so the whole file runs in well under a minute."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from redthread.api.api import api as ninja_api

from .conftest import token_for

schema = schemathesis.openapi.from_dict(ninja_api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = WSGIHandler()

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def caller(world, coached, settings):  # pytest's settings fixture
    settings.REDTHREAD_API_RATE = "100000/min"
    # Django's WSGI handler closes the database connection after each request; the test
    # client keeps it open (the test's transaction lives in it), and so must we.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"Authorization": f"Bearer {token_for(world.users['program_manager'])}"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_document(case, caller):
    # Every check but "a schema-valid request is accepted": the document cannot say that a
    # company needs an organisation number that passes its checksum, or that a cursor is
    # one the API signed, so such a request is rightly a 4xx with the error body.
    case.call_and_validate(headers=caller, excluded_checks=[positive_data_acceptance])
