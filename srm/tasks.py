"""Project-wide Celery tasks."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template import loader
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def restablecimiento_pedir(*, correo: str, dominio: str, protocolo: str) -> int:
    """Mail a reset link to each active account of `correo`, if any.

    The page enqueues this for every address, known or not, so that it does the same work and
    answers the same for both; only here, out of the request, is the address looked up.
    """
    from django.contrib.auth.forms import PasswordResetForm

    enviados = 0
    for usuario in PasswordResetForm().get_users(correo):
        enviados += enviar_restablecimiento_clave(
            usuario_id=usuario.pk, dominio=dominio, protocolo=protocolo
        )
    return enviados


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def enviar_restablecimiento_clave(*, usuario_id: int, dominio: str, protocolo: str) -> int:
    """Mail a password-reset link; the token is made here, so it never travels through the broker."""
    usuario = get_user_model()._default_manager.get(pk=usuario_id)
    contexto = {
        "email": usuario.email,
        "domain": dominio,
        "site_name": dominio,
        "uid": urlsafe_base64_encode(force_bytes(usuario.pk)),
        "user": usuario,
        "token": default_token_generator.make_token(usuario),
        "protocol": protocolo,
    }
    asunto = "".join(
        loader.render_to_string("registration/password_reset_subject.txt", contexto).splitlines()
    )
    cuerpo = loader.render_to_string("registration/password_reset_email.html", contexto)
    return send_mail(asunto, cuerpo, settings.DEFAULT_FROM_EMAIL, [usuario.email])
