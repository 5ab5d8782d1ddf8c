"""Notices: a Notificacion row per person and event, mailed once after the commit.

The row is written inside the caller's transaction, keyed so that the same event never
produces two mails; immediate ones are queued for Celery after the commit, daily-digest ones
wait for the evening task. Who hears about what is decided by the app that logs the event.
"""

import contextlib
import contextvars
from collections.abc import Iterator

from django.conf import settings
from django.template.loader import render_to_string

from bitacora.models import Notificacion, PreferenciaAvisos
from bitacora.tasks import enviar_notificacion

_SILENCIO: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "srm_avisos_en_silencio", default=False
)


@contextlib.contextmanager
def en_silencio() -> Iterator[None]:
    """No notifications inside: for building demo data, where nobody is to be told."""
    marca = _SILENCIO.set(True)
    try:
        yield
    finally:
        _SILENCIO.reset(marca)


def avisar(*, clave: str, destinatarios: list, asunto: str, plantilla: str, contexto: dict) -> int:
    """Record one notification per recipient with an e-mail; returns how many are new."""
    if _SILENCIO.get():
        return 0

    con_correo = [usuario for usuario in destinatarios if usuario.email]
    resumen = set(
        PreferenciaAvisos.objects.filter(usuario__in=con_correo, resumen_diario=True).values_list(
            "usuario_id", flat=True
        )
    )
    nuevas = 0
    for usuario in con_correo:
        cuerpo = render_to_string(
            plantilla, {**contexto, "destinatario": usuario, "url_base": settings.SRM_URL_BASE}
        )
        notificacion, creada = Notificacion.objects.get_or_create(
            clave=f"{clave}:usuario:{usuario.pk}",
            defaults={
                "destinatario": usuario,
                "asunto": asunto[:200],
                "cuerpo": cuerpo,
                "para_resumen": usuario.pk in resumen,
            },
        )
        if creada:
            nuevas += 1
            if not notificacion.para_resumen:
                enviar_notificacion.delay_on_commit(notificacion_id=notificacion.pk)
    return nuevas
