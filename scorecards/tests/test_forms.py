"""The scorecard filter's selects, written in Python (scorecards.forms.Select), print
exactly what their template (scorecards/widgets/select.html) prints."""

import datetime

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.utils import translation

from accounts.tests.factories import ManagerFactory, RepFactory
from dealers.tests.factories import DealerFactory
from regions.tests.factories import RegionFactory
from scorecards.forms import ScorecardFilterForm, Select

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


def template_render(widget: Select, name, value, attrs=None) -> str:
    """What Django's template rendering of the same widget prints."""
    return widget._render(widget.template_name, widget.get_context(name, value, attrs), get_default_renderer())


def manager_with_region():
    manager = ManagerFactory()
    region = RegionFactory()
    manager.regions.add(region)
    return manager, region


def scorecard_form(data: dict, user) -> ScorecardFilterForm:
    from scorecards import selectors

    return ScorecardFilterForm(data, user=user, dealers=selectors.scorecard_dealer_queryset_for(user), today=TODAY)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("data", [
    {},
    {"period": "2026-10", "grade": "A", "ordering": "-sales"},
    {"period": "2025-Q3", "grade": "-", "ordering": "growth_previous"},
    {"period": "1999-01", "grade": "Z", "ordering": "<script>alert(1)</script>"},  # unknown: offered as typed, escaped
    {"region": "999999", "rep": "abc"},  # not in the choices: nothing selected
])
def test_every_select_of_the_filter_prints_what_its_template_prints(language, data):
    manager, region = manager_with_region()
    rep = RepFactory(first_name='Li "&" <Wang>', last_name="")
    DealerFactory(region=region, rep=rep)
    DealerFactory(region=region, rep=RepFactory())
    with translation.override(language):
        for values in (data, {**data, "region": str(region.pk), "rep": str(rep.pk)}):
            form = scorecard_form(values, manager)
            for name in ("period", "grade", "region", "rep", "ordering"):
                bound = form[name]
                widget = bound.field.widget
                attrs = bound.build_widget_attrs({"id": bound.auto_id})
                value = bound.value()
                printed = widget.render(bound.html_name, value, attrs)
                assert printed == template_render(widget, bound.html_name, value, attrs), (name, values)
                assert "<option" in printed and "<script>" not in printed


def test_the_rep_chosen_is_selected_and_names_are_escaped():
    manager, region = manager_with_region()
    rep = RepFactory(first_name="<b>Li</b>", last_name="Wang")
    DealerFactory(region=region, rep=rep)
    html = str(scorecard_form({"rep": str(rep.pk)}, manager)["rep"])
    assert f'<option value="{rep.pk}" selected>&lt;b&gt;Li&lt;/b&gt; Wang</option>' in html


def test_a_select_with_groups_or_several_values_is_left_to_the_template():
    grouped = Select(choices=[("Fruit", [("a", "Apple"), ("b", "Banana")]), ("c", "Carrot")])
    assert grouped.render("food", "b") == template_render(grouped, "food", "b")
    assert "<optgroup" in grouped.render("food", "b")

    class Multiple(Select):
        allow_multiple_selected = True

    several = Multiple(choices=[("a", "A"), ("b", "B")], attrs={"class": "form-select", "disabled": True})
    assert several.render("x", ["a", "b"]) == template_render(several, "x", ["a", "b"])
    assert several.render("x", ["a", "b"]).count(" selected") == 2


def test_attributes_print_as_djangos_do():
    widget = Select(choices=[("", "—"), ("1", "One")],
                    attrs={"class": "form-select", "required": True, "disabled": False, "data-x": '"q"&'})
    assert widget.render("f", "1", {"id": "id_f"}) == template_render(widget, "f", "1", {"id": "id_f"})
    assert forms.Select  # the plain Django widget is untouched


def test_the_region_and_rep_choices_cost_one_query_each(django_assert_num_queries):
    """No COUNT besides: list() would ask the choice iterator its length, a query of its own."""
    manager, region = manager_with_region()
    DealerFactory(region=region, rep=RepFactory())
    form = scorecard_form({}, manager)
    with django_assert_num_queries(2):
        html = str(form["region"]) + str(form["rep"])
    assert html.count("<select") == 2


def test_the_page_offers_the_reps_it_has_read_the_same_as_the_query_would(client, monkeypatch):
    """Unfiltered, every dealer on the scorecard is on the page: the rep choices come from
    its dealer records (no query of their own) and are exactly the rep field's query's."""
    from dealers.tests.factories import ProspectFactory

    manager, region = manager_with_region()
    reps = [RepFactory(first_name="Wei", last_name="Zhang"), RepFactory(first_name="伟", last_name="张"),
            RepFactory(first_name="", last_name="", username="anna"), RepFactory(first_name="li", last_name="Wang")]
    for index, rep in enumerate(reps):
        DealerFactory(region=region, rep=rep, current_grade="AB"[index % 2])
    DealerFactory(region=region, rep=None)
    ProspectFactory(region=region, rep=RepFactory(first_name="Only", last_name="Prospects"))  # not on scorecards
    DealerFactory(rep=RepFactory(first_name="Else", last_name="Where"))  # another region
    queried = str(scorecard_form({"period": "2026-10"}, manager)["rep"])
    assert [queried.count(f'value="{rep.pk}"') for rep in reps] == [1, 1, 1, 1]
    assert "Prospects" not in queried and "Where" not in queried and "张伟" in queried
    from scorecards import forms as scorecard_forms

    asked = []
    original = scorecard_forms.RepChoiceIterator.__iter__
    monkeypatch.setattr(scorecard_forms.RepChoiceIterator, "__iter__", lambda self: asked.append(1) or original(self))
    client.force_login(manager)
    for query, ordering in (({}, "name"), ({"ordering": "-sales"}, "a figure")):
        body = client.get("/scorecards/", {"period": "2026-10", **query}).content.decode()
        assert queried in body, ordering  # the same select, byte for byte
    assert not asked  # ... read from the page's dealer records
    narrowed = client.get("/scorecards/", {"period": "2026-10", "grade": "A"}).content.decode()
    assert queried in narrowed and asked  # a filter narrows the rows, not the choices: read by the query then
