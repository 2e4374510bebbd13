"""Whether a company may join an initiative, explained in plain Swedish. One service, used
by the initiative page and (later) by enrolment."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from redthread.registry.models import (
    NutsArea,
    Organisation,
    SizeClass,
    SniCode,
    UrbanRuralType,
)
from redthread.registry.selectors import urban_rural_classification_current

from .models import Initiative


@dataclass
class Eligibility:
    #: Every rule that refuses the company, as a sentence.
    reasons: list[str] = field(default_factory=list)
    #: Rules that could not be checked because a fact is missing.
    unknown: list[str] = field(default_factory=list)
    #: Rules that were checked and passed, for the explanation.
    passed: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.reasons and not self.unknown


def _labels(values: list[str], choices: dict[str, Any]) -> str:
    return get_text_list([str(choices.get(v, v)).lower() for v in values], _("eller"))


def initiative_eligibility(
    *, initiative: Initiative, company: Organisation, on: datetime.date | None = None
) -> Eligibility:
    result = Eligibility()
    if on is not None and not initiative.start <= on <= initiative.end:
        result.reasons.append(
            _("Satsningen pågår %(start)s–%(end)s, inte %(on)s.")
            % {
                "start": date_format(initiative.start, "SHORT_DATE_FORMAT"),
                "end": date_format(initiative.end, "SHORT_DATE_FORMAT"),
                "on": date_format(on, "SHORT_DATE_FORMAT"),
            }
        )
    sizes = dict(SizeClass.choices)
    if initiative.size_classes:
        size = company.size_class
        if size is None:
            result.unknown.append(_("Antal anställda saknas, så storleken kan inte kontrolleras."))
        elif size not in initiative.size_classes:
            result.reasons.append(
                _("Företaget är ett %(size)s, men satsningen är för %(allowed)s.")
                % {
                    "size": str(size.label).lower(),
                    "allowed": _labels(initiative.size_classes, sizes),
                }
            )
        else:
            result.passed.append(
                _("Storleken stämmer: %(size)s.") % {"size": str(size.label).lower()}
            )
    municipality = company.municipality
    if initiative.regions:
        regions = dict(NutsArea.objects.values_list("code", "name"))
        if municipality is None:
            result.unknown.append(_("Kommun saknas, så regionen kan inte kontrolleras."))
        elif municipality.county.nuts.code not in initiative.regions:
            result.reasons.append(
                _("Företaget ligger i %(region)s, men satsningen gäller %(allowed)s.")
                % {
                    "region": municipality.county.nuts.name,
                    "allowed": get_text_list(
                        [regions.get(r, r) for r in initiative.regions], _("och")
                    ),
                }
            )
        else:
            result.passed.append(
                _("Regionen stämmer: %(region)s.") % {"region": municipality.county.nuts.name}
            )
    if initiative.urban_rural_types:
        types = dict(UrbanRuralType.choices)
        classification = urban_rural_classification_current()
        kind = None
        if municipality is not None and classification is not None:
            kind = (
                classification.municipality_types.filter(municipality=municipality)
                .values_list("type", flat=True)
                .first()
            )
        if municipality is None:
            result.unknown.append(_("Kommun saknas, så kommuntypen kan inte kontrolleras."))
        elif kind is None:
            result.unknown.append(
                _("Ingen stad–land-klassificering är inläst, så kommuntypen kan inte kontrolleras.")
            )
        else:
            approximate = (
                ""
                if classification and classification.is_official
                else _(" (enligt en ungefärlig klassificering)")
            )
            if kind not in initiative.urban_rural_types:
                result.reasons.append(
                    _(
                        "Företaget ligger i %(municipality)s, som räknas till %(type)s%(approx)s, "
                        "men satsningen är för %(allowed)s."
                    )
                    % {
                        "municipality": municipality.name,
                        "type": str(types[kind]).lower(),
                        "approx": approximate,
                        "allowed": _labels(initiative.urban_rural_types, types),
                    }
                )
            else:
                result.passed.append(
                    _("Kommuntypen stämmer: %(municipality)s räknas till %(type)s%(approx)s.")
                    % {
                        "municipality": municipality.name,
                        "type": str(types[kind]).lower(),
                        "approx": approximate,
                    }
                )
    if initiative.sectors:
        if not company.sni_code:
            result.unknown.append(_("SNI-kod saknas, så branschen kan inte kontrolleras."))
        elif company.sni_code[:2] not in initiative.sectors:
            result.reasons.append(
                _(
                    "Företagets SNI-kod %(code)s (huvudgrupp %(division)s) ingår inte i "
                    "satsningens branscher."
                )
                % {"code": company.sni_code, "division": company.sni_code[:2]}
            )
        else:
            result.passed.append(
                _("Branschen stämmer: SNI-huvudgrupp %(division)s.")
                % {"division": company.sni_code[:2]}
            )
    return result


#: SNI 2007 section C, manufacturing: the divisions 10–33.
MANUFACTURING_DIVISIONS = frozenset(f"{n:02d}" for n in range(10, 34))


def initiative_eligibility_rules(*, initiative: Initiative) -> list[str]:
    """The initiative's conditions as plain sentences for a visitor, one per rule that
    applies (an empty list: open to every company). The same rules as
    :func:`initiative_eligibility` checks for one company."""
    rules: list[str] = []
    if initiative.size_classes:
        rules.append(
            _("Företaget är ett %(allowed)s.")
            % {"allowed": _labels(initiative.size_classes, dict(SizeClass.choices))}
        )
    if initiative.regions:
        regions = dict(NutsArea.objects.values_list("code", "name"))
        rules.append(
            _("Företaget ligger i %(regions)s.")
            % {
                "regions": get_text_list(
                    [regions.get(r, r) for r in initiative.regions], _("eller")
                )
            }
        )
    if initiative.urban_rural_types:
        rules.append(
            _("Företaget ligger i någon av dessa kommuntyper: %(types)s.")
            % {"types": _labels(initiative.urban_rural_types, dict(UrbanRuralType.choices))}
        )
    if initiative.sectors:
        if set(initiative.sectors) == MANUFACTURING_DIVISIONS:
            rules.append(_("Företaget är ett tillverkande företag (SNI 10–33)."))
        else:
            labels = dict(
                SniCode.objects.filter(level="division", code__in=initiative.sectors)
                .order_by("-version")
                .values_list("code", "label")
            )
            rules.append(
                _("Företaget är verksamt inom %(sectors)s.")
                % {
                    "sectors": get_text_list(
                        [labels.get(code, code).lower() for code in sorted(initiative.sectors)],
                        _("eller"),
                    )
                }
            )
    return rules
