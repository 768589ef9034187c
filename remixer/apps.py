from django.apps import AppConfig


class RemixerConfig(AppConfig):
    name = "remixer"
    verbose_name = "remixer"
    default_auto_field = "django.db.models.BigAutoField"
