"""Trigram indexes for the rest of the contacts' `q` (core.search): every word is looked for in the
folded name, the e-mail and the position (`UPPER(...) LIKE`), so PostgreSQL can combine one index
per field in a bitmap only when each field has one; without them every contact search read the
whole table. A search of short words only ("ur", "al") is the start of the name or the acronym:
a B-tree in pattern order serves it as a range, where the trigrams of a word's start (" ur") would
make PostgreSQL recheck every name with a word starting so."""

from django.db import migrations

from core.operations import RunSQLOnPostgreSQL


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0005_stakeholder_municipality")]

    operations = [
        RunSQLOnPostgreSQL(
            sql=[
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "CREATE INDEX IF NOT EXISTS contact_email_trgm_idx "
                "ON stakeholders_contact USING gin ((UPPER(email::text)) gin_trgm_ops)",
                "CREATE INDEX IF NOT EXISTS contact_position_trgm_idx "
                'ON stakeholders_contact USING gin ((UPPER("position"::text)) gin_trgm_ops)',
                "CREATE INDEX IF NOT EXISTS stakeholder_search_name_prefix_idx "
                "ON stakeholders_stakeholder (search_name varchar_pattern_ops)",
                "CREATE INDEX IF NOT EXISTS stakeholder_acronym_prefix_idx "
                "ON stakeholders_stakeholder ((UPPER(acronym::text)) varchar_pattern_ops)",
            ],
            reverse_sql=[
                "DROP INDEX IF EXISTS stakeholder_acronym_prefix_idx",
                "DROP INDEX IF EXISTS stakeholder_search_name_prefix_idx",
                "DROP INDEX IF EXISTS contact_position_trgm_idx",
                "DROP INDEX IF EXISTS contact_email_trgm_idx",
            ],
        ),
    ]
