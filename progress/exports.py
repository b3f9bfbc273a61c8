"""The rows of the story download, read through the viewer's scope.

Stories come from ``visible_stories`` with the story list's filters, so a download holds
exactly the list the viewer was looking at; a confidential partner's row carries its pseudonym
and region unless the viewer may identify it. A download never holds a storyteller, a contact
or a locality, and a narrative only where its teller agreed to be quoted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from progress.models import ChangeStory, ChangeType, TargetGroup

CHUNK = 2000


def story_header() -> list[str]:
    return [
        _("Reference"),
        _("Title"),
        _("Status"),
        _("Happened"),
        _("Country"),
        _("Partner"),
        _("Programme"),
        _("Project"),
        _("Types of change"),
        _("Target groups"),
        _("Who changed"),
        _("Positive or negative?"),
        _("Significance"),
        _("Why it matters"),
        _("Contribution of the support"),
        _("Told by"),
        _("How it was collected"),
        _("Language"),
        _("What happened"),
        _("Submitted"),
    ]


def _chunks(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _names_by_story(
    through: Any, column: str, story_ids: list[int], names: dict[int, str], order: dict[int, int]
) -> dict[int, str]:
    """'; '-joined names of a story's types or groups, for a chunk of stories in one query."""
    found: dict[int, list[int]] = defaultdict(list)
    for story_id, value in through.objects.filter(changestory_id__in=story_ids).values_list(
        "changestory_id", column
    ):
        found[story_id].append(value)
    return {
        story_id: "; ".join(names[pk] for pk in sorted(pks, key=order.__getitem__))
        for story_id, pks in found.items()
    }


def story_rows(stories: QuerySet[ChangeStory]) -> Iterator[Sequence[Any]]:
    """Plain values, labels looked up once: model instances and ``get_FOO_display`` per row
    cost 0.66 ms a story (111,000 stories took 73 s; now about 10 s, see docs/benchmarks.md)."""
    labels = {
        name: {key: str(label) for key, label in choices}
        for name, choices in (
            ("status", ChangeStory.Status.choices),
            ("who_changed", ChangeStory.WhoChanged.choices),
            ("direction", ChangeStory.Direction.choices),
            ("contribution", ChangeStory.Contribution.choices),
            ("submitter_role", ChangeStory.SubmitterRole.choices),
            ("collection_mode", ChangeStory.CollectionMode.choices),
        )
    }
    type_list = list(ChangeType.objects.order_by("ordering", "code"))
    group_list = list(TargetGroup.objects.order_by("ordering", "code"))
    type_names = {item.pk: str(item.name) for item in type_list}
    group_names = {item.pk: str(item.name) for item in group_list}
    type_order = {item.pk: index for index, item in enumerate(type_list)}
    group_order = {item.pk: index for index, item in enumerate(group_list)}
    country_names: dict[str, str] = {}
    no_consent = _("(the teller did not agree to be quoted)")
    values = stories.values_list(
        "id",
        "reference",
        "title",
        "status",
        "event_date",
        "country",
        "partner__name",
        "program__title",
        "project__title",
        "who_changed",
        "direction",
        "significance",
        "significance_reason",
        "contribution",
        "submitter_role",
        "collection_mode",
        "language",
        "narrative",
        "consent_quote_internal",
        "created_at",
    )
    types_through = ChangeStory.change_types.through
    groups_through = ChangeStory.target_groups.through
    for chunk in _chunks(values.iterator(chunk_size=CHUNK), CHUNK):
        ids = [row[0] for row in chunk]
        types = _names_by_story(types_through, "changetype_id", ids, type_names, type_order)
        groups = _names_by_story(groups_through, "targetgroup_id", ids, group_names, group_order)
        for (
            story_id,
            reference,
            title,
            status,
            event_date,
            country,
            partner,
            program,
            project,
            who_changed,
            direction,
            significance,
            reason,
            contribution,
            teller,
            mode,
            language,
            narrative,
            quotable,
            created_at,
        ) in chunk:
            if country not in country_names:
                country_names[country] = str(countries.name(country)) if country else ""
            yield [
                reference,
                title,
                labels["status"].get(status, status),
                event_date,
                country_names[country],
                partner,
                program or "",
                project or "",
                types.get(story_id, ""),
                groups.get(story_id, ""),
                labels["who_changed"].get(who_changed, who_changed),
                labels["direction"].get(direction, direction),
                significance,
                reason if quotable else "",
                labels["contribution"].get(contribution, contribution),
                labels["submitter_role"].get(teller, teller),
                labels["collection_mode"].get(mode, mode),
                language,
                narrative if quotable else no_consent,
                timezone.localtime(created_at).date(),
            ]
