from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_outgoing_email"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="is_coordinator",
            field=models.BooleanField(default=False, verbose_name="coordinator of the service"),
        ),
    ]
