from collections.abc import Callable, Iterable
from typing import Any, TypeVar

_V = TypeVar("_V", bound=Callable[..., Any])

def permission_required(
    perm: str | Iterable[str],
    fn: Callable[..., Any] | None = ...,
    login_url: str | None = ...,
    raise_exception: bool = ...,
    redirect_field_name: str = ...,
) -> Callable[[_V], _V]: ...
