"""Forms of the visit pages. They parse and shape input; the rules live in
visits.services, whose ValidationErrors the views put back on the forms."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from common.forms import DateInput, DateTimeInput
from dealers.models import DealerStatus
from dealers.selectors import dealer_queryset_for
from inventory.models import Product

from .models import ObservationKind, PhotoStage, PlanRule, RequestStatus, VisitStatus
from .services import OBSERVATION_KIND_REQUIRED

WEEKDAY_CHOICES = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
    (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday")),
]
NULL_BOOLEAN = [("", _("Not noted")), ("true", _("In stock")), ("false", _("Out of stock"))]


class RepChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return user.get_full_name() or user.username


def active_reps():
    return User.objects.filter(role=Role.REP, is_active=True).order_by("first_name", "last_name", "username")


VISIT_SHOW_CHOICES = [
    ("", _("Recent first")),
    ("upcoming", _("Coming up")),
    ("to_review", _("To review")),
]


class VisitFilterForm(forms.Form):
    show = forms.ChoiceField(label=_("Show"), required=False, choices=VISIT_SHOW_CHOICES)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *VisitStatus.choices])
    rep = RepChoiceField(label=_("Rep"), required=False, queryset=User.objects.none(), empty_label=_("Any rep"))
    dealer = forms.CharField(label=_("Dealer"), required=False, widget=forms.TextInput(attrs={"placeholder": _("Name or code")}))
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.effective_role in (Role.ADMIN, Role.MANAGER):
            reps = active_reps()
            if user.effective_role == Role.MANAGER:
                reps = reps.filter(pk__in=dealer_queryset_for(user).values("rep_id"))
            self.fields["rep"].queryset = reps
        else:
            del self.fields["rep"]


class VisitCreateForm(forms.Form):
    dealer = forms.ModelChoiceField(label=_("Dealer"), queryset=None)
    rep = RepChoiceField(label=_("Rep"), queryset=User.objects.none(), required=False,
                         help_text=_("Empty: the dealer's rep."))
    scheduled_for = forms.DateTimeField(label=_("When"), widget=DateTimeInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

        dealers = dealer_queryset_for(user).filter(status__in=[DealerStatus.ACTIVE, DealerStatus.SUSPENDED])
        if user.effective_role == Role.REP:
            dealers = dealers.filter(rep=user)
            del self.fields["rep"]
        else:
            self.fields["rep"].queryset = active_reps()
        self.fields["dealer"].queryset = dealers.order_by("name")


class RescheduleForm(forms.Form):
    scheduled_for = forms.DateTimeField(label=_("New date and time"), widget=DateTimeInput())


class CancelForm(forms.Form):
    cancel_reason = forms.CharField(label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2}))


class MarketCheckForm(forms.Form):
    outlets_walked = forms.IntegerField(label=_("Outlets walked"), min_value=0, initial=0, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.ImageField(label=_("Photo"), required=False)


class SkipCheckForm(forms.Form):
    skipped_reason = forms.CharField(label=_("No check possible because"), widget=forms.Textarea(attrs={"rows": 2}))


class ObservationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of finding"), choices=[("", "—"), *ObservationKind.choices], required=False,
                             help_text=_("Leave empty to drop the row."))
    outlet = forms.CharField(label=_("Outlet"), required=False, max_length=200)
    product = forms.ModelChoiceField(label=_("Our product"), required=False, queryset=Product.objects.none())
    competitor_brand = forms.CharField(label=_("Competitor brand"), required=False, max_length=100)
    retail_price = forms.DecimalField(label=_("Retail price seen"), required=False, min_value=0, decimal_places=2,
                                      max_digits=12)
    in_stock = forms.TypedChoiceField(
        label=_("At the outlet"), required=False, choices=NULL_BOOLEAN,
        coerce=lambda value: value == "true", empty_value=None,
    )
    display = forms.CharField(label=_("Display"), required=False, max_length=200)
    competitor_promotion = forms.CharField(label=_("Competitor promotion"), required=False, max_length=200)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(is_active=True).order_by("sku")

    def clean(self):
        data = super().clean()
        filled = any(data.get(name) not in (None, "") for name in self.fields if name != "kind")
        if filled and not data.get("kind"):
            self.add_error("kind", OBSERVATION_KIND_REQUIRED)
        return data


class BaseObservationFormSet(forms.BaseFormSet):
    def observations(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data and form.cleaned_data.get("kind")]


def observation_formset(*, extra: int = 1):
    """The observation rows of a market check: those recorded plus `extra` empty ones."""
    return forms.formset_factory(ObservationForm, formset=BaseObservationFormSet, extra=extra, max_num=30)


ObservationFormSet = observation_formset()


class StartForm(forms.Form):
    latitude = forms.DecimalField(required=False, widget=forms.HiddenInput, max_digits=12, decimal_places=8)
    longitude = forms.DecimalField(required=False, widget=forms.HiddenInput, max_digits=12, decimal_places=8)
    accuracy = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=0)


NOTE_STEPS = {
    "policy": ("policy_notes", "dealer_feedback"),
    "display": ("display_notes",),
    "terminal": ("terminal_notes",),
    "after_sales": ("after_sales_notes",),
}


class NotesForm(forms.Form):
    policy_notes = forms.CharField(label=_("Policies communicated"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    dealer_feedback = forms.CharField(label=_("Dealer's complaints and suggestions"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    display_notes = forms.CharField(label=_("Display and stock advocacy"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    terminal_notes = forms.CharField(label=_("Terminal market walk and talk"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    after_sales_notes = forms.CharField(label=_("After-sales: complaints, reconciliation, rebates, exchanges"),
                                        required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, step: str, **kwargs):
        super().__init__(*args, **kwargs)
        keep = NOTE_STEPS[step]
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]


class PhotoForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=PhotoStage.choices, widget=forms.HiddenInput)
    image = forms.ImageField(label=_("Photo"))
    caption = forms.CharField(label=_("Caption"), required=False, max_length=200)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class VisitPlanForm(forms.Form):
    rule = forms.ChoiceField(label=_("Rule"), choices=PlanRule.choices, widget=forms.RadioSelect)
    month_days = forms.CharField(
        label=_("Days of the month"), required=False, help_text=_("For example: 10, 25 (31 means the last day)."),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"), required=False, choices=WEEKDAY_CHOICES, coerce=int, widget=forms.CheckboxSelectMultiple,
    )
    interval_days = forms.IntegerField(label=_("Every N days"), required=False, min_value=1, max_value=365)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput(), initial=timezone.localdate)
    visit_time = forms.TimeField(label=_("Usual time of day"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def clean_month_days(self) -> list[int]:
        raw = self.cleaned_data["month_days"].replace("，", ",").replace("、", ",")
        try:
            return [int(part) for part in raw.replace(" ", ",").split(",") if part.strip()]
        except ValueError as error:
            raise ValidationError(_("Days as numbers separated by commas, e.g. 10, 25.")) from error


class RequestForm(forms.Form):
    description = forms.CharField(label=_("Request or commitment"), widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label=_("Due on"), widget=DateInput(),
                             initial=lambda: timezone.localdate() + datetime.timedelta(days=7))
    owner = RepChoiceField(label=_("Owner"), required=False, queryset=User.objects.none(),
                           help_text=_("Empty: you (or the dealer's rep)."))
    beyond_authority = forms.BooleanField(
        label=_("Beyond my authority — ask the manager"), required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            is_active=True, role__in=[Role.REP, Role.MANAGER, Role.ADMIN]
        ).order_by("first_name", "last_name", "username")


class RequestCreateForm(RequestForm):
    dealer = forms.ModelChoiceField(label=_("Dealer"), queryset=None)
    field_order = ["dealer", "description", "due_on", "owner", "beyond_authority"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dealer"].queryset = dealer_queryset_for(user).order_by("name")


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("decline", _("Decline"))],
                                 widget=forms.RadioSelect)
    answer = forms.CharField(label=_("Answer to the dealer"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Required when declining: the reason."))


class DoneForm(forms.Form):
    answer = forms.CharField(label=_("Answer to the dealer"), widget=forms.Textarea(attrs={"rows": 2}))


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *RequestStatus.choices])
    mine = forms.BooleanField(label=_("Mine only"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class MonthForm(forms.Form):
    month = forms.DateField(label=_("Month"), required=False, input_formats=["%Y-%m"],
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
