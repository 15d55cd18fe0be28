from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from common.forms import DateInput, DateTimeInput
from dealers import lifecycle
from dealers.calculations import SCORE_MAX, SCORE_MIN
from dealers.models import (
    ApplicationStatus,
    ChannelType,
    CommunicationMemo,
    ContactLog,
    Contract,
    CooperationProposal,
    Dealer,
    DealerApplication,
    DealerContact,
    DealerStatus,
    DealerTier,
    Grade,
    OnboardingStage,
    ProspectSource,
    SamplesInvitation,
    Violation,
    ViolationOutcome,
)
from dealers.permissions import COMMERCIAL_FIELDS, PROFILE_FIELDS, Action, can, can_change_status
from dealers.selectors import DEALER_ORDERINGS, DealerFilters, regions_for_choice, reps_for_assignment
from dealers.services import application_default_rep
from regions.models import Region

TEXTAREA = forms.Textarea(attrs={"rows": 3})
INDENT = "\u00a0\u00a0"


class CapfirstLabels:
    """Plain forms reuse the models' lower-case names as labels: show them capitalised."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.label:
                field.label = capfirst(field.label)


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class RegionChoiceField(forms.ModelChoiceField):
    """Regions as an indented tree."""

    def label_from_instance(self, region: Region) -> str:
        return INDENT * region.depth + region.name


class RepChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        name = user.get_full_name()
        return f"{name} ({user.username})" if name else user.username


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes in Bootstrap's form-check markup (tap-friendly on a phone)."""

    template_name = "dealers/widgets/choices.html"


class ScoreButtons(forms.RadioSelect):
    """Scores 1–5 as a row of buttons, each a full tap target on a phone."""

    template_name = "dealers/widgets/score_buttons.html"


class ChannelTypesField(forms.TypedMultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=ChannelType.choices, widget=CheckboxList, required=False, **kwargs)


class DealerForm(CapfirstLabels, forms.ModelForm):
    """A dealer's record. A rep sees only the profile fields; a manager also the
    commercial ones (and, when creating, the status and the rep)."""

    region = RegionChoiceField(queryset=Region.objects.none(), label=_("region"))
    rep = RepChoiceField(queryset=User.objects.none(), required=False, label=_("responsible rep"))
    channel_types = ChannelTypesField(label=_("channel types"))
    status = forms.ChoiceField(
        label=_("status"), initial=DealerStatus.ACTIVE,
        choices=[(value, label) for value, label in DealerStatus.choices if value != DealerStatus.TERMINATED],
    )
    source = forms.ChoiceField(label=_("source"), choices=[("", "—"), *ProspectSource.choices], required=False,
                               help_text=_("For a prospect: where it came from."))

    class Meta:
        model = Dealer
        fields = ["name", "code", *[name for name in PROFILE_FIELDS if name != "name"], "region", "tier", "credit_limit", "rep", "status"]
        widgets = {"other_brands": TEXTAREA, "notes": TEXTAREA, "address": forms.TextInput()}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for_choice(user=user)
        self.fields["rep"].queryset = reps_for_assignment()
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Leave empty to number it automatically.")
        creating = self.instance.pk is None
        if not creating:
            for name in ("rep", "status", "source"):
                del self.fields[name]
        if not can(user, Action.EDIT_COMMERCIAL):
            for name in COMMERCIAL_FIELDS:
                self.fields.pop(name, None)

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("source", None)
        for name in ("rep", "status"):
            data.pop(name, None)
        return data


class ProspectForm(CapfirstLabels, forms.Form):
    """A new prospect, as a rep records it after finding one (SPEC §1, onboarding)."""

    name = forms.CharField(label=_("company name"), max_length=200)
    region = RegionChoiceField(queryset=Region.objects.none(), label=_("region"))
    source = forms.ChoiceField(label=_("source"), choices=ProspectSource.choices)
    decision_maker = forms.CharField(label=_("decision-maker"), max_length=100, required=False)
    phone = forms.CharField(label=_("phone"), max_length=32, required=False)
    address = forms.CharField(label=_("address"), max_length=300, required=False)
    channel_types = ChannelTypesField(label=_("channel types"))
    next_follow_up_on = forms.DateField(label=_("next follow-up"), required=False, widget=DateInput())
    notes = forms.CharField(label=_("notes"), required=False, widget=TEXTAREA)
    rep = RepChoiceField(queryset=User.objects.none(), label=_("owner rep"))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for_choice(user=user)
        if user.effective_role == Role.REP:
            del self.fields["rep"]
        else:
            self.fields["rep"].queryset = reps_for_assignment()


