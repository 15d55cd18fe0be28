"""The scorecard filter form: period, grade, sub-region, rep (choices within the user's scope)."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from regions.models import Region
from regions.selectors import regions_managed_by
from scorecards import calculations
from scorecards.selectors import ScorecardFilters, default_period

EM_SPACE = "\u2003"
GRADE_CHOICES = [("", _("All grades")), ("A", "A"), ("B", "B"), ("C", "C"), ("D", "D"), ("-", _("Not evaluated"))]


def period_choices(today: datetime.date) -> list[tuple[str, str]]:
    """The last 13 months, the last 5 quarters and the last 3 years, newest first."""
    month = calculations.period_containing(today, calculations.MONTH)
    quarter = calculations.period_containing(today, calculations.QUARTER)
    year = calculations.period_containing(today, calculations.YEAR)
    choices = [(p.key, p.key) for p in reversed(calculations.last_periods(month, 13))]
    choices += [(p.key, p.key) for p in reversed(calculations.last_periods(quarter, 5))]
    choices += [(p.key, p.key) for p in reversed(calculations.last_periods(year, 3))]
    return choices


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, region: Region) -> str:
        return EM_SPACE * max(region.depth, 0) + region.name


class RepChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return str(user)


class ScorecardFilterForm(forms.Form):
    period = forms.CharField(label=_("Period"), required=False)
    grade = forms.ChoiceField(label=_("Grade"), choices=GRADE_CHOICES, required=False)
    region = RegionChoiceField(label=_("Sub-region"), queryset=Region.objects.none(), required=False,
                               empty_label=_("All regions"))
    rep = RepChoiceField(label=_("Rep"), queryset=User.objects.none(), required=False, empty_label=_("All reps"))
    ordering = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, dealers, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        choices = period_choices(today)
        current = (self.data.get("period") or "").strip()
        if current and current not in dict(choices):
            choices.insert(0, (current, current))
        self.fields["period"].widget = forms.Select(choices=choices)
        self.fields["period"].widget.attrs["class"] = "form-select"
        if user.effective_role == Role.ADMIN:
            regions = Region.objects.all()
        elif user.effective_role == Role.MANAGER:
            regions = Region.objects.subtree_of(regions_managed_by(user))
        else:
            regions = Region.objects.filter(pk__in=dealers.values("region_id"))
        self.fields["region"].queryset = regions.order_by("path")
        self.fields["rep"].queryset = User.objects.filter(pk__in=dealers.values("rep_id")).order_by(
            "last_name", "first_name", "username"
        )

    def clean_period(self) -> calculations.Period:
        try:
            return calculations.parse_period(self.cleaned_data.get("period"), today=self.today)
        except ValueError as error:
            raise ValidationError(calculations.PERIOD_INVALID) from error

    def filters(self) -> ScorecardFilters:
        self.is_valid()
        data = self.cleaned_data
        return ScorecardFilters(
            grade=data.get("grade") or "",
            region_id=data["region"].pk if data.get("region") else None,
            rep_id=data["rep"].pk if data.get("rep") else None,
            ordering=data.get("ordering") or "",
        )

    def selected_period(self) -> calculations.Period:
        self.is_valid()
        return self.cleaned_data.get("period") or default_period(self.today)
