"""Celery tasks of visits: thin, each derives what is due from the database and
calls a service, so a doubled or retried run is harmless."""

from celery import shared_task

from visits import services


@shared_task
def generate_visits() -> int:
    """Plans → visits for the weeks ahead set in HQ's visit plan defaults (idempotent)."""
    return services.visits_generate()


@shared_task
def mark_missed_visits() -> int:
    """Visits not completed by the end of their day become missed (idempotent)."""
    return services.visits_mark_missed()


@shared_task
def send_visit_reminders() -> dict:
    """Day-before and morning visit reminders, missed visits, requests due and overdue (keyed, once each)."""
    services.visits_mark_missed()
    return services.reminders_send()
