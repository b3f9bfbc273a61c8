from django.db import migrations, models


def recompute_every_partner(apps, schema_editor):
    # Existing cells mix stories that may be quoted with those that may not. They are marked
    # not quotable (members see fewer stories, never one they may not read) and a row without
    # a partner in the outbox has the next refresh recompute every partner's cells.
    if apps.get_model("progress", "StoryAggregate").objects.exists():
        apps.get_model("progress", "AggregateOutbox").objects.create(subject="stories")


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0009_storynotice"),
    ]

    operations = [
        migrations.AddField(
            model_name="storyaggregate",
            name="quotable",
            field=models.BooleanField(default=False, verbose_name="may be quoted"),
        ),
        migrations.RunPython(recompute_every_partner, migrations.RunPython.noop),
    ]
