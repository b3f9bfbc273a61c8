"""Contributions move to their own app, ``solidarity``, table and all: only Django's idea of
which app owns the model changes here; the table stays as it is (``solidarity`` 0001)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0004_membership_requests"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Contribution")],
            database_operations=[],
        ),
    ]
