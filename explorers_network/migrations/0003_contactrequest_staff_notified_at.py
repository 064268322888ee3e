# Contact requests remember whether staff were told, so beat can tell them of a request whose
# task a broker outage dropped. Requests stored before this count as told when they arrived, so
# the first sweep does not notify every old request again.

from django.db import migrations, models


def told_when_received(apps, schema_editor):
    ContactRequest = apps.get_model("explorers_network", "ContactRequest")
    ContactRequest.objects.filter(staff_notified_at__isnull=True).update(staff_notified_at=models.F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('explorers_network', '0002_campaigns_consent_ledger_contact_requests'),
    ]

    operations = [
        migrations.AddField(
            model_name='contactrequest',
            name='staff_notified_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='staff notified at'),
        ),
        migrations.RunPython(told_when_received, migrations.RunPython.noop),
    ]
