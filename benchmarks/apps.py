from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """The benchmark tooling (`manage.py bench`): no models, no URLs, outside every domain app."""

    name = "benchmarks"
    verbose_name = "Benchmarks"
