from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from common.forms import DateInput
from dealers.models import DealerTier
from inventory.models import OrderStatus, Product
from inventory.services import ORDER_NEEDS_LINES, WAYBILL_REQUIRED, OrderLineInput

QUANTITY_NOT_WHOLE = _("Enter a whole number of cases, zero or more.")

ORDER_SORTS = {
    "submitted_at": _("Submitted"),
    "total": _("Total"),
    "status": _("Status"),
    "dealer__name": _("Dealer"),
    "payment_due_date": _("Payment due"),
}
# Every column a list can sort by, both ways (the table headers link to the same values).
ORDER_SORT_CHOICES = [("", _("Newest first"))] + [
    (f"{prefix}{field}", format_lazy("{} {}", label, arrow))
    for field, label in ORDER_SORTS.items()
    for prefix, arrow in (("", "↑"), ("-", "↓"))
]


class OrderFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, widget=forms.TextInput(attrs={
        "type": "search", "placeholder": _("Dealer, code or order number"),
    }))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *OrderStatus.choices])
    dealer = forms.ModelChoiceField(label=_("Dealer"), required=False, queryset=None, empty_label=_("Any dealer"))
    submitted_after = forms.DateField(label=_("From"), required=False, widget=DateInput())
    submitted_before = forms.DateField(label=_("To"), required=False, widget=DateInput())
    ordering = forms.ChoiceField(label=_("Sort by"), required=False, choices=ORDER_SORT_CHOICES)

    def __init__(self, *args, dealers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dealers is None:
            del self.fields["dealer"]
        else:
            self.fields["dealer"].queryset = dealers


class DealerChoiceForm(forms.Form):
    """Staff placing an order on a dealer's behalf pick the dealer first (its tier decides the prices)."""

    dealer = forms.ModelChoiceField(label=_("Dealer"), queryset=None, empty_label=_("Choose a dealer"))

    def __init__(self, *args, dealers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dealer"].queryset = dealers


class OrderPlacementForm(forms.Form):
    """One quantity per orderable product (blank or 0: not ordered) and a note:
    the whole order is saved, or nothing."""

    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, products: Iterable[Product], initial_quantities: dict[int, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.products = list(products)
        initial_quantities = initial_quantities or {}
        for product in self.products:
            self.fields[self.field_name(product)] = forms.IntegerField(
                label=product.name, required=False, initial=initial_quantities.get(product.pk),
                error_messages={"invalid": QUANTITY_NOT_WHOLE},
                widget=forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric", "style": "text-align: right",
                                                "data-price": str(getattr(product, "tier_price", "") or "")}),
            )

    @staticmethod
    def field_name(product: Product) -> str:
        return f"qty_{product.pk}"

    def rows(self):
        """(product, bound field) per product, for the template."""
        return [(product, self[self.field_name(product)]) for product in self.products]

    def clean(self):
        cleaned = super().clean()
        for product in self.products:
            name = self.field_name(product)
            if (cleaned.get(name) or 0) < 0:
                self.add_error(name, QUANTITY_NOT_WHOLE)
        if not self.errors and not self.line_inputs():
            raise ValidationError(ORDER_NEEDS_LINES)
        return cleaned

    def line_inputs(self) -> list[OrderLineInput]:
        return [
            OrderLineInput(product=product, quantity=self.cleaned_data[self.field_name(product)])
            for product in self.products
            if (self.cleaned_data.get(self.field_name(product)) or 0) > 0
        ]


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2,
                                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))
    reference = forms.CharField(label=_("Reference"), required=False, max_length=100,
                                help_text=_("Bank slip or transfer number."))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ShipForm(forms.Form):
    # Required: without a waybill nobody can trace the goods (the service says the same to the API).
    reference = forms.CharField(label=_("Waybill or vehicle number"), max_length=100,
                                error_messages={"required": WAYBILL_REQUIRED})


class TierChoiceForm(forms.Form):
    tier = forms.ChoiceField(label=_("Tier"), choices=DealerTier.choices)
