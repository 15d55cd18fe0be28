"""The invitation of a new dealer user to set a password, sent at most once."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from dealers.models import DealerInvitation


@transaction.atomic
def dealer_invitation_send(*, user: User) -> bool:
    """The invitation of a new dealer user, sent at most once (the task's service): the
    user's row is locked, the email goes out only if no DealerInvitation marks it sent,
    and the marker is written with it. A failed send (e.g. OSError, which the task
    retries) writes no marker, so the retry sends; a retry after a sent email does not."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    if DealerInvitation.objects.filter(user=user).exists():
        return False
    if not dealer_user_invite(user=user):
        return False
    DealerInvitation.objects.create(user=user)
    return True


def dealer_user_invite(*, user: User) -> bool:
    """Email a dealer user a link to set their password (Django's password-reset token).
    Returns whether an email went out (not without an address or for an inactive user)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    if not user.email or not user.is_active:
        return False
    path = reverse("accounts:password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user),
    })
    context = {"user": user, "dealer": user.dealer, "link": f"{settings.SITE_URL.rstrip('/')}{path}",
               "login": f"{settings.SITE_URL.rstrip('/')}{reverse('accounts:login')}"}
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = render_to_string("dealers/email/invitation_subject.txt", context).strip()
        body = render_to_string("dealers/email/invitation.txt", context)
    send_mail(subject, body, None, [user.email])
    return True
