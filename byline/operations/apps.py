from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """The roof that runs the site: backup, restore and the task worker.

    It may import every app below it (it restores their data, warms their
    caches); nothing imports it.
    """

    name = "byline.operations"
    label = "operations"
    verbose_name = "Operations"