class DealerFilterForm(CapfirstLabels, forms.Form):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Name, code, phone, address…"), "type": "search"}))
    region = RegionChoiceField(queryset=Region.objects.none(), required=False, label=_("region"), empty_label=_("All regions"))
    status = forms.ChoiceField(label=_("status"), required=False, choices=[("", _("All statuses")), *DealerStatus.choices])
    tier = forms.ChoiceField(label=_("tier"), required=False, choices=[("", _("All tiers")), *DealerTier.choices])
    grade = forms.ChoiceField(label=_("grade"), required=False,
                              choices=[("", _("All grades")), *Grade.choices, ("none", _("Not evaluated"))])
    rep = RepChoiceField(queryset=User.objects.none(), required=False, label=_("rep"), empty_label=_("All reps"))
    ordering = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for_choice(user=user)
        if user.effective_role in (Role.REP, Role.DEALER):
            del self.fields["rep"]
        else:
            self.fields["rep"].queryset = User.objects.filter(role=Role.REP).order_by("first_name", "username")

    def filters(self) -> DealerFilters:
        data = self.cleaned_data if self.is_valid() else {}
        ordering = data.get("ordering") or "name"
        if ordering.lstrip("-") not in DEALER_ORDERINGS:
            ordering = "name"
        return DealerFilters(
            search=data.get("q", ""), region=data.get("region"), status=[data["status"]] if data.get("status") else None,
            tier=data.get("tier", ""), grade=data.get("grade", ""), rep=data.get("rep"), ordering=ordering,
        )


class StatusChangeForm(CapfirstLabels, forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(label=_("Why"), widget=TEXTAREA, max_length=2000)

    def __init__(self, *args, user: User, dealer: Dealer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status, DealerStatus(status).label) for status in lifecycle.allowed_targets(dealer.status)
            if can_change_status(user, dealer.status, status)
        ]


