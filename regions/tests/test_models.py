import pytest
from django.core.exceptions import ValidationError

from dealers.tests.factories import DealerFactory
from regions.models import REGION_PARENT_CYCLE, Region, subtree_q
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    china = RegionFactory(name="China")
    zhejiang = RegionFactory(name="Zhejiang", parent=china)
    hangzhou = RegionFactory(name="Hangzhou", parent=zhejiang)
    xihu = RegionFactory(name="Xihu", parent=hangzhou)
    jiangsu = RegionFactory(name="Jiangsu", parent=china)
    return {"china": china, "zhejiang": zhejiang, "hangzhou": hangzhou, "xihu": xihu, "jiangsu": jiangsu}


def names(queryset):
    return sorted(region.name for region in queryset)


def test_region_subtree_of_includes_itself_and_every_level_below(tree):
    assert names(Region.objects.subtree_of([tree["zhejiang"]])) == ["Hangzhou", "Xihu", "Zhejiang"]


def test_region_subtree_of_leaf_is_the_leaf(tree):
    assert names(Region.objects.subtree_of([tree["xihu"]])) == ["Xihu"]


def test_region_subtree_of_several_roots_is_their_union(tree):
    assert names(Region.objects.subtree_of([tree["hangzhou"], tree["jiangsu"]])) == ["Hangzhou", "Jiangsu", "Xihu"]


def test_region_subtree_of_nothing_is_empty(tree):
    assert not Region.objects.subtree_of([]).exists()


def test_region_subtree_does_not_match_sibling_with_common_id_prefix():
    # "/1/" must not match "/12/": the path ends with a slash.
    roots = [RegionFactory(name=f"Root {n}") for n in range(12)]
    first = roots[0]
    assert names(Region.objects.subtree_of([first])) == [first.name]


def test_subtree_q_filters_related_models_by_region(tree):
    inside = DealerFactory(region=tree["xihu"])
    DealerFactory(region=tree["jiangsu"])
    from dealers.models import Dealer

    assert list(Dealer.objects.filter(subtree_q([tree["zhejiang"]], prefix="region__"))) == [inside]


def test_region_depth_counts_levels_from_the_root(tree):
    assert [tree[name].depth for name in ("china", "zhejiang", "hangzhou", "xihu")] == [0, 1, 2, 3]


def test_region_under_its_own_descendant_is_refused(tree):
    zhejiang = tree["zhejiang"]
    zhejiang.parent = tree["xihu"]
    with pytest.raises(ValidationError) as error:
        zhejiang.full_clean()
    assert str(REGION_PARENT_CYCLE) in str(error.value)


def test_region_full_name_lists_the_ancestors(tree):
    assert tree["xihu"].full_name == "China / Zhejiang / Hangzhou / Xihu"


def test_managers_for_region_are_those_assigned_to_it_or_above(tree):
    from accounts.selectors import managers_for_region
    from accounts.tests.factories import ManagerFactory

    province = ManagerFactory(regions=[tree["zhejiang"]])
    city = ManagerFactory(regions=[tree["hangzhou"]])
    ManagerFactory(regions=[tree["jiangsu"]])
    ManagerFactory(regions=[tree["zhejiang"]], is_active=False)
    assert set(managers_for_region(tree["xihu"])) == {province, city}
    assert set(managers_for_region(tree["zhejiang"])) == {province}
