from django.apps import AppConfig


class TwoFactorConfig(AppConfig):
    name = "byline.twofactor"
    label = "twofactor"
    verbose_name = "Two-factor sign-in"
