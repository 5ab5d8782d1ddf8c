"""Running totals the tablero adds up instead of the rows behind them.

A year has 150 formulaciones but 1,500 compromisos, 6,000 avances and their remarks, and the
trend reads ten years. Each formulación and each informe keeps here the counts the figures need,
recomputed from its own rows on every write (tablero.resumenes), so a figure sums at most one
narrow row per formulación and periodo.
"""

from django.db import models


class ResumenFormulacion(models.Model):
    """A formulación's compromisos by complejidad, ámbito and tipo de medida, the consultora's
    verdicts on them (one column per choice; see resumenes.CONTEOS_COMPROMISOS) and its first
    submission."""

    formulacion = models.OneToOneField(
        "compromisos.FormulacionPMG",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="resumen",
    )
    compromisos = models.PositiveIntegerField(default=0)
    complejidad_inmediata = models.PositiveIntegerField(default=0)
    complejidad_mediana = models.PositiveIntegerField(default=0)
    complejidad_mayor = models.PositiveIntegerField(default=0)
    ambito_infraestructura = models.PositiveIntegerField(default=0)
    ambito_fomento_productivo = models.PositiveIntegerField(default=0)
    ambito_desarrollo_social = models.PositiveIntegerField(default=0)
    ambito_insercion_internacional = models.PositiveIntegerField(default=0)
    ambito_cultura = models.PositiveIntegerField(default=0)
    ambito_ciencia_tecnologia = models.PositiveIntegerField(default=0)
    tipo_medida_descentralizacion = models.PositiveIntegerField(default=0)
    tipo_medida_desconcentracion = models.PositiveIntegerField(default=0)
    validacion_cumple = models.PositiveIntegerField(default=0)
    validacion_parcial = models.PositiveIntegerField(default=0)
    validacion_no_cumple = models.PositiveIntegerField(default=0)
    # The day the servicio first sent it, in Chile's time (the event log: a correction sent
    # again later does not move it), for the hitos tracker's deadlines.
    dia_primer_envio = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "resumen de formulación"
        verbose_name_plural = "resúmenes de formulaciones"

    def __str__(self) -> str:
        return f"Resumen de {self.formulacion_id}"


class ResumenInforme(models.Model):
    """An informe's avances (sum and count of their percentages), its remarks by state, and a
    copy of the few fields of the informe the figures read.

    The copy lets the figures join this narrow table instead of the informes, whose texts make
    every scan of them long. It is refreshed on every save of the informe and on every
    transition (which writes with `update()` but logs an Evento; see resumenes).
    """

    informe = models.OneToOneField(
        "compromisos.InformeAvance",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="resumen",
    )
    formulacion = models.ForeignKey(
        "compromisos.FormulacionPMG", on_delete=models.CASCADE, related_name="resumenes_informe"
    )
    periodo = models.CharField(max_length=40)
    # As long as the informe's own (certification results).
    estado = models.CharField(max_length=16)
    enviado_en = models.DateTimeField(null=True)
    # The day it was sent, in Chile's time: the hitos tracker compares it with deadlines.
    dia_envio = models.DateField(null=True)
    es_atrasado = models.BooleanField(default=False)
    prorroga_hasta = models.DateField(null=True)
    avance_suma = models.PositiveIntegerField(default=0)
    avances = models.PositiveIntegerField(default=0)
    observaciones_abiertas = models.PositiveIntegerField(default=0)
    observaciones_respondidas = models.PositiveIntegerField(default=0)
    observaciones_resueltas = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["formulacion", "periodo"], name="resumen_informe_periodo")]
        verbose_name = "resumen de informe"
        verbose_name_plural = "resúmenes de informes"

    def __str__(self) -> str:
        return f"Resumen del informe {self.informe_id}"
