"""Form rendering shared by every page: Bootstrap classes on every widget, set
once here (settings.FORM_RENDERER), so a form template is just `{{ form }}`."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting


class BootstrapBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
            css = "form-check-input"
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
            css = "form-select"
        elif isinstance(widget, forms.HiddenInput):
            return attrs
        else:
            css = "form-control"
        if self.form.is_bound and self.errors:
            css += " is-invalid"
        attrs["class"] = f"{attrs.get('class', '')} {css}".strip()
        return attrs


class BootstrapFormRenderer(TemplatesSetting):
    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"
    bound_field_class = BootstrapBoundField


class DateInput(forms.DateInput):
    """A phone's native date picker."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def add_service_errors(form: forms.Form, error: ValidationError, *, fields: dict | None = None) -> None:
    """A service's ValidationError on the form: each message on its field when the
    form has it (`fields` renames service fields to form fields), the rest on top.
    Any shape of error (a message, a list, a dict) is put somewhere; none is lost."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, errors in error.error_dict.items():
        name = (fields or {}).get(name, name)
        messages = [message for item in errors for message in item.messages]
        form.add_error(name if name in form.fields else None, messages)


_TEXT_BOUNDED = "_dealer_crm_text_bounded"


def bound_text_areas() -> None:
    """Give every text area of every form (a model TextField's or a declared
    `CharField(widget=Textarea)`) without a length of its own a maximum of
    settings.API_TEXT_MAX_LENGTH characters, so that a 1 MB note is refused with a
    message on the pages as in the API (common.api.fields does it for serializers).
    Installed once by common.apps."""
    from django.conf import settings

    if getattr(forms.CharField, _TEXT_BOUNDED, False):
        return
    original = forms.CharField.__init__

    def __init__(self, *, max_length=None, **kwargs):
        widget = kwargs.get("widget") or getattr(self, "widget", None)
        is_text_area = isinstance(widget, forms.Textarea) or (isinstance(widget, type) and issubclass(widget, forms.Textarea))
        if max_length is None and is_text_area and not isinstance(self, forms.JSONField):
            max_length = settings.API_TEXT_MAX_LENGTH
        original(self, max_length=max_length, **kwargs)

    forms.CharField.__init__ = __init__
    setattr(forms.CharField, _TEXT_BOUNDED, True)
