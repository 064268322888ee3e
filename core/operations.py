"""Migration operations shared by the apps."""

from django.db import migrations


class RunSQLOnPostgreSQL(migrations.RunSQL):
    """Raw SQL that only PostgreSQL understands (extensions, GIN indexes); a no-op elsewhere.

    SQLite, the default for development and tests, keeps working unchanged; the state of
    the models is untouched either way, so `makemigrations` sees no difference.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
