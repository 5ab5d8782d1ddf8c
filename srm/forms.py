from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError


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
    """Asks for a reset link without looking the address up: the task does (srm/tasks.py).

    `save` only records what to send; the view dispatches it after the answer has left, so a
    known address costs the request no more than an unknown one.
    """

    pedido: dict[str, str] | None = None

    def save(self, domain_override=None, request=None, use_https=False, **kwargs) -> None:
        dominio = domain_override or get_current_site(request).domain
        self.pedido = {
            "correo": self.cleaned_data["email"],
            "dominio": dominio,
            "protocolo": "https" if use_https else "http",
        }
