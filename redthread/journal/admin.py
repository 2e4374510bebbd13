from django.contrib import admin

from .models import Inquiry


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin[Inquiry]):
    """What visitors sent through the public forms, as they sent it (read only: each was
    also forwarded by e-mail, and an application is an enrolment)."""

    list_display = ["created", "kind", "name", "organisation_name", "recipient", "handled_at"]
    list_filter = ["kind", "handled_at"]
    search_fields = ["name", "email", "organisation_name"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
