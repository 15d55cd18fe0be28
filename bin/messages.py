#!/usr/bin/env python
"""Extract and compile the translations (zh-hans) of every app: `make messages`.

Each app keeps its own catalogue in <app>/locale/zh_Hans/LC_MESSAGES/django.po;
project templates and settings use locale/. The .mo files are compiled with
polib, so a fresh machine needs no GNU gettext to run the app; extracting new
strings (makemessages) does need xgettext.
"""

import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = "zh_Hans"
APPS = ["common", "accounts", "regions", "notifications", "dealers", "visits", "inventory", "rebates", "portal", "promotions", "scorecards", "hq"]
IGNORE = [".venv", "staticfiles", "media", "var", "node_modules", "test-artifacts", "*/tests/*", "bench"]


def catalogues() -> list[Path]:
    """Our own catalogues: the project's and one per app (never site-packages)."""
    paths = [ROOT / "locale", *(ROOT / app / "locale" for app in APPS)]
    return [path / LOCALE / "LC_MESSAGES" / "django.po" for path in paths if (path / LOCALE / "LC_MESSAGES" / "django.po").exists()]


def extract() -> None:
    for app in APPS:
        if (ROOT / app).is_dir():
            (ROOT / app / "locale" / LOCALE / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    (ROOT / "locale" / LOCALE / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "manage.py", "makemessages", "-l", LOCALE, "--no-location", "--no-obsolete"]
    for pattern in IGNORE:
        command += ["--ignore", pattern]
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    subprocess.run(command, cwd=ROOT, check=True, env=env)


def compile_all() -> None:
    for po_path in catalogues():
        catalogue = polib.pofile(str(po_path))
        # Re-saved through polib, so its line wrapping (not xgettext's) is the one
        # in the repository and neither tool churns the files.
        catalogue.save()
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        missing = len(catalogue.untranslated_entries()) + len(catalogue.fuzzy_entries())
        status = f"{missing} to translate" if missing else "complete"
        print(f"{po_path.relative_to(ROOT)}: {catalogue.percent_translated()} % ({status})")


if __name__ == "__main__":
    if "--compile-only" not in sys.argv:
        extract()
    compile_all()
