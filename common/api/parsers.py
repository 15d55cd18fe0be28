"""Request parsers of the API: JSON bodies bounded in size and depth, so a huge or
deeply nested body answers 400 with a message, never a 500 (SPEC "Inputs that must
be refused")."""

from __future__ import annotations

import codecs

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.settings import api_settings
from rest_framework.utils import json

BODY_TOO_LARGE = _("The request body is too large: at most %(limit)s bytes are accepted.")
BODY_TOO_DEEP = _("The request body is nested too deeply: at most %(limit)s levels are accepted.")
BODY_NOT_JSON = _("The request body is not valid JSON: %(error)s")


def json_depth_exceeds(value, limit: int) -> bool:
    """Whether `value` (parsed JSON) nests lists/objects more than `limit` levels
    deep; iterative, so it cannot itself run out of stack."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with the body capped at DATA_UPLOAD_MAX_MEMORY_SIZE (which
    Django applies to forms but DRF does not apply to JSON) and its nesting at
    API_MAX_JSON_DEPTH levels."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parsers.get_encoding(parser_context)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise ParseError(BODY_TOO_LARGE % {"limit": limit})
        depth_limit = settings.API_MAX_JSON_DEPTH
        try:
            text = codecs.decode(raw, encoding)
            parse_constant = json.strict_constant if api_settings.STRICT_JSON else None
            data = json.loads(text, parse_constant=parse_constant)
        except RecursionError as error:
            raise ParseError(BODY_TOO_DEEP % {"limit": depth_limit}) from error
        except ValueError as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            raise ParseError(BODY_NOT_JSON % {"error": error}) from error
        if json_depth_exceeds(data, depth_limit):
            raise ParseError(BODY_TOO_DEEP % {"limit": depth_limit})
        return data
