from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .access_matrix import ROWS, Row
from .conftest import WHO

# Django's admin (an operator's tool with its own staff check, tested in
# tests/accounts/test_admin_access.py), the language switch (a POST-only Django view) and
# static files in development are not the product's pages.
OUTSIDE_MATRIX = {"admin", "set_language"}


def _named_patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in OUTSIDE_MATRIX:
                continue
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            found.extend(_named_patterns(pattern, namespace))
        elif isinstance(pattern, URLPattern):
            found.append((f"{prefix}{pattern.name}" if pattern.name else "", str(pattern.pattern)))
    return found


def test_every_url_has_a_row():
    covered = {row.url_name for row in ROWS}
    missing = []
    for name, route in _named_patterns(get_resolver()):
        if name in OUTSIDE_MATRIX or route.startswith("^static/"):
            continue
        if not name:
            missing.append(f"unnamed pattern {route!r}: name it and add a row")
        elif name not in covered:
            missing.append(name)
    assert not missing, f"URL patterns without a row in tests/access_matrix.py: {missing}"


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_access(row: Row, world):
    url = reverse(row.url_name, kwargs=row.kwargs(world))
    wrong = []
    for who in WHO:
        response = world.client(who).get(url)
        expected = row.expected(who)
        if response.status_code != expected:
            wrong.append(f"{who}: got {response.status_code}, expected {expected}")
        elif expected == 302 and who == "anonymous" and not row.public:
            assert response["Location"].startswith(reverse("accounts:login"))
    assert not wrong, f"{url}:\n  " + "\n  ".join(wrong)
