"""The contributions ledger, moved here from ``partners`` (its 0005): the table
``partners_contribution`` stays as it is, and so do the admin's history and the audit trail,
whose content type is renamed rather than replaced."""

import django.db.models.deletion
from django.db import migrations, models




def rename_content_type(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    if not content_types.objects.filter(app_label="solidarity", model="contribution").exists():
        content_types.objects.filter(app_label="partners", model="contribution").update(
            app_label="solidarity"
        )


def restore_content_type(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    if not content_types.objects.filter(app_label="partners", model="contribution").exists():
        content_types.objects.filter(app_label="solidarity", model="contribution").update(
            app_label="partners"
        )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("partners", "0005_delete_contribution"),
        ("programs", "0005_calendar_feed"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Contribution',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('gift', 'One-off gift'), ('monthly', 'Monthly pledge'), ('collection', 'Workplace collection'), ('organisational', 'Organisational contribution'), ('expertise', 'Expertise (hours)'), ('study_circle', 'Study circle')], max_length=20, verbose_name='kind')),
                    ('donor_name', models.CharField(blank=True, help_text='Only when the contribution comes from a person, not an organisation.', max_length=200, verbose_name='individual donor')),
                    ('amount_sek', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='amount (SEK)')),
                    ('hours', models.DecimalField(blank=True, decimal_places=1, max_digits=8, null=True, verbose_name='hours')),
                    ('date', models.DateField(verbose_name='date')),
                    ('note', models.CharField(blank=True, max_length=255, verbose_name='note')),
                    ('member_organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='contributions', to='partners.memberorganisation', verbose_name='member organisation')),
                    ('network', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='contributions', to='partners.solidaritynetwork', verbose_name='network')),
                    ('program', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='contributions', to='programs.program', verbose_name='programme')),
                ],
                options={
                    'verbose_name': 'contribution',
                    'verbose_name_plural': 'contributions',
                    'db_table': 'partners_contribution',
                    'ordering': ['-date'],
                    'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('donor_name', ''), ('member_organisation__isnull', False)), models.Q(('member_organisation__isnull', True), models.Q(('donor_name', ''), _negated=True)), _connector='OR'), name='contribution_has_one_contributor'), models.CheckConstraint(condition=models.Q(('amount_sek__isnull', False), ('hours__isnull', False), _connector='OR'), name='contribution_has_amount_or_hours'), models.CheckConstraint(condition=models.Q(('network__isnull', False), ('program__isnull', False), _connector='OR'), name='contribution_supports_something'), models.CheckConstraint(condition=models.Q(('amount_sek__isnull', True), ('amount_sek__gte', 0), _connector='OR'), name='contribution_amount_not_negative'), models.CheckConstraint(condition=models.Q(('hours__isnull', True), ('hours__gte', 0), _connector='OR'), name='contribution_hours_not_negative')],
                },
            ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_type, restore_content_type),
    ]
