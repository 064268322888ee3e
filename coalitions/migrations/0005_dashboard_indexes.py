# Indexes for the dashboard: the latest engagements and the unfinished commitments by due date.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("coalitions", "0004_membership_page_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(
                condition=models.Q(("status__in", ["planned", "in_progress"])),
                fields=["due_on", "id"],
                name="commitment_unfinished_due_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="engagement",
            index=models.Index(fields=["-occurred_on", "-id"], name="engagement_latest_idx"),
        ),
    ]
