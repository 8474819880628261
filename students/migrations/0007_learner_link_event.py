# The learner–account link's audit trail moves from campaigns to the student base (its own data). Here only the
# model state is created; campaigns 0004 (which depends on this one) renames the table to students_learnerlinkevent
# and drops campaigns' state of it: rows, ids and the index are kept.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('students', '0006_import_heartbeat'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='LearnerLinkEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(choices=[('LINKED', 'Associé'), ('UNLINKED', 'Dissocié')], max_length=8)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('learner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='link_events', to='students.learner')),
                        ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': "événement d'association",
                        'indexes': [models.Index(fields=['learner', 'created_at'], name='link_event_learner')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
