"""Indexes that no query reads, dropped from the answer path: each answer inserts a row into ``Answer`` (one entry
per index) and updates its ``Assessment`` (its served challenge changes, and while that column was indexed no
update could be HOT: a new entry in every index of the table). The foreign keys stay.

Only the indexes are dropped (``DROP INDEX``): Django's own ``AlterField`` would also drop and re-add each foreign
key on PostgreSQL, which checks every existing row under a lock.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The names Django gave these indexes (the same on every installation).
NAMES = {
    ("assessments_answer", "assessment_id"): ["assessments_answer_assessment_id_bf63c452"],
    ("assessments_answer", "challenge_id"): ["assessments_answer_challenge_id_c202c784",
                                             "assessments_answer_challenge_id_c202c784_like"],
    ("assessments_answer", "skill_id"): ["assessments_answer_skill_id_3757bcf9"],
    ("assessments_assessment", "current_challenge_id"): [
        "assessments_assessment_current_challenge_id_4ff7d2ee",
        "assessments_assessment_current_challenge_id_4ff7d2ee_like"],
    ("assessments_assessment", "user_id"): ["assessments_assessment_user_id_aec59f0d"],
}


def indexes_drop(apps, schema_editor):
    quote = schema_editor.quote_name
    for names in NAMES.values():
        for name in names:
            schema_editor.execute(f"DROP INDEX IF EXISTS {quote(name)}")


def indexes_create(apps, schema_editor):
    quote = schema_editor.quote_name
    postgresql = schema_editor.connection.vendor == "postgresql"
    for (table, column), names in NAMES.items():
        for name in names:
            if name.endswith("_like") and not postgresql:  # PostgreSQL's LIKE index of a text column
                continue
            ops = " varchar_pattern_ops" if name.endswith("_like") else ""
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} ({quote(column)}{ops})")


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0001_initial'),
        ('content', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(indexes_drop, indexes_create)],
            state_operations=[
                migrations.AlterField(
                    model_name="answer", name="assessment",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                            related_name="answers", to="assessments.assessment"),
                ),
                migrations.AlterField(
                    model_name="answer", name="challenge",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name="answers", to="content.challenge"),
                ),
                migrations.AlterField(
                    model_name="answer", name="skill",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name="+", to="content.skill"),
                ),
                migrations.AlterField(
                    model_name="assessment", name="current_challenge",
                    field=models.ForeignKey(blank=True, db_index=False, null=True,
                                            on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                            to="content.challenge"),
                ),
                migrations.AlterField(
                    model_name="assessment", name="user",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                            related_name="assessments", to=settings.AUTH_USER_MODEL),
                ),
            ],
        ),
    ]
