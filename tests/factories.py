"""factory_boy factories shared by the whole suite."""

from __future__ import annotations

from typing import Any

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


def post_make(
    world: Any,
    *,
    writer: str = "editor",
    status: str = "draft",
    slug: str | None = None,
    publish_at: Any = None,
    body: str = "Brödtext.",
    themes: str = "",
) -> Any:
    """A post of the log written by ``writer`` (a role of the world), brought to ``status``
    through the services: submitted by the writer, published by the program manager."""
    from redthread.journal import services

    global _post_number
    _post_number += 1
    post = services.post_create(
        actor=world.users[writer],
        title=f"Inlägg {_post_number}",
        slug=slug or f"inlagg-{_post_number}",
        lead="Ingress.",
        body=body,
        themes=services.themes_from_text(themes),
        publish_at=publish_at,
    )
    if status in ("review", "published", "unpublished"):
        services.post_submit(post=post, actor=world.users[writer])
    if status in ("published", "unpublished"):
        services.post_publish(post=post, actor=world.users["program_manager"])
    if status == "unpublished":
        services.post_unpublish(post=post, actor=world.users["program_manager"])
    return post


_post_number = 0
