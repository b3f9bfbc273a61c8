from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The main menu entries this user may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items: list[tuple[str, Any]] = []
    if user.is_portal_staff:
        items = [
            (reverse("dashboard"), _("Overview")),
            (reverse("partner-list"), _("Partners")),
            (reverse("program-list"), _("Programmes")),
            (reverse("story-list"), _("Stories")),
            (reverse("activity-list"), _("Activities")),
            (reverse("plan-list"), _("Plans")),
            (reverse("calendar"), _("Calendar")),
            (reverse("report"), _("Reports")),
            (reverse("dialogue-list"), _("Dialogues")),
            (reverse("analysis-list"), _("Analyses")),
            (reverse("risk-list"), _("Risks")),
            (reverse("assessment-home"), _("Self-assessments")),
            (reverse("network-list"), _("Networks")),
            (reverse("contribution-list"), _("Contributions")),
            (reverse("expertise"), _("Expertise")),
            (reverse("newsletter-list"), _("Newsletters")),
        ]
    elif user.is_partner_user:
        items = [
            (reverse("partner-detail", args=[user.partner_id]), _("Our organisation")),
            (reverse("story-list"), _("Stories")),
            (reverse("dialogue-list"), _("Dialogues")),
            (reverse("activity-list"), _("Activities")),
            (reverse("plan-list"), _("Plans")),
            (reverse("calendar"), _("Calendar")),
            (reverse("assessment-home"), _("Self-assessment")),
            (reverse("report"), _("Report")),
            (reverse("program-list"), _("Programmes")),
            (reverse("risk-list"), _("Risks")),
            (reverse("expertise"), _("Expertise")),
        ]
    elif user.is_network_member:
        items = [
            (reverse("dashboard"), _("Overview")),
            (reverse("network-list"), _("Our networks")),
            (reverse("contribution-list"), _("Contributions")),
            (reverse("expertise"), _("Expertise")),
            (reverse("newsletter-list"), _("Newsletters")),
            (reverse("partner-list"), _("Partners")),
            (reverse("program-list"), _("Programmes")),
            (reverse("plan-list"), _("Our plans")),
            (reverse("calendar"), _("Calendar")),
            (reverse("story-list"), _("Stories")),
            (reverse("report"), _("Report")),
        ]
    return {
        "nav_items": [
            (url, label, request.path == url or (url != "/" and request.path.startswith(url)))
            for url, label in items
        ]
    }
