# The directory index (country, sector, name, id) serves every query this one did; one index fewer to
# maintain on each insert (the 50,000-row import writes eleven).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0003_directory_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="stakeholder",
            name="stakeholder_country_sector_idx",
        ),
    ]
