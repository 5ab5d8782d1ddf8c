"""Project-wide Celery tasks."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def enviar_correo(*, asunto: str, cuerpo: str, destinatarios: list[str]) -> int:
    """Send one plain-text mail; retried with backoff when the mail server is unreachable."""
    return send_mail(asunto, cuerpo, settings.DEFAULT_FROM_EMAIL, destinatarios)
