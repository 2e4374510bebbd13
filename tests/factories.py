"""factory_boy factories shared by the whole suite."""

from __future__ import annotations

import factory

from redthread.accounts.models import Membership, Role, User
from redthread.registry.models import Organisation, OrganisationKind


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    kind = OrganisationKind.PARTNER
    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name", locale="sv_SE")
    role = Role.COACH
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def organisations(
        obj: User, create: bool, extracted: list[Organisation] | None, **kwargs: object
    ):
        for organisation in extracted or []:
            Membership.objects.create(user=obj, organisation=organisation)
        if create:
            obj.save()
