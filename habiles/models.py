"""Chile's public holidays, as rows the Unidad can correct in the admin."""

from django.db import models
from django.utils import timezone


class Feriado(models.Model):
    """A day on which no deadline in días hábiles runs (a legal holiday, or one the Unidad adds)."""

    fecha = models.DateField("fecha", unique=True)
    nombre = models.CharField("nombre", max_length=150)
    fuente = models.CharField(
        "fuente",
        max_length=300,
        blank=True,
        help_text="De dónde viene el feriado (ley o documento); lo agregado a mano lo dice.",
    )
    # A default, not auto_now_add: fixtures load raw and skip auto_now stamps.
    creado = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["fecha"]
        verbose_name = "feriado"
        verbose_name_plural = "feriados"

    def __str__(self) -> str:
        return f"{self.fecha:%d-%m-%Y} {self.nombre}"
