from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "byline.api"
    label = "byline_api"
    verbose_name = "Read API"
