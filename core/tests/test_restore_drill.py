"""The restore drill of docs/operations.md, on PostgreSQL: a seeded database and its media files,
backed up and restored with the documented commands, are found again, every row and every file.

Needs PostgreSQL and its client programs (pg_dump, createdb, pg_restore); skips without them and
fails under REQUIRE_SERVICES=1. The restored copy is a database of its own next to the test
database (`<test database>_restored`), dropped at the end.
"""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from core.testing import require_service

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

CLIENT_PROGRAMS = ("pg_dump", "createdb", "dropdb", "pg_restore")


def require_postgres() -> None:
    require_service("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")
    missing = [program for program in CLIENT_PROGRAMS if not shutil.which(program)]
    require_service("PostgreSQL's client programs", not missing, "apt-get install postgresql-client")


def pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGHOST": db["HOST"] or "", "PGPORT": str(db["PORT"] or ""), "PGUSER": db["USER"] or ""}
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def run(*args: str) -> None:
    result = subprocess.run(args, env=pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0, f"{' '.join(args)}: {result.stderr}"


def tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
    )
    return [name for (name,) in cursor.fetchall()]


def fingerprint(cursor) -> dict[str, tuple]:
    """Per table: its row count and a checksum of all its rows (in a fixed order); per sequence:
    where it stands, so a row written after the restore gets a fresh id."""
    found = {}
    for table in tables(cursor):
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {table} t"  # noqa: S608 - names from the catalogue
        )
        found[table] = cursor.fetchone()
    cursor.execute(
        "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value FROM pg_sequences "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
    )
    for sequence, last_value in cursor.fetchall():
        found[f"sequence {sequence}"] = (last_value,)
    return found


def restored_fingerprint(name: str) -> dict[str, tuple]:
    """The fingerprint of another database, through a connection of the same driver and settings."""
    params = {**connection.get_connection_params(), "dbname": name}
    params.pop("database", None)
    restored = connection.get_new_connection(params)
    try:
        cursor = restored.cursor()
        try:
            return fingerprint(cursor)
        finally:
            cursor.close()
    finally:
        restored.close()


def media_files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_a_dump_restored_into_a_new_database_holds_every_row_and_every_media_file(settings, tmp_path):
    require_postgres()
    settings.DEBUG = True  # seed_demo loads demo data in development only
    from countries.iso import load_iso_regions
    from countries.models import Country, Region

    load_iso_regions(Country, Region)  # the migration's rows, if a transactional test flushed them
    call_command("seed_demo")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    from django.core.files.storage import default_storage

    # The demo's attachments (and their thumbnails) are in MEDIA_ROOT already; a few files with
    # awkward names beside them.
    default_storage.save("imports/2026/flows.csv", ContentFile(b"region_code,fiscal_year\nPE-MOQ,2024\n"))
    default_storage.save("photos/taller-uribia.jpg", ContentFile(bytes(range(256)) * 400))
    default_storage.save("notes/acta \u00f1and\u00fa.txt", ContentFile(b"Acta del taller"))

    with connection.cursor() as cursor:
        before = fingerprint(cursor)
    files_before = media_files(Path(settings.MEDIA_ROOT))
    assert sum(count for table, (count, *_rest) in before.items() if not table.startswith("sequence")) > 500
    assert {"imports/2026/flows.csv", "photos/taller-uribia.jpg", "notes/acta \u00f1and\u00fa.txt"} < set(files_before)

    source = connection.settings_dict["NAME"]
    restored = f"{source}_restored"
    dump = tmp_path / "coalitions.dump"
    media_archive = tmp_path / "media.tar.gz"
    # The commands of docs/operations.md, "Back up" and "Restore".
    run("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--dbname={source}", f"--file={dump}")
    run("tar", "--create", "--gzip", f"--file={media_archive}", f"--directory={settings.MEDIA_ROOT}", ".")
    run("dropdb", "--if-exists", restored)
    run("createdb", restored)
    restored_media = tmp_path / "restored-media"
    restored_media.mkdir()
    try:
        run("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={restored}", str(dump))
        run("tar", "--extract", "--gzip", f"--file={media_archive}", f"--directory={restored_media}")
        after = restored_fingerprint(restored)
    finally:
        run("dropdb", "--if-exists", restored)

    assert set(after) == set(before)
    differing = {table: (before[table], after[table]) for table in before if before[table] != after[table]}
    assert differing == {}
    assert media_files(restored_media) == files_before
