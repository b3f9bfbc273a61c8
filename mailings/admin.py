from django.contrib import admin

from mailings.models import Delivery, Newsletter
from portal.admin_scoping import ScopedModelAdmin


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ("user", "status", "attempts", "sent_at")
    readonly_fields = fields

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Newsletter)
class NewsletterAdmin(ScopedModelAdmin):
    """Read-only: newsletters are written and sent on their pages, where the checks are."""

    list_display = ("subject", "audience", "network", "district", "status", "sent_at")
    list_filter = ("status", "audience")
    search_fields = ("subject",)
    readonly_fields = (
        "subject",
        "body",
        "audience",
        "network",
        "district",
        "author",
        "status",
        "sent_at",
    )
    inlines = [DeliveryInline]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False  # the sent log stays
