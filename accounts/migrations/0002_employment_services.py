from django.db import migrations

SERVICES = [
    ("vdab", "VDAB", "BE", "https://www.vdab.be"),
    ("uwv", "UWV", "NL", "https://www.uwv.nl"),
    ("wsp-zvl", "WSP Zeeuws-Vlaanderen", "NL", "https://www.wspzeeuwsvlaanderen.nl"),
]


def add_services(apps, schema_editor):
    EmploymentService = apps.get_model("accounts", "EmploymentService")
    for code, name, country, website in SERVICES:
        EmploymentService.objects.update_or_create(
            code=code, defaults={"name": name, "country": country, "website": website}
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(add_services, migrations.RunPython.noop)]
