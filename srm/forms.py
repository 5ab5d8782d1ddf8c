from typing import Any

from django.contrib.auth.forms import PasswordResetForm

from srm.tasks import enviar_correo


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
        from django.template import loader

        asunto = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        cuerpo = loader.render_to_string(email_template_name, context)
        enviar_correo.delay_on_commit(asunto=asunto, cuerpo=cuerpo, destinatarios=[to_email])
