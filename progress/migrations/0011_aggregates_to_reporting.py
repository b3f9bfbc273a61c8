"""The kept figures move to the reporting app and the outbox to the base.

The cells and counts keep their tables (the reporting app renames them); the outbox's pending
rows are copied into ``portal.Outbox`` (partner id → key) before its table goes.
"""

from django.db import migrations


def copy_outbox(apps, schema_editor):
    old = apps.get_model("progress", "AggregateOutbox")
    new = apps.get_model("portal", "Outbox")
    new.objects.bulk_create(
        new(subject=row.subject, key=row.partner_id, created_at=row.created_at)
        for row in old.objects.order_by("pk")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0010_story_aggregate_quotable"),
        ("portal", "0004_outbox"),
    ]

    operations = [
        migrations.RunPython(copy_outbox, migrations.RunPython.noop),
        migrations.DeleteModel(name="AggregateOutbox"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ReportState"),
                migrations.DeleteModel(name="StoryAggregate"),
                migrations.DeleteModel(name="StoryStatusCount"),
            ],
            database_operations=[],
        ),
    ]
