"""Celery tasks of the review workflow: each loads its rows and calls a service; retries are safe."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from validacion import notificaciones
from validacion.models import Notificacion


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=6)
def enviar_notificacion(*, notificacion_id: int) -> bool:
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


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=6)
def enviar_resumenes_diarios() -> int:
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
                f"[SRM] Resumen del día: {len(del_dia)} aviso{'s' if len(del_dia) > 1 else ''}",
                cuerpo,
                settings.DEFAULT_FROM_EMAIL,
                [destinatario.email],
            )
            Notificacion.objects.filter(pk__in=[n.pk for n in del_dia]).update(
                enviada_en=timezone.now()
            )
            enviados += 1
    return enviados


@shared_task
def enviar_recordatorios() -> int:
    """Daily (Celery beat): deadlines coming in SRM_DIAS_AVISO_PLAZO days, and yesterday's overdue."""
    return notificaciones.avisar_plazos(
        hoy=timezone.localdate(), dias_antes=settings.SRM_DIAS_AVISO_PLAZO
    )
