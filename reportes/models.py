"""Reports of the División: each row is one requested (or scheduled) run and its file."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class TipoReporte(models.TextChoices):
    CONSOLIDADO_XLSX = "consolidado_xlsx", "Estado de avance consolidado (Excel)"
    CONSOLIDADO_PDF = "consolidado_pdf", "Estado de avance consolidado (PDF)"
    FICHA = "ficha", "Ficha del servicio (PDF)"
    PLANILLA = "planilla", "Planilla estadística anual (Excel)"
    VALIDACION_DIPRES = "validacion_dipres", "Validación final para DIPRES (Excel)"
    RESUMEN_EJECUTIVO = "resumen_ejecutivo", "Resumen ejecutivo (PDF)"
    EXPEDIENTE = "expediente", "Expediente del servicio (ZIP)"
    # The División's own metas (metas app).
    METAS_XLSX = "metas_xlsx", "Mediciones de las metas de la División (Excel)"
    METAS_PDF = "metas_pdf", "Reporte mensual de metas por departamento (PDF)"
    # The GORE quality system (calidad app): every score of a year.
    CALIDAD_XLSX = "calidad_xlsx", "Puntajes de calidad de los gobiernos regionales (Excel)"
    # One GORE's informe de resultados de la autoevaluación of a year.
    CALIDAD_PDF = "calidad_pdf", "Informe de resultados de la autoevaluación de calidad (PDF)"
    # Technical assistance (asistencia app): the year's activities, consultas, contacts,
    # acuerdos, and per servicio the assistance received beside its results.
    ASISTENCIA_XLSX = "asistencia_xlsx", "Asistencia técnica del año (Excel)"


# Reports of the División's metas: no servicio, no periodo; optionally one department.
TIPOS_DE_METAS = {TipoReporte.METAS_XLSX, TipoReporte.METAS_PDF}
# Reports about one servicio; the others cover the whole year (optionally filtered).
TIPOS_DE_SERVICIO = {TipoReporte.FICHA, TipoReporte.EXPEDIENTE}
# Reports about one gobierno regional's autoevaluación of calidad (calidad app).
TIPOS_DE_GORE = {TipoReporte.CALIDAD_PDF}
# Reports of one informe periodo.
TIPOS_CON_PERIODO = {TipoReporte.CONSOLIDADO_XLSX, TipoReporte.CONSOLIDADO_PDF}


def ruta_reporte(reporte: "Reporte", nombre: str) -> str:
    # One folder per run and attempt: two deliveries of the same task running at once (a
    # worker that lost the broker) never write, or delete, each other's file.
    return f"reportes/{reporte.anio}/{reporte.pk}/{reporte.intentos}/{nombre}"


class Reporte(models.Model):
    """One run of a report: its parameters, state, progress, file or error."""

    # Reports of the whole year have no servicio: only the roles that read everything see them.
    ruta_servicio = "servicio"
    ruta_anio = "anio"
    # A metas report of one department (its id in the filters): its jefe sees it (srm.permisos).
    ruta_departamento = "filtros__departamento"

    class Estado(models.TextChoices):
        PENDIENTE = "pendiente", "En cola"
        GENERANDO = "generando", "Generándose"
        LISTO = "listo", "Listo"
        ERROR = "error", "Falló"
        # Nobody is working on it any more (its worker died): «Reintentar» queues it again.
        DETENIDO = "detenido", "Detenido"

    tipo = models.CharField(max_length=20, choices=TipoReporte.choices)
    anio = models.PositiveSmallIntegerField("año")
    periodo = models.CharField(max_length=40, blank=True)
    servicio = models.ForeignKey(
        "servicios.Servicio",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reportes",
    )
    # Optional filters of the consolidated report: ids of ministerio, tipo and región.
    filtros = models.JSONField(default=dict, blank=True)
    solicitado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reportes_solicitados",
        help_text="Vacío: programado por el calendario (Celery beat).",
    )
    # Scheduled runs carry a key so that a beat tick repeated never makes a second run.
    clave_programacion = models.CharField(max_length=100, null=True, blank=True, unique=True)
    estado = models.CharField(max_length=10, choices=Estado.choices, default=Estado.PENDIENTE)
    progreso = models.PositiveSmallIntegerField(default=0)
    etapa = models.CharField("etapa actual", max_length=200, blank=True)
    intentos = models.PositiveSmallIntegerField(default=0)
    archivo = models.FileField(max_length=255, blank=True)
    tamano = models.PositiveBigIntegerField("tamaño (bytes)", null=True, blank=True)
    error = models.TextField(blank=True)
    creado = models.DateTimeField(auto_now_add=True, db_index=True)
    iniciado_en = models.DateTimeField(null=True, blank=True)
    # Written with every progress update while an attempt works: silence means it died.
    latido = models.DateTimeField("último latido", null=True, blank=True)
    terminado_en = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-creado", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estado__in=["pendiente", "generando", "listo", "error", "detenido"]),
                name="reporte_estado_valido",
            ),
            models.CheckConstraint(
                condition=Q(tipo__in=[valor for valor, _ in TipoReporte.choices]),
                name="reporte_tipo_valido",
            ),
            models.CheckConstraint(condition=Q(progreso__lte=100), name="reporte_progreso_max_100"),
            # A run marked done always has its file; a failed one always says why.
            models.CheckConstraint(
                condition=~Q(estado="listo") | ~Q(archivo=""), name="reporte_listo_con_archivo"
            ),
            models.CheckConstraint(
                condition=~Q(estado="error") | ~Q(error=""), name="reporte_error_con_mensaje"
            ),
            models.CheckConstraint(
                condition=~Q(tipo__in=["ficha", "expediente", "calidad_pdf"])
                | Q(servicio__isnull=False),
                name="reporte_de_servicio_con_servicio",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()} {self.anio} (#{self.pk})"

    @property
    def esta_en_curso(self) -> bool:
        return self.estado in (self.Estado.PENDIENTE, self.Estado.GENERANDO)

    @property
    def nombre_archivo(self) -> str:
        return self.archivo.name.rsplit("/", 1)[-1] if self.archivo else ""

    @property
    def nombre_periodo(self) -> str:
        """The periodo's name: a standard cycle's label, else the year's deliverable kind's."""
        from compromisos.models import InformeAvance, TipoEntregable

        if not self.periodo:
            return ""
        if self.periodo in InformeAvance.Periodo.values:
            return InformeAvance.Periodo(self.periodo).label
        tipo = TipoEntregable.objects.filter(proceso__anio=self.anio, clave=self.periodo).first()
        return tipo.nombre if tipo else self.periodo

    @property
    def descripcion(self) -> str:
        """The parameters in words, for the history list and the e-mails."""

        partes = [str(self.anio)]
        if self.periodo:
            partes.append(self.nombre_periodo)
        if self.servicio_id:
            partes.append(self.servicio.nombre)
        if self.filtros.get("descripcion"):
            partes.append(self.filtros["descripcion"])
        return " · ".join(partes)
