"""Celery tasks of accounts: thin, they call a service."""

from celery import shared_task

from accounts import services
from accounts.models import User


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_user_invitation(user_id: int) -> bool:
    user = User.objects.filter(pk=user_id).first()
    return bool(user) and services.user_invite(user=user)
