"""The activity cells move to the reporting app: the table stays, renamed there."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_activity_aggregates")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ActivityAggregate")],
            database_operations=[],
        )
    ]
