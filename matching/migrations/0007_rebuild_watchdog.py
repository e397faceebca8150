"""Rebuilds that finish: each part of a full rebuild is recorded (RebuildChunk) so that the
watchdog can send a lost part again and the last part done finishes the run."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0006_weights_versions_run_log"),
    ]

    operations = [
        migrations.AddField(
            model_name="rebuildrun",
            name="chunks_resent",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="rebuildrun",
            name="last_progress_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="rebuildrun",
            name="stalls",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.CreateModel(
            name="RebuildChunk",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("index", models.PositiveIntegerField()),
                ("vacancy_ids", models.JSONField(default=list)),
                (
                    "status",
                    models.CharField(
                        choices=[("pending", "Not done yet"), ("done", "Done")], default="pending", max_length=10
                    ),
                ),
                ("attempts", models.PositiveIntegerField(default=0)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "run",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="chunks", to="matching.rebuildrun"
                    ),
                ),
            ],
            options={
                "ordering": ["run", "index"],
                "constraints": [models.UniqueConstraint(fields=("run", "index"), name="rebuild_chunk_unique_index")],
            },
        ),
    ]
