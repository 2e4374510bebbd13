"""Swedish identifiers as people type them: organisation numbers and SNI codes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.se import orgnr

from .models import SniCode, SniLevel, SniVersion


def org_number_normalise(text: str) -> str:
    """The organisation number in ``text`` as its 10 digits, or a ValidationError in plain
    Swedish. Accepts ``NNNNNN-NNNN``, no hyphen, spaces, and the 12-digit form with the
    ``16`` prefix. Refuses numbers whose third digit is below 2: those are personal identity
    numbers (a sole trader's), which are personal data and not organisation numbers."""
    compact = re.sub(r"[\s\-+\u00a0\u202f]", "", text or "")
    if not compact:
        raise ValidationError(_("Organisationsnummer saknas."), code="required")
    if not compact.isdigit():
        raise ValidationError(
            _("Organisationsnumret får bara innehålla siffror och bindestreck: %(value)s")
            % {"value": text},
            code="invalid",
        )
    if len(compact) == 12 and compact.startswith("16"):
        compact = compact[2:]
    if len(compact) != 10:
        raise ValidationError(
            _("Organisationsnumret ska ha 10 siffror (NNNNNN-NNNN), inte %(count)d: %(value)s")
            % {"count": len(compact), "value": text},
            code="length",
        )
    if int(compact[2]) < 2:
        raise ValidationError(
            _(
                "%(value)s ser ut som ett personnummer (tredje siffran är lägre än 2), inte "
                "ett organisationsnummer. Enskilda firmor registreras inte här."
            )
            % {"value": text},
            code="personal_number",
        )
    try:
        return str(orgnr.validate(compact))
    except InvalidChecksum as exc:
        raise ValidationError(
            _("Kontrollsiffran stämmer inte: %(value)s är inte ett giltigt organisationsnummer.")
            % {"value": text},
            code="checksum",
        ) from exc
    except StdnumError as exc:  # pragma: no cover - the checks above catch the others
        raise ValidationError(
            _("Ogiltigt organisationsnummer: %(value)s") % {"value": text}, code="invalid"
        ) from exc


def org_number_or_none(text: str) -> str | None:
    """The 10 digits of the organisation number in ``text``, or None when it is not one
    (as :func:`org_number_normalise` judges it, without the reason)."""
    try:
        return org_number_normalise(text)
    except ValidationError:
        return None


def org_number_display(digits: str) -> str:
    return f"{digits[:6]}-{digits[6:]}" if len(digits) == 10 else digits


@dataclass(frozen=True)
class SniResult:
    code: str
    version: str
    #: Empty when the code was found in the shipped list; otherwise why it is flagged.
    note: str = ""


@dataclass(frozen=True)
class SniCatalogue:
    """What :func:`sni_check` asks of the shipped SNI lists, read in three queries: an
    import checks thousands of codes against it without asking the database per row."""

    #: Every SNI 2025 code, and the divisions (two digits) the SNI 2025 list has codes in.
    codes_2025: frozenset[str]
    divisions_2025: frozenset[str]
    #: The SNI 2007 divisions shipped (only the manufacturing ones are).
    divisions_2007: frozenset[str]

    @classmethod
    def load(cls) -> SniCatalogue:
        sni_2025 = SniCode.objects.filter(version=SniVersion.SNI2025)
        return cls(
            codes_2025=frozenset(sni_2025.values_list("code", flat=True)),
            divisions_2025=frozenset(sni_2025.values_list("division", flat=True).distinct()),
            divisions_2007=frozenset(
                SniCode.objects.filter(
                    version=SniVersion.SNI2007, level=SniLevel.DIVISION
                ).values_list("code", flat=True)
            ),
        )


def _sni_known(code: str, version: str, catalogue: SniCatalogue | None) -> bool:
    if catalogue is not None:
        if version == SniVersion.SNI2025:
            if len(code) == 5:
                return code in catalogue.codes_2025
            return code[:2] in catalogue.divisions_2025
        return code[:2] in catalogue.divisions_2007
    known = SniCode.objects.filter(version=version)
    if version == SniVersion.SNI2025:
        query = known.filter(code=code) if len(code) == 5 else known.filter(division=code[:2])
        return query.exists()
    return known.filter(level=SniLevel.DIVISION, code=code[:2]).exists()


def sni_check(text: str, version: str, catalogue: SniCatalogue | None = None) -> SniResult:
    """Checks an SNI code against the shipped lists. SNI 2025 codes must be in the list
    (ValidationError otherwise). For SNI 2007 only the manufacturing divisions are shipped:
    a code in a known division is accepted with a note that only its division was checked;
    an unknown division is accepted with a note too (flagged, not rejected). With a
    ``catalogue`` (:meth:`SniCatalogue.load`, once per import) nothing is asked of the
    database."""
    code = re.sub(r"[\s.]", "", text or "")
    if not code:
        return SniResult("", "")
    if not code.isdigit() or not 2 <= len(code) <= 5:
        raise ValidationError(
            _("En SNI-kod är 2–5 siffror, till exempel 25620: %(value)s") % {"value": text},
            code="invalid",
        )
    if version not in SniVersion.values:
        raise ValidationError(
            _("Okänd SNI-version: %(value)s") % {"value": version}, code="invalid"
        )
    known = _sni_known(code, version, catalogue)
    if version == SniVersion.SNI2025:
        if not known:
            raise ValidationError(
                _("SNI-koden %(code)s finns inte i SNI 2025.") % {"code": code}, code="unknown"
            )
        return SniResult(code, version)
    if known:
        note = (
            ""
            if len(code) == 2
            else _("Bara huvudgruppen %(division)s kunde kontrolleras (SNI 2007).")
            % {"division": code[:2]}
        )
        return SniResult(code, version, note)
    return SniResult(
        code,
        version,
        _("Huvudgruppen %(division)s kunde inte kontrolleras mot SNI 2007-listan.")
        % {"division": code[:2]},
    )
