"""When the one who asked to join or leave a network was told the decision by mail. Decisions
made before the portal told anyone are marked told: nobody gets a mail about them months later."""

from django.db import migrations, models
from django.utils import timezone


def mark_old_decisions_told(apps, schema_editor):
    requests = apps.get_model("partners", "MembershipRequest")
    requests.objects.exclude(status="pending").update(told_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0005_delete_contribution"),
    ]

    operations = [
        migrations.AddField(
            model_name="membershiprequest",
            name="told_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="told"),
        ),
        migrations.RunPython(mark_old_decisions_told, migrations.RunPython.noop),
    ]
