"""Every install has CO, PE and PH with all their ISO 3166-2 subdivisions."""

from django.db import migrations

from countries.iso import load_iso_regions


def load(apps, schema_editor):
    load_iso_regions(apps.get_model("countries", "Country"), apps.get_model("countries", "Region"))


class Migration(migrations.Migration):
    dependencies = [("countries", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
