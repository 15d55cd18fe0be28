from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rebates.models import PeriodKind, SettlementMethod, StatementState, StatementStatus

# Sortable columns of the statement list: ?ordering=<field> or -<field>.
STATEMENT_SORTS = {
    "dealer__name": _("Dealer"),
    "period_start": _("Period"),
    "basis": _("Basis"),
    "amount": _("Amount"),
    "status": _("Status"),
}


class StatementFilterForm(forms.Form):
    q = forms.CharField(label=_("Dealer"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("Name or code"), "type": "search"}))
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=None, required=False, empty_label=_("All plans"))
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("Any state")), *StatementState.CHOICES])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *StatementStatus.choices])
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    period_kind = forms.ChoiceField(label=_("Period"), required=False, choices=[("", _("Any period")), *PeriodKind.choices])

    def __init__(self, *args, plans, dealer_user: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        if dealer_user:
            del self.fields["q"]


class SettleForm(forms.Form):
    method = forms.ChoiceField(label=_("Settled by means of"), choices=SettlementMethod.choices,
                               initial=SettlementMethod.CREDIT_NOTE)
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False,
                                help_text=_("Credit note or bank transfer number."))
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
