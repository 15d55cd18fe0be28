from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts import login_limits
from accounts.models import User


class LoginForm(AuthenticationForm):
    """Sign-in, with failed attempts limited per user name and per address (accounts.login_limits)."""

    username = forms.CharField(
        label=_("Username"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    locked = False

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = self.request.META.get("REMOTE_ADDR") if self.request else None
        wait = login_limits.login_locked_for(username=username, address=address)
        if wait:
            self.locked = True
            raise forms.ValidationError(login_limits.locked_message(wait), code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_limits.login_failed(username=username, address=address)
            raise
        login_limits.login_succeeded(username=username, address=address)
        return cleaned


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "phone", "language"]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)
