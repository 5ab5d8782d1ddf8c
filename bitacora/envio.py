"""Sending the recorded notices by mail; each is sent once, also when a task is retried."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from bitacora.models import Notificacion
from srm import formato


def notificacion_enviar(*, notificacion_id: int) -> bool:
    """Send one notification; a retry after it was sent does nothing."""
    with transaction.atomic():
        notificacion = (
            Notificacion.objects.select_for_update()
            .select_related("destinatario")
            .get(pk=notificacion_id)
        )
        if notificacion.enviada_en is not None:
            return False
        send_mail(
            notificacion.asunto,
            notificacion.cuerpo,
            settings.DEFAULT_FROM_EMAIL,
            [notificacion.destinatario.email],
        )
        notificacion.enviada_en = timezone.now()
        notificacion.save(update_fields=["enviada_en"])
    return True


def resumenes_diarios_enviar() -> int:
    """One mail per person with every pending digest notification; each is sent once."""
    enviados = 0
    pendientes = Notificacion.objects.filter(para_resumen=True, enviada_en__isnull=True)
    for usuario_id in pendientes.values_list("destinatario", flat=True).distinct():
        with transaction.atomic():
            del_dia = list(
                pendientes.select_for_update()
                .filter(destinatario_id=usuario_id)
                .select_related("destinatario")
            )
            if not del_dia:
                continue
            destinatario = del_dia[0].destinatario
            cuerpo = "\n\n".join(f"• {n.asunto}\n{n.cuerpo}" for n in del_dia)
            send_mail(
                f"[SRM] Resumen del día: {formato.plural(len(del_dia), 'aviso', 'avisos')}",
                cuerpo,
                settings.DEFAULT_FROM_EMAIL,
                [destinatario.email],
            )
            Notificacion.objects.filter(pk__in=[n.pk for n in del_dia]).update(
                enviada_en=timezone.now()
            )
            enviados += 1
    return enviados
