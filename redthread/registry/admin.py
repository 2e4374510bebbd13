from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Organisation, Person


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "region", "org_number"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "short_name", "org_number"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    """Where the office marks a partner's contact as shown on the public partner page."""

    list_display = ["last_name", "first_name", "organisation", "title", "published"]
    list_filter = ["published", "organisation__kind"]
    search_fields = ["first_name", "last_name", "organisation__name"]
    raw_id_fields = ["organisation"]
