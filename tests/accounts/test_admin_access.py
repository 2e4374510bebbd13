from __future__ import annotations

import pytest

from ..conftest import WHO


@pytest.mark.parametrize("who", WHO)
def test_only_the_admin_role_reaches_djangos_admin(world, who):
    response = world.client(who).get("/admin/")
    if who == "admin":
        assert response.status_code == 200
    else:
        # Everyone else is sent to the admin's own login page, which they cannot pass.
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
