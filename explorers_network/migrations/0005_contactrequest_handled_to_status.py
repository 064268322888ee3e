from django.db import migrations


def handled_to_status(apps, schema_editor):
    """A request staff had marked handled is closed: the status replaces the flag."""
    ContactRequest = apps.get_model("explorers_network", "ContactRequest")
    ContactRequest.objects.filter(handled=True).update(status="closed")


def status_to_handled(apps, schema_editor):
    ContactRequest = apps.get_model("explorers_network", "ContactRequest")
    ContactRequest.objects.filter(status__in=["answered", "closed"]).update(handled=True)


class Migration(migrations.Migration):
    dependencies = [("explorers_network", "0004_contactrequest_status_owner_notes")]

    operations = [migrations.RunPython(handled_to_status, status_to_handled)]
