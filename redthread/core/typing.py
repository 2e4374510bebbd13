"""Who is asking, as core sees it: core sits below accounts and cannot name its ``User``
(accounts.typing.RequestUser is the precise type for every app above)."""

from __future__ import annotations

from typing import Any, Protocol


class Asker(Protocol):
    """What core asks of ``request.user``, signed in or anonymous."""

    @property
    def is_authenticated(self) -> bool: ...

    def has_perm(self, perm: str, obj: Any = None) -> bool: ...
