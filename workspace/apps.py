from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The caseworkers' back office: it has no models, it shows the work of the apps below it."""

    name = "workspace"
