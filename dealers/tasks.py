"""Celery tasks of the dealers app: thin, they call a service. The beat tasks
derive what is due from the database and deliver each reminder under a unique
key, so a doubled or retried run sends nothing twice."""

from celery import shared_task

from accounts.models import User
from dealers import services


@shared_task
def prospects_going_cold() -> int:
    return services.prospects_going_cold_notify()


@shared_task
def contract_end_reminders() -> int:
    return services.contract_end_reminders_send()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_dealer_invitation(user_id: int) -> bool:
    user = User.objects.filter(pk=user_id).select_related("dealer").first()
    if user is None:
        return False
    return services.dealer_invitation_send(user=user)
