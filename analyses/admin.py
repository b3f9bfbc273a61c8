from __future__ import annotations

from django.contrib import admin

from analyses.models import RegionalAnalysis
from portal.admin_scoping import ScopedModelAdmin


@admin.register(RegionalAnalysis)
class RegionalAnalysisAdmin(ScopedModelAdmin):
    list_display = ("title", "region", "period_start", "period_end", "written_on", "cleared_only")
    list_filter = ("region", "shared_with_partners", "cleared_only")
    search_fields = ("title",)
    date_hierarchy = "written_on"
    # The stories, risks and figures it draws on are chosen on its page, through the viewer's
    # selectors.
    exclude = ("stories", "risks")
    readonly_fields = ("author", "created_at", "updated_at")
