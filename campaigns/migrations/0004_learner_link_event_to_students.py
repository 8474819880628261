# LearnerLinkEvent now belongs to students (students 0007 holds its state): the table is renamed to the name
# Django gives students' model, and campaigns forgets the model. No row is copied; reversing renames it back.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0003_link_attempt_without_account'),
        ('students', '0007_learner_link_event'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name='learnerlinkevent', table='students_learnerlinkevent'),
            ],
            state_operations=[
                migrations.DeleteModel(name='LearnerLinkEvent'),
            ],
        ),
    ]
