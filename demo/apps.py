from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models and no pages: the app is installed for its ``seed_demo`` command."""

    name = "demo"
