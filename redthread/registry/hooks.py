"""What the apps above offer on a company's page ("Anmäl till program"). The registry knows
no app above it: each registers its action in ``AppConfig.ready`` and the company page shows
those its user holds the permission for, each linking to the app's page with the company
chosen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode


@dataclass(frozen=True)
class CompanyAction:
    url_name: str
    label: str | Promise
    permission: str
    #: The query parameter that names the company on the page the action opens.
    parameter: str = "company"
    order: int = 50


_actions: dict[str, CompanyAction] = {}


def register_company_action(action: CompanyAction) -> None:
    _actions[action.url_name] = action


def company_actions(*, user: Any, company_pk: int) -> list[dict[str, Any]]:
    """The actions ``user`` may take on the company, each as its label and address."""
    return [
        {
            "label": action.label,
            "url": f"{reverse(action.url_name)}?{urlencode({action.parameter: company_pk})}",
        }
        for action in sorted(_actions.values(), key=lambda a: (a.order, str(a.label)))
        if user.has_perm(action.permission)
    ]
