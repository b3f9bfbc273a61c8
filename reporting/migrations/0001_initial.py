"""The kept figures, taken over from progress and programs with their rows."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('partners', '0002_initial'),
        ('programs', '0003_activityaggregate_to_reporting'),
        ('progress', '0011_aggregates_to_reporting'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist (progress and programs made them): take them over as they are...
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ReportState',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('refreshed_at', models.DateTimeField(null=True, verbose_name='figures as of')),
                        ('rebuilt_at', models.DateTimeField(null=True, verbose_name='last full rebuild')),
                        ('rebuild_task_id', models.CharField(blank=True, max_length=64, verbose_name='rebuild task')),
                        ('rebuild_requested_at', models.DateTimeField(null=True, verbose_name='rebuild requested')),
                        ('rebuild_requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='rebuild requested by')),
                    ],
                    options={
                        'db_table': 'progress_reportstate',
                        'verbose_name': 'report state',
                        'verbose_name_plural': 'report state',
                    },
                ),
                migrations.CreateModel(
                    name='ActivityAggregate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('quarter', models.DateField(help_text='First day of the quarter.', verbose_name='quarter')),
                        ('focus_area', models.CharField(blank=True, max_length=16, verbose_name='focus area')),
                        ('country', models.CharField(blank=True, max_length=2, verbose_name='country')),
                        ('region', models.CharField(blank=True, max_length=20, verbose_name='region')),
                        ('kind', models.CharField(choices=[('training', 'Training'), ('exchange', 'Exchange'), ('campaign', 'Campaign'), ('politician_school', 'Politician school'), ('meeting', 'Meeting'), ('study_circle', 'Study circle'), ('survey', 'Survey or mapping')], max_length=20, verbose_name='kind')),
                        ('activity_count', models.PositiveIntegerField(verbose_name='activities')),
                        ('participants_women', models.PositiveIntegerField(verbose_name='women')),
                        ('participants_men', models.PositiveIntegerField(verbose_name='men')),
                        ('participants_other', models.PositiveIntegerField(verbose_name='other or not stated')),
                        ('participants_youth', models.PositiveIntegerField(verbose_name='young people')),
                        ('partner', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partners.partner', verbose_name='partner')),
                        ('plan', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programs.activityplan', verbose_name='activity plan')),
                        ('program', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programs.program', verbose_name='programme')),
                    ],
                    options={
                        'db_table': 'programs_activityaggregate',
                        'verbose_name': 'activity aggregate',
                        'verbose_name_plural': 'activity aggregates',
                        'indexes': [models.Index(fields=['partner', 'quarter'], name='activityaggregate_partner_idx'), models.Index(fields=['quarter'], name='activityaggregate_quarter_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='StoryAggregate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.DateField(verbose_name='month')),
                        ('country', models.CharField(max_length=2, verbose_name='country')),
                        ('region', models.CharField(max_length=20, verbose_name='region')),
                        ('focus_area', models.CharField(blank=True, max_length=16, verbose_name='focus area')),
                        ('submitter_role', models.CharField(max_length=16, verbose_name='told by')),
                        ('significance', models.PositiveSmallIntegerField(verbose_name='significance')),
                        ('quotable', models.BooleanField(default=False, verbose_name='may be quoted')),
                        ('story_count', models.PositiveIntegerField(verbose_name='stories')),
                        ('significance_sum', models.PositiveIntegerField(verbose_name='sum of significance')),
                        ('change_type', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='progress.changetype', verbose_name='change type')),
                        ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partners.partner', verbose_name='partner')),
                        ('program', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programs.program', verbose_name='programme')),
                        ('target_group', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='progress.targetgroup', verbose_name='target group')),
                    ],
                    options={
                        'db_table': 'progress_storyaggregate',
                        'verbose_name': 'story aggregate',
                        'verbose_name_plural': 'story aggregates',
                        'indexes': [models.Index(fields=['partner', 'month'], name='storyaggregate_partner_idx'), models.Index(fields=['month'], name='storyaggregate_month_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='StoryStatusCount',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(max_length=16, verbose_name='status')),
                        ('quotable', models.BooleanField(verbose_name='may be quoted')),
                        ('story_count', models.PositiveIntegerField(verbose_name='stories')),
                        ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partners.partner', verbose_name='partner')),
                        ('project', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programs.project', verbose_name='project')),
                    ],
                    options={
                        'db_table': 'progress_storystatuscount',
                        'verbose_name': 'story count',
                        'verbose_name_plural': 'story counts',
                        'indexes': [models.Index(fields=['partner', 'status'], name='storystatuscount_partner_idx')],
                    },
                ),
    
            ],
            database_operations=[],
        ),
        # ...then give them this app's names.
        migrations.AlterModelTable(name='reportstate', table=None),
        migrations.AlterModelTable(name='activityaggregate', table=None),
        migrations.AlterModelTable(name='storyaggregate', table=None),
        migrations.AlterModelTable(name='storystatuscount', table=None),
    ]
