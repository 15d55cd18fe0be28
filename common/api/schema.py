"""The OpenAPI schema tells every status an endpoint can answer (API.md, "The
schema is the truth"): the standard error responses are added here, once, to
every operation, each with the error body the exception handler writes
(common.api.exceptions), instead of being declared view by view."""

from __future__ import annotations

import contextlib

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent, force_instance
from rest_framework import serializers

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "An error. `detail` holds one message; a 400 about the input may instead name each "
        "field with its messages (`{\"field\": [\"message\"]}`, nested for lines of a list)."
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}

# Status → (description, when it applies).
STANDARD_ERRORS = {
    "400": "The input is malformed, out of range or incomplete; nothing was saved.",
    "401": "Not signed in: send `Authorization: Token <token>` or a session cookie.",
    "403": "Signed in, but the caller's role may not do this.",
    "404": "No such object within the caller's scope, a path id that is not a number, or a page past the last.",
    "409": "Not allowed from the object's current state.",
    "414": "The URL (with its query) is too long; the web server refuses it before the app (no JSON body).",
    "429": "Too many requests: try again later (see the Retry-After header).",
}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


# A TimeField's value ("09:30:00") has no offset, which JSON Schema's "time" format requires.
LOCAL_TIME_SCHEMA = {"type": "string", "pattern": r"^[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?$", "example": "09:30:00"}


def model_allows(field: serializers.Field) -> tuple[bool, bool]:
    """(null, blank): whether the model behind a serializer field may hold null, or
    an empty string, following its `source` across relations (a missing related
    row, e.g. a reverse one-to-one, reads as null)."""
    meta = getattr(field.parent, "Meta", None)
    model = getattr(meta, "model", None)
    source_attrs = getattr(field, "source_attrs", None) or []
    if model is None or not source_attrs or field.source == "*":
        return False, False
    nullable = False
    model_field = None
    for position, attr in enumerate(source_attrs):
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False, False
        last = position == len(source_attrs) - 1
        if not last:
            if not model_field.is_relation or model_field.many_to_many or model_field.one_to_many:
                return False, False
            nullable = nullable or model_field.null or model_field.auto_created
            model = model_field.related_model
    nullable = nullable or bool(getattr(model_field, "null", False))
    blank = bool(getattr(model_field, "blank", False)) and isinstance(model_field, (models.CharField, models.TextField))
    return nullable, blank


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema with (1) the standard errors on every operation
    and (2) responses typed as the data is: a field whose model column may be null
    or blank (an unevaluated dealer's `grade ""`, a prospect without a `rep`, an
    attendee's empty `email`) is nullable / blank-able in the response schema,
    whatever the request side requires."""

    @contextlib.contextmanager
    def _as_stored(self, field, direction):
        if direction != "response" or not isinstance(field, serializers.Field):
            yield
            return
        nullable, blank = model_allows(field)
        saved = field.allow_null, getattr(field, "allow_blank", None)
        try:
            field.allow_null = field.allow_null or nullable
            if saved[1] is not None:
                field.allow_blank = saved[1] or blank
            yield
        finally:
            field.allow_null = saved[0]
            if saved[1] is not None:
                field.allow_blank = saved[1]

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if isinstance(field, serializers.TimeField):
            return dict(LOCAL_TIME_SCHEMA)
        with self._as_stored(field, direction):
            schema = super()._map_serializer_field(field, direction, bypass_extensions)
            if getattr(field, "allow_blank", False) and schema.get("type") == "string" and "format" in schema:
                # An email or address that may be empty: "" or the format.
                outer = {key: schema.pop(key) for key in list(schema) if key in ("readOnly", "writeOnly", "nullable", "description", "title")}
                schema = {**outer, "oneOf": [schema, {"type": "string", "maxLength": 0}]}
            return schema

    def resolve_serializer(self, serializer, direction, bypass_extensions=False):
        """A response whose shape depends on the caller (a view's
        `schema_response_alternatives = {Serializer: [OtherSerializer, ...]}`, e.g. a
        campaign as staff or as a dealer user see it) is documented as anyOf them."""
        component = super().resolve_serializer(serializer, direction, bypass_extensions)
        alternatives = getattr(self.view, "schema_response_alternatives", {}).get(type(serializer))
        if direction != "response" or not alternatives or component is None or component.schema is None:
            return component
        refs = [component.ref] + [super(AutoSchema, self).resolve_serializer(force_instance(other), direction).ref
                                  for other in alternatives]
        combined = ResolvedComponent(
            name=f"{component.name}ForCaller", type=ResolvedComponent.SCHEMA, object=f"{component.name}ForCaller",
            schema={"anyOf": refs, "description": "What the caller's role may see of it."},
        )
        self.registry.register_on_missing(combined)
        return combined

    def _resolve_path_parameters(self, variables):
        """Ids in paths are integers (the router takes digits only, ID_REGEX)."""
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["schema"].get("pattern") in ("^[0-9]+$", r"^\d+$"):
                parameter["schema"] = {"type": "integer", "minimum": 0}
        return parameters

    def _get_serializer_field_meta(self, field, direction):
        with self._as_stored(field, direction):
            return super()._get_serializer_field_meta(field, direction)

    def _error_reference(self) -> dict:
        component = ResolvedComponent(name="Error", type=ResolvedComponent.SCHEMA, object="Error", schema=ERROR_SCHEMA)
        self.registry.register_on_missing(component)
        return component.ref

    def _standard_error_codes(self) -> list[str]:
        # 404 everywhere: an object outside the caller's scope, or a page past the last.
        codes = ["400", "401", "403", "404", "414", "429"]
        if self.method in WRITE_METHODS:
            codes.append("409")
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        error = {"application/json": {"schema": self._error_reference()}}
        for code in self._standard_error_codes():
            responses.setdefault(code, {"description": STANDARD_ERRORS[code]})
        for code, response in responses.items():
            # An error declared by a view with a description only gets the error body too.
            if str(code).startswith("4") and code != "414" and not response.get("content"):
                response["content"] = dict(error)
        return responses
