from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("matching", "0002_default_weights")]

    operations = [
        migrations.AddField(
            model_name="pendingrematch",
            name="task_id",
            field=models.CharField(blank=True, max_length=36),
        ),
    ]
