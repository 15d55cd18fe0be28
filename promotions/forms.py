"""Forms of the promotions pages. They only parse and shape input: the rules
live in promotions.services, whose ValidationErrors the views put back on the
form (so the page and the API refuse the same things with the same words)."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from common.forms import DateInput
from dealers.models import Dealer
from dealers.selectors import dealer_queryset_for, regions_for_choice
from inventory.models import Product
from promotions.filters import WHEN_CHOICES
from promotions.models import (
    MEASURED_OBJECTIVES,
    CampaignStatus,
    CampaignType,
    FollowUpChannel,
    FollowUpOutcome,
    Interest,
    ObjectiveKind,
)
from promotions.services import (
    FOLLOW_UP_NOTE_REQUIRED,
    NAME_REQUIRED,
    NO_OBJECTIVE,
    PHONE_REQUIRED,
    REVIEW_ACTUAL_REQUIRED,
    REVIEW_PART_REQUIRED,
    TARGET_NOT_POSITIVE,
    lead_default_region,
)
from regions.models import Region
from regions.selectors import regions_managed_by

EM_SPACE = "\u2003"
CAMPAIGN_SORTS = {
    "start_date": "start_date", "-start_date": "-start_date", "name": "name", "-name": "-name",
    "status": "status", "-status": "-status", "end_date": "end_date", "-end_date": "-end_date",
}


class RegionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, region: Region) -> str:
        """Indented by depth, so the tree shows in a flat list (regions are ordered by path)."""
        return EM_SPACE * max(region.depth - 1, 0) + region.name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return f"{user} · {user.role_label}"


def staff_people():
    return User.objects.filter(is_active=True, role__in=[Role.ADMIN, Role.MANAGER, Role.REP]).order_by(
        "first_name", "last_name", "username"
    )


def regions_for(user):
    """The regions `user` may put on a campaign: all for HQ admin, a manager's subtree, none for a rep."""
    if user.is_hq_admin:
        return Region.objects.all()
    if user.effective_role == Role.MANAGER:
        return Region.objects.subtree_of(regions_managed_by(user))
    return Region.objects.none()


class CampaignFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, widget=forms.TextInput(attrs={"placeholder": _("Name or theme")}))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *CampaignStatus.choices])
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Any type")), *CampaignType.choices])
    when = forms.ChoiceField(
        label=_("When"), required=False,
        choices=[("", _("Any time")), *WHEN_CHOICES],
    )


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Campaign name"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=CampaignType.choices)
    theme = forms.CharField(label=_("Theme"), max_length=200, help_text=_("One theme at a time."))
    # Required, with the service's own words (promotions.services is the rule's home).
    objective_kind = forms.ChoiceField(
        label=_("Objective"), choices=[("", _("Choose the one objective")), *ObjectiveKind.choices],
        help_text=_("Exactly one objective, counted in a number."), error_messages={"required": NO_OBJECTIVE},
    )
    objective_target = forms.DecimalField(
        label=_("Target"), max_digits=14, decimal_places=2, error_messages={"required": TARGET_NOT_POSITIVE},
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(label=_("End date"), widget=DateInput(), help_text=_("The last day of the event."))
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    regions = RegionChoiceField(
        label=_("Regions"), queryset=Region.objects.none(), required=False,
        help_text=_("Every dealer in these regions (and below) takes part."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    dealers = forms.ModelMultipleChoiceField(
        label=_("Dealers"), queryset=Dealer.objects.none(), required=False,
        help_text=_("Dealers taking part by name."), widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    budget = forms.DecimalField(label=_("Budget"), max_digits=14, decimal_places=2, min_value=0, initial=0)
    manufacturer_cost = forms.DecimalField(label=_("Manufacturer's share"), max_digits=14, decimal_places=2, min_value=0, initial=0)
    dealer_cost = forms.DecimalField(
        label=_("Dealers' share"), max_digits=14, decimal_places=2, min_value=0, initial=0,
        help_text=_("The two shares add up to the budget."),
    )
    materials = forms.CharField(label=_("Materials"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("Posters, shelf talkers, samples, gifts… one per line."), max_length=2000)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  max_length=2000)
    owner = PersonChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False,
                              help_text=_("Runs the campaign and gets its reminders; empty: you."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["regions"].queryset = regions_for(user)
        self.fields["dealers"].queryset = dealer_queryset_for(user).select_related("region").order_by("name")
        if user.effective_role == Role.REP:
            del self.fields["regions"]
            del self.fields["owner"]
        else:
            self.fields["owner"].queryset = staff_people()


class ProductLineForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none(), required=False)
    promotion_price = forms.DecimalField(label=_("Promotion supply price"), max_digits=12, decimal_places=2, required=False)
    expected_volume = forms.IntegerField(label=_("Expected volume (cases)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(is_active=True).order_by("sku")


class BaseProductLineFormSet(forms.BaseFormSet):
    def lines(self) -> list[dict]:
        """The filled lines (a line without a product is left out)."""
        return [
            form.cleaned_data for form in self.forms
            if form.cleaned_data.get("product") and not form.cleaned_data.get("DELETE")
        ]


ProductLineFormSet = forms.formset_factory(
    ProductLineForm, formset=BaseProductLineFormSet, extra=3, can_delete=True, max_num=100, validate_max=True,
)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    due_date = forms.DateField(label=_("Deadline"), widget=DateInput())
    owner = PersonChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_people()


class AttendeeForm(forms.Form):
    """The fast entry form at the event: big fields, the phone's own keyboards."""

    name = forms.CharField(label=_("Name"), max_length=100, error_messages={"required": NAME_REQUIRED},
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}))
    phone = forms.CharField(label=_("Phone"), max_length=40, error_messages={"required": PHONE_REQUIRED},
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}))
    company = forms.CharField(label=_("Company"), max_length=200, required=False)
    interest = forms.ChoiceField(label=_("Interest"), choices=Interest.choices, initial=Interest.WARM,
                                 widget=forms.RadioSelect)
    email = forms.CharField(label=_("Email (optional)"), max_length=254, required=False,
                            widget=forms.EmailInput(attrs={"inputmode": "email", "autocomplete": "off"}))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class AttendeeImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: name, phone, company, email, interest (hot, warm, cold or none), note — with a header row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class AttendeeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Name, phone or company")}))
    interest = forms.ChoiceField(label=_("Interest"), required=False, choices=[("", _("Anyone")), *Interest.choices])


class FollowUpForm(forms.Form):
    channel = forms.ChoiceField(label=_("How"), choices=FollowUpChannel.choices, initial=FollowUpChannel.CALL)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=FollowUpOutcome.choices)
    note = forms.CharField(label=_("What was said"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": FOLLOW_UP_NOTE_REQUIRED})
    next_step_on = forms.DateField(label=_("Next step on"), required=False, widget=DateInput())
    prospect_region = forms.ModelChoiceField(
        label=_("Region of the prospect"), queryset=Region.objects.none(), required=False,
        help_text=_("Only for “Becomes a prospect dealer”: the new prospect is placed here, with this lead's "
                    "name, phone and company, and you as its rep."),
    )

    def __init__(self, *args, user=None, lead=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["prospect_region"].queryset = regions_for_choice(user=user)
            self.fields["prospect_region"].label_from_instance = lambda region: "\u2003" * region.depth + region.name
        if lead is not None:
            if lead.prospect_id:
                del self.fields["prospect_region"]
            else:
                self.fields["prospect_region"].initial = lead_default_region(lead)


class ReviewForm(forms.Form):
    objective_actual = forms.DecimalField(label=_("Actual"), max_digits=14, decimal_places=2, required=False)
    what_worked = forms.CharField(label=_("What worked"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                                  error_messages={"required": REVIEW_PART_REQUIRED})
    what_did_not_work = forms.CharField(label=_("What did not work"), max_length=2000,
                                        widget=forms.Textarea(attrs={"rows": 3}),
                                        error_messages={"required": REVIEW_PART_REQUIRED})
    lessons = forms.CharField(label=_("Lessons"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": REVIEW_PART_REQUIRED})

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        if campaign.objective_kind in MEASURED_OBJECTIVES:
            del self.fields["objective_actual"]  # measured from the data
        else:
            self.fields["objective_actual"].label = _("Actual: %(objective)s") % {
                "objective": campaign.get_objective_kind_display()
            }
            self.fields["objective_actual"].required = True
            self.fields["objective_actual"].error_messages["required"] = REVIEW_ACTUAL_REQUIRED


class LeadFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Show"), required=False,
        choices=[("", _("Waiting for a follow-up")), ("done", _("Followed up")), ("all", _("All my leads"))],
    )


def people_q(query: str) -> Q:
    return Q(name__icontains=query) | Q(phone__icontains=query) | Q(company__icontains=query)
