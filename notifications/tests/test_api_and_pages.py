import pytest

from accounts.tests.factories import RepFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def make(user, n=1, **fields):
    return [Notification.objects.create(recipient=user, key=f"k{i}-{user.pk}", title=f"Note {i}", **fields) for i in range(n)]


def test_notifications_api_lists_only_the_callers_own(api_as):
    rep, other = RepFactory(), RepFactory()
    make(rep, 2)
    make(other, 3)
    body = api_as(rep).get("/api/v1/notifications/").json()
    assert body["count"] == 2


def test_notifications_api_read_marks_own_notification(api_as):
    rep = RepFactory()
    (note,) = make(rep)
    response = api_as(rep).post(f"/api/v1/notifications/{note.pk}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True


def test_notifications_api_someone_elses_notification_answers_404(api_as):
    (note,) = make(RepFactory())
    client = api_as(RepFactory())
    assert client.get(f"/api/v1/notifications/{note.pk}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{note.pk}/read/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_notifications_api_filters_unread(api_as):
    rep = RepFactory()
    first, _second = make(rep, 2)
    client = api_as(rep)
    client.post(f"/api/v1/notifications/{first.pk}/read/")
    assert client.get("/api/v1/notifications/?unread=true").json()["count"] == 1


def test_notifications_api_list_makes_a_bounded_number_of_queries(api_as, django_assert_max_num_queries):
    rep = RepFactory()
    make(rep, 60)
    client = api_as(rep)
    with django_assert_max_num_queries(4):
        assert len(client.get("/api/v1/notifications/?page_size=200").json()["results"]) == 60


def test_notification_centre_shows_unread_count_in_navigation(client):
    rep = RepFactory()
    make(rep, 3)
    client.force_login(rep)
    response = client.get("/notifications/")
    assert response.status_code == 200
    assert b'data-testid="unread-count">3' in response.content


def test_notification_centre_page_makes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    rep = RepFactory()
    make(rep, 40)
    client.force_login(rep)
    with django_assert_max_num_queries(8):
        assert client.get("/notifications/").status_code == 200


def test_notification_open_marks_read_and_follows_the_link(client):
    rep = RepFactory()
    (note,) = make(rep, url="/accounts/profile/")
    client.force_login(rep)
    response = client.post(f"/notifications/{note.pk}/open/")
    assert response.status_code == 302 and response.url == "/accounts/profile/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_notification_open_of_someone_elses_answers_404(client):
    (note,) = make(RepFactory())
    client.force_login(RepFactory())
    assert client.post(f"/notifications/{note.pk}/open/").status_code == 404


def test_notification_mark_all_read(client):
    rep = RepFactory()
    make(rep, 3)
    client.force_login(rep)
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(recipient=rep, read_at__isnull=True).exists()
