import pytest

from accounts.tests.factories import AdminFactory, DealerUserFactory, ManagerFactory, RepFactory
from regions.models import REGION_PARENT_CYCLE, Region
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def test_regions_list_is_readable_by_any_signed_in_role(api_as):
    RegionFactory.create_batch(3)
    for user in (RepFactory(), ManagerFactory(), DealerUserFactory()):
        response = api_as(user).get("/api/v1/regions/")
        assert response.status_code == 200
        assert set(response.json()) == {"count", "next", "previous", "results"}


def test_regions_create_by_admin_builds_the_tree(api_as):
    parent = RegionFactory(name="Zhejiang")
    response = api_as(AdminFactory()).post("/api/v1/regions/", {"name": "Hangzhou", "parent": parent.pk, "kind": "city"})
    assert response.status_code == 201
    assert response.json() == {
        "id": response.json()["id"], "name": "Hangzhou", "kind": "city", "parent": parent.pk, "depth": 1,
        "path": "Zhejiang/Hangzhou",
    }


def test_regions_create_by_rep_answers_403_and_saves_nothing(api_as):
    response = api_as(RepFactory()).post("/api/v1/regions/", {"name": "Nowhere"})
    assert response.status_code == 403
    assert not Region.objects.filter(name="Nowhere").exists()


def test_regions_filter_within_returns_the_subtree(api_as):
    root = RegionFactory(name="Root")
    child = RegionFactory(name="Child", parent=root)
    RegionFactory(name="Grandchild", parent=child)
    RegionFactory(name="Elsewhere")
    body = api_as(RepFactory()).get(f"/api/v1/regions/?within={child.pk}").json()
    assert sorted(region["name"] for region in body["results"]) == ["Child", "Grandchild"]


def test_regions_update_under_own_descendant_is_refused(api_as):
    root = RegionFactory(name="Root")
    child = RegionFactory(name="Child", parent=root)
    response = api_as(AdminFactory()).patch(f"/api/v1/regions/{root.pk}/", {"parent": child.pk})
    assert response.status_code == 400
    assert response.json()["parent"] == [str(REGION_PARENT_CYCLE)]


def test_regions_list_makes_a_bounded_number_of_queries(api_as, django_assert_max_num_queries):
    root = RegionFactory()
    for _ in range(40):
        RegionFactory(parent=root)
    client = api_as(RepFactory())
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/regions/?page_size=200").json()["count"] == 41


def test_regions_create_with_just_a_name_makes_a_top_level_region(api_as):
    response = api_as(AdminFactory()).post("/api/v1/regions/", {"name": "China"})
    assert response.status_code == 201, response.content
    region = Region.objects.get(pk=response.json()["id"])
    assert region.parent is None and region.path == f"/{region.pk}/" and region.depth == 0


def test_regions_create_with_null_parent_makes_a_top_level_region(api_as):
    response = api_as(AdminFactory()).post("/api/v1/regions/", {"name": "China", "parent": None}, format="json")
    assert response.status_code == 201
    assert response.json()["parent"] is None


def test_regions_create_a_second_top_level_region_of_the_same_name_is_refused(api_as):
    RegionFactory(name="China")
    response = api_as(AdminFactory()).post("/api/v1/regions/", {"name": "china"})
    assert response.status_code == 400
    assert "name" in response.json()
    assert Region.objects.count() == 1


def test_regions_put_without_parent_keeps_it_and_renames(api_as):
    parent = RegionFactory(name="Zhejiang")
    region = RegionFactory(name="Hangzou", parent=parent)
    response = api_as(AdminFactory()).put(f"/api/v1/regions/{region.pk}/", {"name": "Hangzhou", "kind": "city"})
    assert response.status_code == 200, response.content
    region.refresh_from_db()
    assert (region.name, region.parent_id, region.kind) == ("Hangzhou", parent.pk, "city")


def test_regions_patch_parent_null_moves_the_subtree_to_the_top(api_as):
    root = RegionFactory(name="China")
    province = RegionFactory(name="Zhejiang", parent=root)
    city = RegionFactory(name="Hangzhou", parent=province)
    response = api_as(AdminFactory()).patch(f"/api/v1/regions/{province.pk}/", {"parent": None}, format="json")
    assert response.status_code == 200, response.content
    city.refresh_from_db()
    assert city.path == f"/{province.pk}/{city.pk}/" and city.depth == 1


def test_regions_patch_of_a_top_level_region_without_parent_never_fails(api_as):
    region = RegionFactory(name="China")
    for body in ({}, {"name": "中国"}, {"parent": None}):
        response = api_as(AdminFactory()).patch(f"/api/v1/regions/{region.pk}/", body, format="json")
        assert response.status_code == 200, (body, response.content)


def test_regions_name_with_a_slash_is_refused(api_as):
    response = api_as(AdminFactory()).post("/api/v1/regions/", {"name": "Zhejiang/Hangzhou"})
    assert response.status_code == 400
    assert "name" in response.json()