class AssignRepForm(CapfirstLabels, forms.Form):
    rep = RepChoiceField(queryset=User.objects.none(), label=_("New rep"))
    reason = forms.CharField(label=_("Why"), widget=TEXTAREA, max_length=2000)

    def __init__(self, *args, dealer: Dealer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rep"].queryset = reps_for_assignment().exclude(pk=dealer.rep_id)


class ReassignForm(CapfirstLabels, forms.Form):
    from_rep = RepChoiceField(queryset=User.objects.none(), label=_("From rep (leaving)"))
    to_rep = RepChoiceField(queryset=User.objects.none(), label=_("To rep"))
    reason = forms.CharField(label=_("Why"), widget=TEXTAREA, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A rep who has left may already be deactivated: their dealers still move.
        self.fields["from_rep"].queryset = User.objects.filter(role=Role.REP).order_by("first_name", "username")
        self.fields["to_rep"].queryset = reps_for_assignment()

    def clean(self):
        data = super().clean()
        if data.get("from_rep") and data.get("from_rep") == data.get("to_rep"):
            self.add_error("to_rep", _("Choose a different rep to hand the dealers to."))
        return data


class ContactForm(CapfirstLabels, forms.ModelForm):
    class Meta:
        model = DealerContact
        fields = ["name", "position", "phone", "email", "wechat", "is_primary", "notes"]
        widgets = {"notes": TEXTAREA}


class ContactLogForm(CapfirstLabels, forms.ModelForm):
    contacted_at = forms.DateTimeField(label=_("when"), widget=DateTimeInput(), initial=timezone.now)

    class Meta:
        model = ContactLog
        fields = ["channel", "contacted_at", "summary", "next_follow_up_on"]
        widgets = {"summary": TEXTAREA, "next_follow_up_on": DateInput()}


class OnboardingForm(CapfirstLabels, forms.Form):
    stage = forms.ChoiceField(label=_("stage"), choices=[c for c in OnboardingStage.choices if c[0] != OnboardingStage.SIGNED])
    step_on = forms.DateField(label=_("date of the step"), required=False, widget=DateInput(),
                              help_text=_("Empty: today."))
    source = forms.ChoiceField(label=_("source"), choices=[("", "—"), *ProspectSource.choices], required=False)
    next_follow_up_on = forms.DateField(label=_("next follow-up"), required=False, widget=DateInput())


DOCUMENT_FORM_FIELDS = {
    "memo": (CommunicationMemo, ["written_on", *CommunicationMemo.SECTIONS]),
    "proposal": (CooperationProposal, ["written_on", *CooperationProposal.SECTIONS]),
    "samples": (SamplesInvitation, ["written_on", "samples_sent", "invitation_kind", "invitation", "event_on", "dealer_response"]),
}


def document_form_class(kind: str) -> type[forms.ModelForm]:
    model, fields = DOCUMENT_FORM_FIELDS[kind]
    widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in model.SECTIONS}
    widgets.update({"written_on": DateInput(), "event_on": DateInput()})
    form_class = forms.modelform_factory(model, fields=fields, widgets=widgets)

    class DocumentForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for name in model.REQUIRED:
                self.fields[name].required = True

    return DocumentForm


class ContractForm(CapfirstLabels, forms.ModelForm):
    class Meta:
        model = Contract
        fields = [
            "number", "territory", "product_lines", "product_categories", "annual_target_amount",
            "annual_target_volume", "min_resale_price_policy", "marketing_support", "rebate_plan", "start_date",
            "end_date", "termination_conditions",
        ]
        widgets = {
            "product_categories": forms.CheckboxSelectMultiple,
            "territory": TEXTAREA, "product_lines": TEXTAREA, "min_resale_price_policy": TEXTAREA,
            "marketing_support": TEXTAREA, "termination_conditions": TEXTAREA,
            "start_date": DateInput(), "end_date": DateInput(),
        }


class EvaluationForm(CapfirstLabels, forms.Form):
    """One 1–5 choice per active criterion (radio buttons: easy on a phone)."""

    comment = forms.CharField(label=_("comment"), required=False, widget=TEXTAREA, max_length=4000)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        choices = [(value, str(value)) for value in range(SCORE_MIN, SCORE_MAX + 1)]
        for criterion in self.criteria:
            self.fields[f"score_{criterion.code}"] = forms.TypedChoiceField(
                label=criterion.name, choices=choices, coerce=int, widget=ScoreButtons,
                help_text=_("weight %(weight)s") % {"weight": criterion.weight},
            )
        self.order_fields([f"score_{criterion.code}" for criterion in self.criteria] + ["comment"])

    def scores(self) -> dict[str, int]:
        return {criterion.code: self.cleaned_data[f"score_{criterion.code}"] for criterion in self.criteria}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one input; each is validated by the service (images only, size-limited)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ViolationForm(CapfirstLabels, forms.ModelForm):
    found_at = forms.DateTimeField(label=_("found at (time)"), widget=DateTimeInput(), initial=timezone.now)
    photos = MultiplePhotoField(label=_("photos"), required=False)

    class Meta:
        model = Violation
        fields = ["type", "severity", "found_at", "found_where", "evidence"]
        widgets = {"evidence": forms.Textarea(attrs={"rows": 4})}


class ViolationEditForm(CapfirstLabels, forms.ModelForm):
    found_at = forms.DateTimeField(label=_("found at (time)"), widget=DateTimeInput())

    class Meta:
        model = Violation
        fields = ["type", "severity", "found_at", "found_where", "evidence"]
        widgets = {"evidence": forms.Textarea(attrs={"rows": 4})}


class ViolationDecideForm(CapfirstLabels, forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=[c for c in ViolationOutcome.choices if c[0] != ViolationOutcome.PENDING])
    fine_amount = forms.DecimalField(label=_("fine amount"), required=False, min_value=0, max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("outcome note"), required=False, widget=TEXTAREA, max_length=4000)


class PhotoUploadForm(CapfirstLabels, forms.Form):
    photos = MultiplePhotoField(label=_("photos"))


class ApplicationForm(CapfirstLabels, forms.ModelForm):
    """The public application form. `website` is a honeypot: people never see or
    fill it, form-filling robots do."""

    channel_types = ChannelTypesField(label=_("Channels you serve"))
    region = RegionChoiceField(queryset=Region.objects.order_by("path"), label=_("where you operate"))
    website = forms.CharField(label=_("Leave this field empty"), required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    class Meta:
        model = DealerApplication
        fields = ["company_name", "legal_entity", "contact_name", "phone", "email", "region", "address",
                  "channel_types", "operating_model", "brands_carried", "message"]
        widgets = {"brands_carried": TEXTAREA, "message": forms.Textarea(attrs={"rows": 4})}

    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


class ApplicationReviewForm(CapfirstLabels, forms.Form):
    note = forms.CharField(label=_("Your assessment"), widget=TEXTAREA, max_length=4000)


class ApplicationRejectForm(CapfirstLabels, forms.Form):
    reason = forms.CharField(label=_("reason for rejection"), widget=TEXTAREA, max_length=4000)


APPROVE_REP_DEFAULT_HELP = _("Empty: %(rep)s, the rep who reviewed it.")
APPROVE_REP_REQUIRED_HELP = _("No rep reviewed this application: choose the rep who will look after the new dealer.")


class ApplicationApproveForm(CapfirstLabels, forms.Form):
    region = RegionChoiceField(queryset=Region.objects.none(), label=_("region"))
    tier = forms.ChoiceField(label=_("tier"), choices=DealerTier.choices, initial=DealerTier.COUNTY)
    rep = RepChoiceField(queryset=User.objects.none(), label=_("owner rep"), required=False)
    username = forms.CharField(label=_("portal username"), max_length=150, required=False,
                               help_text=_("Empty: the applicant's email address."))
    code = forms.CharField(label=_("code"), max_length=32, required=False, help_text=_("Leave empty to number it automatically."))
    credit_limit = forms.DecimalField(label=_("credit limit"), min_value=0, max_digits=14, decimal_places=2, initial=0)

    def __init__(self, *args, user: User, application: DealerApplication, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for_choice(user=user)
        self.fields["region"].initial = application.region_id
        self.fields["rep"].queryset = reps_for_assignment()
        # Say what an empty choice means for this application, and require a rep when it means nothing.

        default_rep = application_default_rep(application)
        if default_rep is not None:
            self.fields["rep"].help_text = APPROVE_REP_DEFAULT_HELP % {"rep": default_rep}
        else:
            self.fields["rep"].required = True
            self.fields["rep"].help_text = APPROVE_REP_REQUIRED_HELP


APPLICATION_FILTER_CHOICES = [("open", _("Open")), *ApplicationStatus.choices, ("all", _("All"))]
