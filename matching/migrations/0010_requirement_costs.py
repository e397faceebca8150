from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0009_near_misses_routed"),
    ]

    operations = [
        migrations.AddField(
            model_name="shortlistsummary",
            name="requirement_costs",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="shortlistsummary",
            name="requirement_costs_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
