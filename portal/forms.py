from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import BODY_MAX, SUBJECT_MAX, QuestionStatus


class QuestionForm(forms.Form):
    subject = forms.CharField(label=_("What is it about?"), max_length=SUBJECT_MAX,
                              widget=forms.TextInput(attrs={"placeholder": _("e.g. When is my rebate paid?")}))
    body = forms.CharField(label=_("Your question"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 5}))


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class QuestionFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *QuestionStatus.choices])
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Dealer or subject")}))
