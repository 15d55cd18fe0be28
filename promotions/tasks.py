"""Celery tasks of promotions: thin, each loads by id or derives what is due
from the database and calls a service (so a doubled or retried run is harmless)."""

from celery import shared_task

from promotions import services


@shared_task
def run_follow_up_clock() -> dict:
    """The beat's hourly round: dates, the post-event clock, task reminders, late emails."""
    done = services.follow_up_clock_run()
    done["thank_you_emails_caught_up"] = services.thank_yous_send_pending()
    return done


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_thank_you_email(thank_you_id: int) -> bool:
    return services.thank_you_send_email(thank_you_id=thank_you_id)
