"""How many engagements use each module. Methodology knows nothing of engagements: the
engagements app registers a provider that counts, and the coverage matrix asks it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ModuleUsage:
    #: (module id, initiative id) → engagements whose plan has a step with the module
    by_initiative: dict[tuple[int, int], int] = field(default_factory=dict)
    #: (module id, template id) → the same, by the template the engagement follows
    by_template: dict[tuple[int, int], int] = field(default_factory=dict)


_providers: list[Callable[[], ModuleUsage]] = []


def register_module_usage(provider: Callable[[], ModuleUsage]) -> None:
    if provider not in _providers:
        _providers.append(provider)


def module_usage() -> ModuleUsage:
    by_initiative: dict[tuple[int, int], int] = {}
    by_template: dict[tuple[int, int], int] = {}
    for provider in _providers:
        usage = provider()
        for key, n in usage.by_initiative.items():
            by_initiative[key] = by_initiative.get(key, 0) + n
        for key, n in usage.by_template.items():
            by_template[key] = by_template.get(key, 0) + n
    return ModuleUsage(by_initiative, by_template)


# A template lists the key figures its engagements collect by their codes; the outcomes
# app defines them, so it registers what names them and the template page asks.
_kpi_namers: list[Callable[[list[str]], dict[str, str]]] = []


def register_kpi_names(namer: Callable[[list[str]], dict[str, str]]) -> None:
    if namer not in _kpi_namers:
        _kpi_namers.append(namer)


def kpi_names(codes: list[str]) -> list[str]:
    """The names of the key figures ``codes``, in the user's language and in their order;
    a code that nothing names is shown as it is."""
    names: dict[str, str] = {}
    for namer in _kpi_namers:
        names.update(namer(codes))
    return [names.get(code, code) for code in codes]
