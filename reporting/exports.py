"""The rows of the report's figures download: the same aggregate cells as the report, with the
same rule for names (a confidential partner's row carries its pseudonym and region unless the
viewer may identify it)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django_countries import countries

from partners.regions import Region
from partners.selectors import report_identifies
from programs.models import FocusArea
from progress.models import ChangeStory, ChangeType, TargetGroup
from reporting import reports

CHUNK = 2000


def figure_header() -> list[str]:
    return [
        _("Counted"),
        _("Month"),
        _("Country"),
        _("Region"),
        _("Partner"),
        _("Programme"),
        _("Focus area"),
        _("Type of change"),
        _("Target group"),
        _("Told by"),
        _("Significance"),
        _("Stories"),
    ]


def figure_rows(user: Any, filters: Mapping[str, Any]) -> Iterator[Sequence[Any]]:
    """Every story cell in the viewer's scope, one row each, labelled as the report labels."""
    types = {change_type.pk: str(change_type.name) for change_type in ChangeType.objects.all()}
    groups = {group.pk: str(group.name) for group in TargetGroup.objects.all()}
    regions = dict(Region.choices)
    areas = dict(FocusArea.choices)
    tellers = dict(ChangeStory.SubmitterRole.choices)
    kinds = {
        "story": _("each story once"),
        "type": _("once per type of change"),
        "group": _("once per target group"),
    }
    cells = (
        reports.story_cells(user, filters)
        .values_list(
            "month",
            "country",
            "region",
            "partner_id",
            "partner__name",
            "partner__pseudonym",
            "partner__is_confidential",
            "program__title",
            "focus_area",
            "change_type_id",
            "target_group_id",
            "submitter_role",
            "significance",
            "story_count",
        )
        .order_by("month", "partner_id", "id")
    )
    for (
        month,
        country,
        region,
        partner_id,
        name,
        pseudonym,
        confidential,
        program,
        focus_area,
        change_type,
        target_group,
        teller,
        significance,
        stories,
    ) in cells.iterator(chunk_size=CHUNK):
        identified = report_identifies(user, partner_id=partner_id, is_confidential=confidential)
        kind = "type" if change_type else "group" if target_group else "story"
        yield [
            kinds[kind],
            month.strftime("%Y-%m"),
            str(countries.name(country)) if identified else "",
            str(regions.get(region, region)),
            name if identified else pseudonym,
            program or "",
            str(areas.get(focus_area, "")),
            types.get(change_type, ""),
            groups.get(target_group, ""),
            str(tellers.get(teller, teller)),
            significance,
            stories,
        ]
