"""Posts files through the real story form in a fresh process and reports its peak memory.

Run by ``tests/progress/test_attachments.py`` as
``python -m tests.progress.attachment_memory_probe FILE...``; prints one JSON object.

Why a process of its own, and why its resident set rather than tracemalloc: Pillow allocates
decoded pixels with C ``malloc``, which tracemalloc does not see, and memory freed by earlier
tests stays in a long-lived process's heap, where a new allocation reuses it without the
resident set growing. A fresh interpreter measured by the kernel counts every byte the upload
makes it touch. The kernel's high-water mark (``VmHWM``) is reset just before the request
(``/proc/self/clear_refs``); where that is not allowed, the mark since start-up is used, which
can only overstate the peak.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def _status_bytes(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024  # the kernel reports kB
    raise LookupError(key)


def _reset_high_water_mark() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def main(paths: list[str]) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django
    from django.apps import apps
    from django.conf import settings

    django.setup()
    # Tables straight from the models, as pytest-django's --nomigrations makes them: a second
    # instead of the minutes' worth of migrations this one request does not need.
    settings.MIGRATION_MODULES = {config.label: None for config in apps.get_app_configs()}
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from progress.models import ChangeStory, ChangeType, StoryAttachment, TargetGroup
    from tests import factories
    from tests.form_data import public_story_data

    setup_test_environment()
    call_command("migrate", run_syncdb=True, verbosity=0)
    ChangeType.objects.create(
        code="participation-decision-making", name_en="Decisions", name_sv="Beslut", name_es="Dec"
    )
    TargetGroup.objects.create(code="women", name_en="Women", name_sv="Kvinnor", name_es="Mujeres")
    partner = factories.PartnerFactory.create()
    project = factories.ProjectFactory.create(partner=partner)
    user = factories.UserFactory.create(username="partner", role="partner", partner=partner)
    client = Client()
    client.force_login(user)
    data = public_story_data(
        language="en",
        partner=partner.pk,
        project=project.pk,
        country="GT",
        submitter_role="partner",
        collection_mode="self_entered",
        submit="submit",
        attachments=[
            SimpleUploadedFile(Path(path).name, Path(path).read_bytes(), "image/png")
            for path in paths
        ],
    )

    was_reset = _reset_high_water_mark()
    before = _status_bytes("VmRSS")
    response = client.post(reverse("story-create"), data)
    peak = _status_bytes("VmHWM") - before

    context = response.context
    form = context["form"] if context is not None and "form" in context else None
    print(
        json.dumps(
            {
                "peak_bytes": peak,
                "high_water_mark_reset": was_reset,
                "status": response.status_code,
                "errors": [str(error) for error in form.errors.get("attachments", [])]
                if form is not None
                else [],
                "stories": ChangeStory.objects.count(),
                "attachments": list(StoryAttachment.objects.values_list("content_type", flat=True)),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
