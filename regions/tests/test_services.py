import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import ManagerFactory
from dealers.tests.factories import DealerFactory
from regions import services
from regions.models import REGION_PARENT_CYCLE, Region
from regions.selectors import normalized_region_path, region_name_paths, regions_by_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    china = services.region_create(name="China", kind="country")
    zhejiang = services.region_create(name="Zhejiang", parent=china, kind="province")
    hangzhou = services.region_create(name="Hangzhou", parent=zhejiang, kind="city")
    xihu = services.region_create(name="Xihu", parent=hangzhou, kind="county")
    jiangsu = services.region_create(name="Jiangsu", parent=china, kind="province")
    return {"china": china, "zhejiang": zhejiang, "hangzhou": hangzhou, "xihu": xihu, "jiangsu": jiangsu}


def test_region_create_sets_path_and_depth_from_the_parent(tree):
    xihu = tree["xihu"]
    assert xihu.path == f"{tree['hangzhou'].path}{xihu.pk}/" and xihu.depth == 3


def test_region_create_same_name_under_the_same_parent_is_refused(tree):
    with pytest.raises(ValidationError) as error:
        services.region_create(name="hangzhou", parent=tree["zhejiang"])
    assert "name" in error.value.message_dict


def test_region_create_same_name_under_another_parent_is_fine(tree):
    assert services.region_create(name="Hangzhou", parent=tree["jiangsu"]).depth == 2


def test_region_move_carries_its_subtree(tree):
    services.region_move(region=tree["hangzhou"], parent=tree["jiangsu"])
    names = lambda root: sorted(r.name for r in Region.objects.subtree_of([root]))  # noqa: E731
    assert names(tree["jiangsu"]) == ["Hangzhou", "Jiangsu", "Xihu"]
    assert names(tree["zhejiang"]) == ["Zhejiang"]
    tree["xihu"].refresh_from_db()
    assert tree["xihu"].depth == 3 and tree["xihu"].path.startswith(tree["jiangsu"].path)


def test_region_move_to_the_top_shortens_the_subtree_depths(tree):
    services.region_move(region=tree["hangzhou"], parent=None)
    tree["xihu"].refresh_from_db()
    assert tree["xihu"].path == f"/{tree['hangzhou'].pk}/{tree['xihu'].pk}/" and tree["xihu"].depth == 1


def test_region_move_under_its_own_descendant_is_refused_and_changes_nothing(tree):
    with pytest.raises(ValidationError) as error:
        services.region_move(region=tree["zhejiang"], parent=tree["xihu"])
    assert error.value.message_dict["parent"] == [str(REGION_PARENT_CYCLE)]
    tree["zhejiang"].refresh_from_db()
    assert tree["zhejiang"].parent_id == tree["china"].pk


def test_region_rename_keeps_the_path(tree):
    region = services.region_rename(region=tree["hangzhou"], name="杭州")
    assert region.name == "杭州" and region.path == tree["hangzhou"].path


def test_region_delete_refuses_a_region_with_children_dealers_or_managers(tree):
    for region in (tree["hangzhou"],):
        with pytest.raises(ValidationError):
            services.region_delete(region=region)
    DealerFactory(region=tree["xihu"])
    with pytest.raises(ValidationError):
        services.region_delete(region=tree["xihu"])
    ManagerFactory(regions=[tree["jiangsu"]])
    with pytest.raises(ValidationError):
        services.region_delete(region=tree["jiangsu"])
    assert Region.objects.count() == 5


def test_region_delete_of_an_unused_leaf_deletes_it():
    region = services.region_create(name="Typo")
    services.region_delete(region=region)
    assert not Region.objects.exists()


def test_region_name_paths_and_lookup_by_path_in_one_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        paths = region_name_paths()
    assert paths[tree["xihu"].pk] == "China/Zhejiang/Hangzhou/Xihu"
    assert regions_by_path()[normalized_region_path(" china / zhejiang/Hangzhou ")] == tree["hangzhou"].pk
