from django.db import migrations


def create_local_engine(apps, schema_editor):  # type: ignore[no-untyped-def]
    Provider = apps.get_model("remixer", "Provider")
    CatalogEntry = apps.get_model("remixer", "CatalogEntry")
    local, _ = Provider.objects.get_or_create(kind="local", defaults={"name": "Local engine"})
    CatalogEntry.objects.get_or_create(provider=local, name="remixer-local")


class Migration(migrations.Migration):
    dependencies = [("remixer", "0001_initial")]
    operations = [migrations.RunPython(create_local_engine, migrations.RunPython.noop)]
