"""Compile every .po catalogue into .mo with polib, so no gettext install is needed to run the site."""

from pathlib import Path

import polib
from django.conf import settings

from core.management.base import RecordedCommand


class Command(RecordedCommand):
    help = "Compile the project's .po files to .mo (pure Python; gettext's msgfmt is not required)."

    def handle(self, *args, **options) -> None:
        root = Path(settings.BASE_DIR)
        compiled = 0
        for po_path in root.glob("**/locale/*/LC_MESSAGES/*.po"):
            if ".venv" in po_path.parts:
                continue
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            compiled += 1
        if options["verbosity"]:
            self.stdout.write(f"{compiled} catalogues compiled.")
