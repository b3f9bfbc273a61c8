"""The rows of the activity download: the activity list the viewer was looking at."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from programs.models import Activity

CHUNK = 2000


def activity_header() -> list[str]:
    return [
        _("Activity"),
        _("Kind"),
        _("Format"),
        _("Held"),
        _("Place"),
        _("Partner"),
        _("Project"),
        _("Programme"),
        _("Activity plan"),
        _("Women"),
        _("Men"),
        _("Other or not stated"),
        _("Young people"),
    ]


def activity_rows(activities: QuerySet[Activity]) -> Iterator[Sequence[Any]]:
    activities = activities.select_related(
        "partner", "project__partner", "project__program", "planned__plan__program"
    )
    for activity in activities.iterator(chunk_size=CHUNK):
        partner = activity.partner or (activity.project.partner if activity.project else None)
        program = (
            activity.project.program
            if activity.project
            else activity.planned.plan.program
            if activity.planned
            else None
        )
        yield [
            activity.title,
            activity.get_kind_display(),
            activity.get_format_display(),
            activity.date,
            activity.place,
            partner.name if partner else "",
            activity.project.title if activity.project else "",
            program.title if program else "",
            str(activity.planned.plan) if activity.planned else "",
            activity.participants_women,
            activity.participants_men,
            activity.participants_other,
            activity.participants_youth,
        ]
