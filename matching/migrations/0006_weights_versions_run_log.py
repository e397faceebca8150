"""Matching weights become versions (a change adds a row, the newest is in force); today's row
is version 1. Shortlist summaries remember the scoring run (audit event) that made them."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def number_versions(apps, schema_editor):
    MatchingWeights = apps.get_model("matching", "MatchingWeights")
    for number, row in enumerate(MatchingWeights.objects.order_by("id"), start=1):
        row.version = number
        row.save(update_fields=["version"])


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("matching", "0005_review_requests"),
    ]

    operations = [
        migrations.AddField(
            model_name="matchingweights",
            name="version",
            field=models.PositiveIntegerField(default=0, editable=False),
            preserve_default=False,
        ),
        migrations.RunPython(number_versions, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="matchingweights",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="matchingweights",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="matchingweights",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.AlterModelOptions(
            name="matchingweights",
            options={
                "ordering": ["-version"],
                "verbose_name": "matching weights",
                "verbose_name_plural": "matching weights",
            },
        ),
        migrations.AddField(
            model_name="shortlistsummary",
            name="run_seq",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="shortlistsummary",
            name="weights_version",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
    ]
