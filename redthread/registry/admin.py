from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "region", "org_number"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "short_name", "org_number"]
    prepopulated_fields = {"slug": ["name"]}
