from django.db import migrations, models

import vacancies.shifts


class Migration(migrations.Migration):
    dependencies = [
        ("vacancies", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="vacancy",
            name="shift_start_times",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="When the shifts start, e.g. 06:00, 14:00, 22:00 (at most four).",
                validators=[vacancies.shifts.validate_shift_start_times],
                verbose_name="shift start times",
            ),
        ),
    ]
