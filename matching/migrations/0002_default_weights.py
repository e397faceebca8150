from django.db import migrations


def add_weights(apps, schema_editor):
    MatchingWeights = apps.get_model("matching", "MatchingWeights")
    if not MatchingWeights.objects.exists():
        MatchingWeights.objects.create()


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]

    operations = [migrations.RunPython(add_weights, migrations.RunPython.noop)]
