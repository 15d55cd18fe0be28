#!/usr/bin/env python3
"""One line of figures from a schemathesis run (bin/fuzz.sh): operations tested,
cases generated, server errors, response-schema violations, undocumented statuses."""

import json
import re
import sys

role, text_path = sys.argv[1], sys.argv[2]
with open(text_path, encoding="utf-8", errors="replace") as report:
    text = report.read()


def number(pattern: str) -> int:
    match = re.search(pattern, text)
    return int(match.group(1)) if match else 0


figures = {
    "role": role,
    "operations": number(r"Tested:\s+(\d+)") or number(r"(\d+) selected"),
    "cases": number(r"(\d+) generated"),
    "server_errors": number(r"ST101 Server error: (\d+)"),
    "schema_violations": number(r"ST108 Response violates schema: (\d+)"),
    "undocumented_statuses": number(r"ST103 Undocumented status code: (\d+)"),
}
figures["passed"] = not (figures["server_errors"] or figures["schema_violations"] or figures["undocumented_statuses"])
if "Schema Loading Error" in text or not figures["cases"]:
    figures["passed"] = False
    figures["note"] = "the run did not complete: see " + text_path
print(json.dumps(figures))
