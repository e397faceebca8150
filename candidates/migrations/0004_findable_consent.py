from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0003_experience_phone_licence_cv"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidate",
            name="consent_findable_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="consented to be findable by employers at"),
        ),
        migrations.AlterField(
            model_name="consentevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("matching", "to be matched to vacancies"),
                    ("cross_border", "to be shared with employment services and employers across the border"),
                    ("findable", "to be findable by employers"),
                ],
                max_length=12,
            ),
        ),
    ]
