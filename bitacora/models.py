"""The append-only event log and the notices (one mail per person and event).

Every app logs and notifies through this app, which imports none of them: an event names its
object through the content types and its servicio through a foreign key by label.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class EventoQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("El registro de eventos no se modifica.")

    def delete(self):
        raise TypeError("El registro de eventos no se elimina.")


class Evento(models.Model):
    """One line of the append-only log: who did what, when, from which state to which."""

    # Where the permission door finds the servicio and the year of a row (srm.permisos).
    ruta_servicio = "servicio"
    ruta_anio = "anio"

    momento = models.DateTimeField(default=timezone.now, db_index=True)
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="eventos",
    )
    servicio = models.ForeignKey(
        "servicios.Servicio",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="eventos",
    )
    # The PMG year the event belongs to (of its formulación, informe, cartera...), if any.
    anio = models.PositiveSmallIntegerField("año", null=True, blank=True)
    accion = models.CharField("acción", max_length=60)
    # Security events (a denied access) may name no object.
    tipo_objeto = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    objeto_id = models.PositiveBigIntegerField(null=True, blank=True)
    objeto = GenericForeignKey("tipo_objeto", "objeto_id")
    descripcion_objeto = models.CharField("objeto", max_length=300)
    desde = models.CharField(max_length=30, blank=True)
    hacia = models.CharField(max_length=30, blank=True)
    detalle = models.JSONField(default=dict, blank=True)

    objects = EventoQuerySet.as_manager()

    class Meta:
        ordering = ["-momento", "-pk"]
        verbose_name = "evento"
        verbose_name_plural = "registro de eventos"
        indexes = [
            models.Index(fields=["tipo_objeto", "objeto_id", "momento"], name="evento_por_objeto"),
            # The log page filters by servicio and year, newest first.
            models.Index(fields=["servicio", "anio", "momento"], name="evento_por_servicio"),
        ]

    def __str__(self) -> str:
        return f"{self.momento:%d-%m-%Y %H:%M} {self.usuario or 'sistema'}: {self.accion} {self.descripcion_objeto}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("El registro de eventos no se modifica.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("El registro de eventos no se elimina.")


class PreferenciaAvisos(models.Model):
    """How a person wants to hear from the SRM: one mail per event, or a daily digest."""

    usuario = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferencia_avisos"
    )
    resumen_diario = models.BooleanField(
        "resumen diario",
        default=False,
        help_text="Recibir un solo correo al día con todos los avisos.",
    )

    class Meta:
        verbose_name = "preferencia de avisos"
        verbose_name_plural = "preferencias de avisos"

    def __str__(self) -> str:
        return f"{self.usuario}: {'resumen diario' if self.resumen_diario else 'cada aviso'}"


class Notificacion(models.Model):
    """One mail to one person about one event; the key makes every sending happen once."""

    clave = models.CharField(max_length=200, unique=True)
    destinatario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notificaciones"
    )
    asunto = models.CharField(max_length=200)
    cuerpo = models.TextField()
    para_resumen = models.BooleanField(default=False)
    creada = models.DateTimeField(default=timezone.now)
    enviada_en = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-creada", "pk"]
        verbose_name = "notificación"
        verbose_name_plural = "notificaciones"
        indexes = [
            models.Index(fields=["enviada_en", "para_resumen"], name="notificacion_pendiente")
        ]

    def __str__(self) -> str:
        return f"{self.destinatario}: {self.asunto}"
