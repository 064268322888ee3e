# The follow-up of an engagement cannot be due before it took place: a rule the staff form held,
# now the database's. Rows the API let through get their follow-up date moved to the engagement's
# own date (the follow-up text is kept), so the constraint can be added.

from django.db import migrations, models


def move_early_follow_ups(apps, schema_editor):
    Engagement = apps.get_model("coalitions", "Engagement")
    Engagement.objects.filter(follow_up_on__lt=models.F("occurred_on")).update(follow_up_on=models.F("occurred_on"))


class Migration(migrations.Migration):
    dependencies = [
        ("coalitions", "0005_dashboard_indexes"),
    ]

    operations = [
        migrations.RunPython(move_early_follow_ups, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="engagement",
            constraint=models.CheckConstraint(
                condition=models.Q(("follow_up_on__isnull", True), ("follow_up_on__gte", models.F("occurred_on")), _connector="OR"),
                name="engagement_follow_up_not_before",
                violation_error_message="The follow-up cannot be due before the engagement took place.",
            ),
        ),
    ]
