"""Valid POST data for the story forms, for tests to start from and spoil one field at a time."""

from __future__ import annotations

import uuid
from typing import Any

from conftest import World
from progress.models import ChangeType, TargetGroup


def public_story_data(**overrides: Any) -> dict[str, Any]:
    """The public submission-link form; an override of None leaves the field out."""
    data: dict[str, Any] = {
        "form_token": str(uuid.uuid4()),
        "title": "The water committee listens",
        "narrative": "In March the women's group won a seat on the village water committee.",
        "language": "es",
        "event_date": "2026-03-14",
        "locality": "Quetzaltenango",
        "change_types": [ChangeType.objects.get(code="participation-decision-making").pk],
        "who_changed": "group",
        "target_groups": [TargetGroup.objects.get(code="women").pk],
        "direction": "positive",
        "significance": "4",
        "significance_reason": "For the first time women decide on water.",
        "contribution": "some",
        "contribution_text": "The training on local government.",
        "consent_store": "on",
        "consent_quote_internal": "on",
        "storyteller_name": "María",
        "storyteller_contact": "+502 5555 0000",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def story_form_data(world: World, **overrides: Any) -> dict[str, Any]:
    """The story form of partner users and staff, submitted for review, for ``world.alpha``."""
    return public_story_data(
        **{
            "language": "en",
            "partner": world.alpha.pk,
            "project": world.alpha_project.pk,
            "country": "GT",
            "submitter_role": "partner",
            "collection_mode": "self_entered",
            "storyteller_contact": "via the partner",
            "submit": "submit",
            **overrides,
        }
    )
