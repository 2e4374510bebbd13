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
    compact = re.sub(r"[\s\-+\u00a0]", "", text or "")
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
            _("Kontrollsiffran stämmer inte i organisationsnumret %(value)s. Kontrollera det.")
            % {"value": text},
            code="checksum",
        ) from exc
    except StdnumError as exc:  # pragma: no cover - the checks above catch the others
        raise ValidationError(
            _("Ogiltigt organisationsnummer: %(value)s") % {"value": text}, code="invalid"
        ) from exc


def org_number_display(digits: str) -> str:
    return f"{digits[:6]}-{digits[6:]}" if len(digits) == 10 else digits


@dataclass(frozen=True)
class SniResult:
    code: str
    version: str
    #: Empty when the code was found in the shipped list; otherwise why it is flagged.
    note: str = ""


def sni_check(text: str, version: str) -> SniResult:
    """Checks an SNI code against the shipped lists. SNI 2025 codes must be in the list
    (ValidationError otherwise). For SNI 2007 only the manufacturing divisions are shipped:
    a code in a known division is accepted with a note that only its division was checked;
    an unknown division is accepted with a note too (flagged, not rejected)."""
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
    known = SniCode.objects.filter(version=version)
    if version == SniVersion.SNI2025:
        level = SniLevel.SUBCLASS if len(code) == 5 else None
        query = known.filter(code=code) if level else known.filter(division=code[:2])
        if not query.exists():
            raise ValidationError(
                _("SNI-koden %(code)s finns inte i SNI 2025.") % {"code": code}, code="unknown"
            )
        return SniResult(code, version)
    if known.filter(level=SniLevel.DIVISION, code=code[:2]).exists():
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
