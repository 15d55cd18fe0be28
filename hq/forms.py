"""Forms of the setup pages. They only check types and shapes; the rules are the
services' (a form shows the ValidationError a service raises)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Role
from common.forms import DateInput
from dealers.models import Dealer, DealerTier, EvaluationCriterion
from hq.imports.kinds import KINDS
from hq.models import ImportKind
from inventory.models import Product, ProductCategory, ProductUnit
from inventory.selectors import default_coefficient_text
from rebates.models import PeriodKind, PlanKind
from regions.models import Region, RegionKind
from regions.selectors import region_name_paths
from visits.forms import WEEKDAY_CHOICES
from visits.models import PlanRule

MONEY = {"max_digits": 12, "decimal_places": 2}
TIERS_FORMAT = _("One tier per line as “threshold: rate”, e.g. “100000: 1” (rate in %).")
DAYS_FORMAT = _("Days as numbers separated by commas, e.g. 10, 25.")


class RegionChoiceField(forms.ModelChoiceField):
    """Regions shown by their full path ("China / Zhejiang / Hangzhou"), read in one query."""

    def __init__(self, *args, **kwargs):
        super().__init__(Region.objects.order_by("path"), *args, **kwargs)
        self._paths = None

    def label_from_instance(self, region):
        if self._paths is None:
            self._paths = region_name_paths()
        return self._paths.get(region.pk, region.name).replace("/", " / ")


class RegionMultipleChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, **kwargs):
        super().__init__(Region.objects.order_by("path"), *args, **kwargs)
        self._paths = None

    def label_from_instance(self, region):
        if self._paths is None:
            self._paths = region_name_paths()
        return self._paths.get(region.pk, region.name).replace("/", " / ")


# --- regions -----------------------------------------------------------------------------------
class RegionForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=RegionKind.choices, initial=RegionKind.OTHER)
    parent = RegionChoiceField(label=_("Under"), required=False, empty_label=_("— top level —"))

    def __init__(self, *args, region: Region | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if region is not None:  # a region cannot go under itself or its sub-regions
            self.fields["parent"].queryset = Region.objects.exclude(path__startswith=region.path).order_by("path")


# --- catalogue ---------------------------------------------------------------------------------
class CategoryForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=100)
    sort_order = forms.IntegerField(label=_("Sort order"), min_value=0, max_value=32767, initial=0, required=False)


class ProductForm(forms.Form):
    sku = forms.CharField(label=_("SKU"), max_length=32)
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=200)
    category = forms.ModelChoiceField(label=_("Category"), queryset=ProductCategory.objects.all(), required=False,
                                      empty_label=_("— uncategorised —"))
    specification = forms.CharField(label=_("Specification"), max_length=100, required=False,
                                    help_text=_("Pack size, e.g. 500 ml × 24."))
    unit = forms.ChoiceField(label=_("Unit"), choices=ProductUnit.choices, initial=ProductUnit.CASE)
    units_per_case = forms.IntegerField(label=_("Units per case"), initial=1, min_value=-(2**31), max_value=2**31 - 1)
    shelf_life_days = forms.IntegerField(label=_("Shelf life (days)"), min_value=-(2**31), max_value=2**31 - 1)
    guideline_price = forms.DecimalField(label=_("Guideline retail price"), **MONEY,
                                         help_text=_("Of one piece on the shelf."))
    floor_price = forms.DecimalField(label=_("Floor resale price"), **MONEY,
                                     help_text=_("Not above the guideline price; below it is price dumping."))
    safety_coefficient = forms.DecimalField(label=_("Safety coefficient"), max_digits=4, decimal_places=2,
                                            required=False,
                                            help_text=format_lazy(_("Empty: the default ({default})."),
                                                                  default=default_coefficient_text))
    is_active = forms.BooleanField(label=_("On sale"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for tier, label in DealerTier.choices:
            self.fields[f"price_{tier}"] = forms.DecimalField(
                label=_("Price for the %(tier)s tier (per unit)") % {"tier": label}, **MONEY, required=False,
                help_text=_("Empty: not sold to this tier."),
            )

    def price_fields(self):
        return [self[f"price_{tier}"] for tier in DealerTier.values]

    def product_fields(self) -> dict:
        data = dict(self.cleaned_data)
        return {name: data[name] for name in (
            "sku", "name", "category", "specification", "unit", "units_per_case", "shelf_life_days",
            "guideline_price", "floor_price", "safety_coefficient", "is_active")}

    def tier_prices(self) -> dict[str, Decimal | None]:
        return {tier: self.cleaned_data.get(f"price_{tier}") for tier in DealerTier.values}


# --- users -------------------------------------------------------------------------------------
class UserForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Family name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.REP)
    dealer = forms.ModelChoiceField(label=_("Dealer"), queryset=Dealer.objects.order_by("name"), required=False,
                                    help_text=_("For a dealer user: the company they belong to."))
    regions = RegionMultipleChoiceField(label=_("Regions"), required=False,
                                        help_text=_("For a regional manager: the regions they oversee, "
                                                    "with all sub-regions."))
    language = forms.ChoiceField(label=_("Language"), choices=[("", _("Follow the browser")), *settings.LANGUAGES],
                                 required=False)
    is_active = forms.BooleanField(label=_("Active (may sign in)"), required=False, initial=True)
    password = forms.CharField(label=_("Password"), required=False, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = (
            _("Leave empty to email an invitation to choose one.") if creating
            else _("Leave empty to keep the current password."))

    def user_fields(self) -> dict:
        data = dict(self.cleaned_data)
        fields = {name: data[name] for name in (
            "username", "first_name", "last_name", "email", "phone", "role", "language", "is_active")}
        fields["dealer"] = data["dealer"] if data["role"] == Role.DEALER else None
        return fields


class AssignDealersForm(forms.Form):
    codes = forms.CharField(
        label=_("Dealer codes"), widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The codes of the dealers this rep takes over, separated by spaces, commas or new lines."),
    )
    reason = forms.CharField(label=_("Why"), max_length=500, initial=_("Assigned in setup"))

    def code_list(self) -> list[str]:
        text = self.cleaned_data["codes"].replace(",", " ").replace("，", " ").replace(";", " ")
        return list(dict.fromkeys(part for part in text.split() if part))


# --- evaluation --------------------------------------------------------------------------------
class CriterionForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=50, help_text=_("What API clients send the score under."))
    name_en = forms.CharField(label=_("Name (English)"), max_length=100)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=100, required=False)
    weight = forms.DecimalField(label=_("Weight"), max_digits=5, decimal_places=2, initial=Decimal("1.00"))
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=100)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, criterion: EvaluationCriterion | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if criterion is not None:
            self.fields["code"].disabled = True


class ThresholdsForm(forms.Form):
    a_min = forms.DecimalField(label=_("Lowest total for A"), max_digits=3, decimal_places=2)
    b_min = forms.DecimalField(label=_("Lowest total for B"), max_digits=3, decimal_places=2)
    c_min = forms.DecimalField(label=_("Lowest total for C"), max_digits=3, decimal_places=2)


# --- rebate plans ------------------------------------------------------------------------------
class RebatePlanForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanKind.choices)
    period_kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices)
    rate = forms.DecimalField(label=_("Rate (%)"), max_digits=6, decimal_places=3, required=False,
                              help_text=_("For a flat or campaign plan."))
    tiers = forms.CharField(label=_("Volume tiers"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=TIERS_FORMAT)
    products = forms.ModelMultipleChoiceField(label=_("Products"), required=False, queryset=None,
                                              help_text=_("For a campaign plan: the products it rewards."))
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DateInput())
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["products"].queryset = Product.objects.order_by("sku")

    def clean_tiers(self) -> list[tuple[str, str]]:
        tiers = []
        for line in self.cleaned_data["tiers"].splitlines():
            line = line.strip().replace("：", ":").replace("%", "")
            if not line:
                continue
            threshold, separator, rate = line.partition(":")
            if not separator:
                raise forms.ValidationError(TIERS_FORMAT)
            tiers.append((threshold.strip().replace(",", ""), rate.strip()))
        return tiers


class RebateAssignForm(forms.Form):
    code = forms.CharField(label=_("Dealer code"), max_length=32)
    starts_on = forms.DateField(label=_("From"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), required=False, widget=DateInput())


# --- visit plans, notifications ----------------------------------------------------------------
class VisitPlanDefaultsForm(forms.Form):
    rule = forms.ChoiceField(label=_("Rule"), choices=PlanRule.choices, widget=forms.RadioSelect)
    month_days = forms.CharField(label=_("Days of the month"), required=False, help_text=DAYS_FORMAT)
    weekdays = forms.TypedMultipleChoiceField(label=_("Weekdays"), required=False, choices=WEEKDAY_CHOICES, coerce=int,
                                              widget=forms.CheckboxSelectMultiple)
    interval_days = forms.IntegerField(label=_("Every N days"), required=False, min_value=1, max_value=365)
    visit_time = forms.TimeField(label=_("Usual time of day"),
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    weeks_ahead = forms.IntegerField(label=_("Weeks planned ahead"), min_value=1, max_value=12)

    def clean_month_days(self) -> list[int]:
        raw = self.cleaned_data["month_days"].replace("，", ",").replace("、", ",")
        try:
            return [int(part) for part in raw.replace(" ", ",").split(",") if part.strip()]
        except ValueError as error:
            raise forms.ValidationError(DAYS_FORMAT) from error


class NotificationSettingsForm(forms.Form):
    email_enabled = forms.BooleanField(label=_("Send notifications by email"), required=False,
                                       help_text=_("Off: notifications are only shown in the app."))
    subject_prefix = forms.CharField(label=_("Subject prefix"), max_length=50, required=False,
                                     help_text=_("Put before every email subject, e.g. [Dealer CRM]."))
    reply_to = forms.EmailField(label=_("Reply-to address"), required=False,
                                help_text=_("Where replies to notification emails go."))


# --- imports -----------------------------------------------------------------------------------
class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(label=_("File (CSV or XLSX)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}))

    def clean_kind(self) -> str:
        kind = self.cleaned_data["kind"]
        if kind not in KINDS:
            raise forms.ValidationError(_("Choose what the file holds."))
        return kind


