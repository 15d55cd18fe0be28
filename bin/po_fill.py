#!/usr/bin/env python
"""Fill zh-hans translations from a JSON file of {"msgid": "msgstr"} into every
catalogue where that msgid is untranslated or fuzzy, then compile.

    .venv/bin/python bin/po_fill.py translations.json
    .venv/bin/python bin/po_fill.py --missing     # list what is still untranslated

For a plural msgid give a list of forms (Chinese has one: ["%(n)d 条通知"]).
A msgid with a context is keyed "context\u0004msgid".
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import polib
from messages import catalogues, compile_all


def missing() -> int:
    count = 0
    for path in catalogues():
        for entry in polib.pofile(str(path)).untranslated_entries() + polib.pofile(str(path)).fuzzy_entries():
            key = f"{entry.msgctxt}\u0004{entry.msgid}" if entry.msgctxt else entry.msgid
            print(f"{path.parent.parent.parent.parent}: {json.dumps(key, ensure_ascii=False)}")
            count += 1
    return count


def fill(translations: dict) -> None:
    for path in catalogues():
        catalogue = polib.pofile(str(path))
        changed = False
        for entry in catalogue:
            key = f"{entry.msgctxt}\u0004{entry.msgid}" if entry.msgctxt else entry.msgid
            if key not in translations or (entry.translated() and not entry.fuzzy):
                continue
            value = translations[key]
            if entry.msgid_plural:
                forms = value if isinstance(value, list) else [value]
                entry.msgstr_plural = dict(enumerate(forms))
            else:
                entry.msgstr = value
            if entry.fuzzy:
                entry.flags.remove("fuzzy")
            changed = True
        if changed:
            catalogue.save()
    compile_all()


if __name__ == "__main__":
    if sys.argv[1:] == ["--missing"]:
        sys.exit(1 if missing() else 0)
    for name in sys.argv[1:]:
        fill(json.loads(Path(name).read_text(encoding="utf-8")))
