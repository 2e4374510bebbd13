from typing import Any

import rules

from redthread.accounts.predicates import (
    is_coach,
    is_company_user,
    is_partner_manager,
    is_partner_staff,
    is_program_office,
    organisation_ids,
)
from redthread.accounts.typing import RequestUser

from .models import Organisation, OrganisationKind


@rules.predicate
def works_for_responsible_partner(user: RequestUser, company: Any) -> bool:
    """The user belongs to the partner responsible for the company."""
    return company is not None and company.responsible_partner_id in organisation_ids(user)


@rules.predicate
def coaches_company(user: RequestUser, company: Any) -> bool:
    """The user is lead coach or co-coach of one of the company's engagements."""
    return (
        company is not None and Organisation.objects.coached_by(user).filter(pk=company.pk).exists()
    )


@rules.predicate
def belongs_to_company(user: RequestUser, company: Any) -> bool:
    return company is not None and company.pk in organisation_ids(user)


# Who reaches the lists at all; which rows they see is visible_to's business.
rules.add_perm(
    "registry.view_organisations", is_program_office | is_partner_staff | is_company_user
)
rules.add_perm("registry.view_companies", is_program_office | is_partner_staff | is_company_user)
# The lists in the menu: the staff's way in. A company meets its own page instead.
rules.add_perm("registry.browse", is_program_office | is_partner_staff)
rules.add_perm("registry.own_company", is_company_user)
rules.add_perm("registry.add_company", is_program_office | is_partner_manager)
rules.add_perm("registry.import_companies", is_program_office | is_partner_manager)
rules.add_perm("registry.merge_companies", is_program_office)
rules.add_perm(
    "registry.change_company",
    is_program_office | (is_partner_manager & works_for_responsible_partner),
)
# Contacts: the office, the responsible partner's managers, the company's coaches, and the
# company itself.
rules.add_perm(
    "registry.manage_people",
    is_program_office
    | (is_partner_manager & works_for_responsible_partner)
    | (is_coach & coaches_company)
    | (is_company_user & belongs_to_company),
)


@rules.predicate
def is_partner_organisation(user: RequestUser, organisation: Any) -> bool:
    return organisation is not None and organisation.kind == OrganisationKind.PARTNER


@rules.predicate
def belongs_to_organisation(user: RequestUser, organisation: Any) -> bool:
    return organisation is not None and organisation.pk in organisation_ids(user)


# A partner's own people (the contacts the public partner page may show): the office,
# and the partner's managers for their own partner.
rules.add_perm(
    "registry.manage_partner_people",
    is_partner_organisation & (is_program_office | (is_partner_manager & belongs_to_organisation)),
)
