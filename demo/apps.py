from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and benchmark data: a believable region made of real reference data."""

    name = "demo"
    verbose_name = "Demo data"
