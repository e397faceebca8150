def ensure_reference_data() -> None:
    """Reference data and the employment services, loaded when the tables are empty."""
    from importlib import import_module

    from django.apps import apps

    from accounts.models import EmploymentService
    from matching.models import MatchingWeights
    from taxonomy.models import Place
    from taxonomy.services import reference_data_load

    if not Place.objects.exists():
        reference_data_load()
    if not EmploymentService.objects.exists():
        import_module("accounts.migrations.0002_employment_services").add_services(apps, None)
    if not MatchingWeights.objects.exists():
        MatchingWeights.objects.create()
