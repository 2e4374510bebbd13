"""The results pages' figures, computed by the task worker and stored
(:class:`~redthread.outcomes.models.StoredResult`); the pages only read them."""

from __future__ import annotations

from django.utils import timezone, translation
from django_tasks import task

from redthread.methodology.models import Initiative

from . import results_codec, versions
from .models import KpiDefinition, StoredResult


@task()
def results_store(stored_id: int) -> None:
    """Computes the figures of one stored result at the current data version and keeps
    them: a results page's (``selectors.results_compute``), or with ``params["kind"]``
    "maturity" the maturity spread (``selectors.maturity_compute``). The version is read
    first: a write during the computation leaves it stale."""
    stored = StoredResult.objects.select_related("user").filter(pk=stored_id).first()
    if stored is None or stored.user is None:
        return
    version = versions.current()
    params = stored.params
    from .selectors import maturity_compute, results_compute

    with translation.override(params.get("language")):
        if params.get("kind") == "maturity":
            results = maturity_compute(user=stored.user, params=params)
        else:
            results = results_compute(
                user=stored.user,
                initiative=Initiative.objects.filter(pk=params.get("initiative")).first(),
                breakdown=params.get("breakdown", ""),
                kpi=KpiDefinition.objects.filter(pk=params.get("kpi")).first(),
                suppress=bool(params.get("suppress")),
            )
    StoredResult.objects.filter(pk=stored.pk).update(
        results=results_codec.results_encode(results),
        version=version,
        computed_at=timezone.now(),
    )
