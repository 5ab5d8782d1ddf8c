from typing import Any

from django.contrib.auth.forms import PasswordResetForm

from srm.tasks import enviar_restablecimiento_clave


class FormularioRecuperarClave(PasswordResetForm):
    """Sends the reset link through a Celery task, so a slow mail server never blocks the page."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        enviar_restablecimiento_clave.delay_on_commit(
            usuario_id=context["user"].pk, dominio=context["domain"], protocolo=context["protocol"]
        )
