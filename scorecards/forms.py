"""The scorecard filter form: period, grade, sub-region, rep (choices within the user's scope)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from regions.models import Region
from regions.selectors import regions_managed_by
from scorecards import calculations
from scorecards.selectors import ScorecardFilters, default_period

EM_SPACE = "\u2003"
TO_DATE_LABEL = _("%(period)s (to date)")
# The sort orders a phone offers (where the table's headers are not shown); a header link may set any other.
SORT_CHOICES = [
    ("", _("Dealer, A–Z")),
    ("-sales", _("Sales, highest first")),
    ("sales", _("Sales, lowest first")),
    ("-achievement", _("Achieved, highest first")),
    ("achievement", _("Achieved, lowest first")),
    ("growth_previous", _("Growth, lowest first")),
    ("grade", _("Grade, A first")),
    ("-overdue_amount", _("Overdue, highest first")),
    ("-open_requests", _("Open requests, most first")),
]
GRADE_CHOICES = [("", _("All grades")), ("A", "A"), ("B", "B"), ("C", "C"), ("D", "D"), ("-", _("Not evaluated"))]


class Select(forms.Select):
    """A plain select: the same HTML as Django's, written in Python instead of a template
    with a template included per option (about 60 on this form, on every scorecard page).
    Options carry no attributes but `selected` (Select does not pass its attrs to them).
    scorecards/widgets/select.html is the template it stands for; test_forms holds the
    two equal. Choices in groups (none here) are left to the template."""

    template_name = "scorecards/widgets/select.html"

    def render(self, name, value, attrs=None, renderer=None):
        # Not list(): it asks a ModelChoiceIterator for its length, a COUNT query.
        choices = [choice for choice in self.choices]
        if self.allow_multiple_selected or any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        values = self.format_value(value)
        html = [f'<select name="{escape(name)}"{_attributes(self.build_attrs(self.attrs, attrs))}>']
        has_selected = False
        for option_value, label in choices:
            option_value = "" if option_value is None else option_value
            selected = not has_selected and str(option_value) in values
            has_selected |= selected
            html.append(f'\n  <option value="{escape(option_value)}"{" selected" if selected else ""}>'
                        f"{conditional_escape(label)}</option>\n")
        html.append("\n</select>")
        return mark_safe("".join(html))


def _attributes(attrs: dict) -> str:
    """An element's attributes as django/forms/widgets/attrs.html prints them."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items() if value is not False
    )


def period_choices(today: datetime.date) -> list[tuple[str, str]]:
    """The last 13 months, the last 5 quarters and the last 3 years, newest first;
    the ones still running are marked "to date"."""
    month = calculations.period_containing(today, calculations.MONTH)
    quarter = calculations.period_containing(today, calculations.QUARTER)
    year = calculations.period_containing(today, calculations.YEAR)
    periods = [*reversed(calculations.last_periods(month, 13)), *reversed(calculations.last_periods(quarter, 5)),
               *reversed(calculations.last_periods(year, 3))]
    return [(p.key, TO_DATE_LABEL % {"period": p.key} if p.contains(today) else p.key) for p in periods]


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices read as one plain query: a scope's regions or reps are a short list,
    and ModelChoiceIterator's server-side cursor (DECLARE … WITH HOLD, FETCH, CLOSE on
    PostgreSQL) cost the scorecard page more than the rows it reads."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class RegionChoiceField(forms.ModelChoiceField):
    iterator = ListedChoiceIterator

    def label_from_instance(self, region: Region) -> str:
        return EM_SPACE * max(region.depth, 0) + region.name


# What a rep's choice shows (User.__str__, calculations.rep_label): the rest of the user row is not read.
REP_LABEL_FIELDS = ("pk", "first_name", "last_name", "username")


def rep_choices(reps: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """(id, name) of each rep once, in the order the filter offers them: by name."""
    return sorted(set(reps), key=lambda rep: (rep[1].casefold(), rep[1], rep[0]))


class RepChoiceIterator(forms.models.ModelChoiceIterator):
    """The reps read as plain values (no User instances), named by calculations.rep_label."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from rep_choices(
            (pk, calculations.rep_label(first, last, username))
            for pk, first, last, username in self.queryset.values_list(*REP_LABEL_FIELDS)
        )


class RepChoiceField(forms.ModelChoiceField):
    iterator = RepChoiceIterator


class ScorecardFilterForm(forms.Form):
    period = forms.CharField(label=_("Period"), required=False)
    grade = forms.ChoiceField(label=_("Grade"), choices=GRADE_CHOICES, required=False, widget=Select)
    region = RegionChoiceField(label=_("Sub-region"), queryset=Region.objects.none(), required=False,
                               empty_label=_("All regions"), widget=Select)
    rep = RepChoiceField(label=_("Rep"), queryset=User.objects.none(), required=False, empty_label=_("All reps"),
                         widget=Select)
    ordering = forms.CharField(label=_("Sort by"), required=False)

    def __init__(self, *args, user, dealers, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        choices = period_choices(today)
        current = (self.data.get("period") or "").strip()
        if current and current not in dict(choices):
            choices.insert(0, (current, current))
        self.fields["period"].widget = Select(choices=choices)
        self.fields["period"].initial = default_period(today).key
        sorts = list(SORT_CHOICES)
        current_sort = (self.data.get("ordering") or "").strip()
        if current_sort and current_sort not in dict(sorts):
            sorts.append((current_sort, current_sort))
        self.fields["ordering"].widget = Select(choices=sorts, attrs={"class": "form-select"})
        self.fields["period"].widget.attrs["class"] = "form-select"
        if user.effective_role == Role.ADMIN:
            regions = Region.objects.all()
        elif user.effective_role == Role.MANAGER:
            regions = Region.objects.subtree_of(regions_managed_by(user))
        else:
            regions = Region.objects.filter(pk__in=dealers.values("region_id"))
        self.fields["region"].queryset = regions.order_by("path")
        self.fields["rep"].queryset = User.objects.filter(pk__in=dealers.values("rep_id")).order_by()

    def offer_reps(self, reps: Iterable[tuple[int, str]]) -> None:
        """Offer these (id, name) reps: those of the dealers the page has read anyway, when
        no filter narrowed them (the same reps the rep field's query would read)."""
        field = self.fields["rep"]
        field.widget.choices = [("", field.empty_label), *rep_choices(reps)]

    def clean_period(self) -> calculations.Period:
        try:
            return calculations.parse_period(self.cleaned_data.get("period"), today=self.today)
        except ValueError as error:
            raise ValidationError(str(error)) from error

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
