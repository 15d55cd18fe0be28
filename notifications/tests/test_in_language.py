"""notification_deliver_in_language: the app's texts in the recipient's language, people's texts as written."""

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.tests.factories import RepFactory
from notifications.models import Notification
from notifications.services import notification_deliver_in_language

pytestmark = pytest.mark.django_db

# An app text that the catalogue translates (dealers' own notification).
TITLE = _("Contract signed: %(dealer)s")


def test_a_persons_text_is_sent_as_written_even_with_percent_signs():
    rep = RepFactory()
    typed = "Discount 20% off, 100%(sure)s and %d"
    assert notification_deliver_in_language(recipient=rep, key="k1", title=TITLE, body=typed, dealer="Acme 5%")
    notification = Notification.objects.get(recipient=rep)
    assert notification.body == typed
    assert notification.title.endswith("Acme 5%")


def test_the_apps_text_is_rendered_in_the_recipients_language_with_its_values():
    rep = RepFactory(language="zh-hans")
    notification_deliver_in_language(recipient=rep, key="k2", title=TITLE, dealer="Acme")
    with translation.override("zh-hans"):
        expected = str(TITLE) % {"dealer": "Acme"}
    assert Notification.objects.get(recipient=rep).title == expected


def test_delivered_once_per_key_and_never_to_no_one():
    rep = RepFactory()
    assert notification_deliver_in_language(recipient=rep, key="k3", title=TITLE, dealer="A") is True
    assert notification_deliver_in_language(recipient=rep, key="k3", title=TITLE, dealer="A") is False
    assert notification_deliver_in_language(recipient=None, key="k3", title=TITLE, dealer="A") is False
    assert Notification.objects.count() == 1
