"""Both interface languages are complete: every string has a zh-hans
translation, and the compiled catalogues match their sources."""

import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bin"))
from messages import catalogues  # noqa: E402

CATALOGUES = catalogues()


def test_there_are_catalogues():
    assert len(CATALOGUES) >= 5


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_catalogue_is_fully_translated(po_path):
    catalogue = polib.pofile(str(po_path))
    missing = [entry.msgid for entry in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
    assert missing == [], f"untranslated in {po_path}: {missing[:10]} (fill them, then `make messages`)"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_compiled_catalogue_matches_its_source(po_path):
    source = {(entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural for entry in polib.pofile(str(po_path)) if not entry.obsolete}
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural for entry in polib.mofile(str(po_path.with_suffix(".mo")))}
    compiled.pop((None, ""), None)
    assert compiled == source, f"{po_path.with_suffix('.mo')} is stale: run `.venv/bin/python bin/messages.py --compile-only`"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_translations_keep_their_placeholders(po_path):
    import re

    placeholder = re.compile(r"%\(\w+\)[sdif]|\{\w*\}")
    for entry in polib.pofile(str(po_path)):
        if entry.msgstr:
            assert sorted(placeholder.findall(entry.msgid)) == sorted(placeholder.findall(entry.msgstr)), entry.msgid


def test_every_translation_is_the_one_shown():
    """Django merges all catalogues into one: where two apps (or Django itself)
    translate the same msgid differently, only one wins. So the same English
    word must have one Chinese term everywhere, and a word with two meanings
    takes a context (pgettext / {% translate ... context ... %})."""
    from django.utils import translation

    shadowed = []
    with translation.override("zh-hans"):
        for po_path in CATALOGUES:
            for entry in polib.pofile(str(po_path)):
                if entry.obsolete or entry.msgid_plural or not entry.msgstr:
                    continue
                shown = translation.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else translation.gettext(entry.msgid)
                if shown != entry.msgstr:
                    shadowed.append(f"{po_path.relative_to(ROOT).parts[0]}: {entry.msgid!r} → {entry.msgstr!r}, shown {shown!r}")
    assert shadowed == [], "translations shadowed by another catalogue:\n" + "\n".join(shadowed)
