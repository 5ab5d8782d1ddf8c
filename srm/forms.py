from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError

from srm.tasks import enviar_restablecimiento_clave


class FormularioIngreso(AuthenticationForm):
    """Django's login form, refusing a username no account can have before asking anyone.

    Django sets the field's max_length after building it, so the length is not validated and
    axes stored a 256-character username in its varchar(255): a 500 on PostgreSQL.
    """

    def clean_username(self) -> str:
        nombre = self.cleaned_data["username"]
        largo = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD).max_length
        if len(nombre) > largo:
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )
        return nombre


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
