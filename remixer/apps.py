from django.apps import AppConfig


class RemixerConfig(AppConfig):
    name = "remixer"
    verbose_name = "remixer"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from remixer.files import storage

        # A deployment check with a tag of its own: it reaches the bucket, so only `serve`,
        # the workers and `check --deploy` run it, not every manage.py command.
        checks.register(storage.check_storage, storage.CHECK_TAG, deploy=True)
