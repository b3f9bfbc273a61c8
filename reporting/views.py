"""Pages and files of figures."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from programs.selectors import visible_programs, visible_projects
from progress.selectors import visible_stories
from reporting import iati


@require_GET
def iati_export(request: HttpRequest) -> HttpResponse:
    """The IATI 2.03 activity file, for the organisation's own staff only.

    Whatever the viewer may see, the file leaves out confidential partners, their projects and
    their stories: ``reporting.iati`` filters them out again.
    """
    user = request.user
    if not getattr(user, "is_portal_staff", False):
        raise Http404
    tree = iati.build_activities(
        programs=visible_programs(user).prefetch_related("funders"),
        projects=visible_projects(user)
        .filter(partner__is_confidential=False)
        .select_related("partner"),
        stories=visible_stories(user)
        .filter(
            partner__is_confidential=False,
            status__in=iati.PUBLISHABLE_STORY_STATUSES,
            consent_publish=True,
        )
        .select_related("partner")
        .prefetch_related("change_types")
        .order_by("pk"),
    )
    response = HttpResponse(iati.to_bytes(tree), content_type="application/xml")
    response["Content-Disposition"] = 'attachment; filename="iati-activities.xml"'
    response["Cache-Control"] = "no-store"
    return response
