"""Review and validation workflow: observaciones, verdicts on files, the consultora's validation."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Observacion(models.Model):
    """A SUBDERE remark on a document under review, answered by the servicio.

    On an informe (the whole, one compromiso's avance, one file or one question of its form) or on a formulación (the
    whole, one of its líneas or one compromiso). `formulacion` is always set (for an informe,
    its formulación), so the permission door finds the servicio and year by one path.
    """

    class Estado(models.TextChoices):
        ABIERTA = "abierta", "Abierta"
        RESPONDIDA = "respondida", "Respondida"
        RESUELTA = "resuelta", "Resuelta"

    ruta_servicio = "formulacion__servicio"
    ruta_anio = "formulacion__proceso__anio"

    formulacion = models.ForeignKey(
        "compromisos.FormulacionPMG", on_delete=models.PROTECT, related_name="observaciones"
    )
    # Empty: the remark is on the formulación itself.
    informe = models.ForeignKey(
        "compromisos.InformeAvance",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observaciones",
    )
    avance = models.ForeignKey(
        "compromisos.AvanceCompromiso",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observaciones",
        verbose_name="compromiso",
    )
    medio = models.ForeignKey(
        "compromisos.MedioVerificacion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observaciones",
        verbose_name="medio de verificación",
    )
    # A question of the kind's form (issue 16): the remark is on the servicio's answer to it.
    pregunta = models.ForeignKey(
        "formularios.Pregunta",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observaciones",
    )
    # A formulación's lines are replaced when it is saved and a compromiso may be deleted while
    # it is returned: the remark stays (on the whole), with the name it was written on.
    linea = models.ForeignKey(
        "compromisos.LineaFormulacion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observaciones",
        verbose_name="línea de la formulación",
    )
    compromiso = models.ForeignKey(
        "compromisos.Compromiso",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observaciones",
    )
    sobre = models.CharField(
        "sobre", max_length=300, blank=True, help_text="Línea o compromiso observado, en palabras."
    )
    ronda = models.PositiveSmallIntegerField(default=1)
    texto = models.TextField()
    autor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="observaciones"
    )
    estado = models.CharField(max_length=12, choices=Estado.choices, default=Estado.ABIERTA)
    # Closed without being settled (an approval over it): why, logged as well.
    motivo_cierre = models.TextField("motivo de cierre", blank=True)
    creado = models.DateTimeField(default=timezone.now)
    actualizado = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["formulacion", "informe", "ronda", "creado", "pk"]
        verbose_name = "observación"
        verbose_name_plural = "observaciones"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estado__in=["abierta", "respondida", "resuelta"]),
                name="observacion_estado_valido",
            ),
            models.CheckConstraint(
                condition=models.Q(ronda__gte=1), name="observacion_ronda_positiva"
            ),
            models.CheckConstraint(
                condition=~models.Q(texto=""), name="observacion_texto_requerido"
            ),
            # An informe's remark points into the informe; a formulación's into the formulación.
            models.CheckConstraint(
                condition=models.Q(
                    informe__isnull=False, linea__isnull=True, compromiso__isnull=True
                )
                | models.Q(
                    informe__isnull=True,
                    avance__isnull=True,
                    medio__isnull=True,
                    pregunta__isnull=True,
                ),
                name="observacion_objetivo_de_su_documento",
            ),
        ]

    def __str__(self) -> str:
        return f"Ronda {self.ronda}: {self.texto[:60]}"

    def save(self, *args, **kwargs) -> None:
        # An informe's remark belongs to its formulación too (the door's path).
        if self.informe_id and not self.formulacion_id:
            self.formulacion_id = self.informe.formulacion_id
        super().save(*args, **kwargs)

    @property
    def documento(self):
        """The informe or formulación this remark is on."""
        return self.informe if self.informe_id else self.formulacion


class RespuestaObservacion(models.Model):
    """One message of an observación's thread (the servicio's answer, or SUBDERE's follow-up)."""

    observacion = models.ForeignKey(
        Observacion, on_delete=models.CASCADE, related_name="respuestas"
    )
    autor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="respuestas_observacion"
    )
    texto = models.TextField()
    creado = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["observacion", "creado", "pk"]
        verbose_name = "respuesta a observación"
        verbose_name_plural = "respuestas a observaciones"
        constraints = [
            models.CheckConstraint(condition=~models.Q(texto=""), name="respuesta_texto_requerido"),
        ]

    def __str__(self) -> str:
        return f"{self.autor}: {self.texto[:60]}"


class VeredictoMedio(models.Model):
    """The analyst's verdict on one file in one review round."""

    class Resultado(models.TextChoices):
        ACEPTADO = "aceptado", "Aceptado"
        OBSERVADO = "observado", "Observado"
        RECHAZADO = "rechazado", "Rechazado"

    medio = models.ForeignKey(
        "compromisos.MedioVerificacion", on_delete=models.PROTECT, related_name="veredictos"
    )
    ronda = models.PositiveSmallIntegerField()
    resultado = models.CharField(max_length=10, choices=Resultado.choices)
    motivo = models.TextField(blank=True)
    analista = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    momento = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["medio", "ronda"]
        verbose_name = "veredicto sobre un medio"
        verbose_name_plural = "veredictos sobre medios"
        constraints = [
            models.UniqueConstraint(fields=["medio", "ronda"], name="veredicto_unico_por_ronda"),
            models.CheckConstraint(
                condition=models.Q(resultado__in=["aceptado", "observado", "rechazado"]),
                name="veredicto_resultado_valido",
            ),
            # Observing or rejecting a file always says why.
            models.CheckConstraint(
                condition=models.Q(resultado="aceptado") | ~models.Q(motivo=""),
                name="veredicto_motivo_si_no_se_acepta",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_resultado_display()} · {self.medio}"


class ValidacionServicio(models.Model):
    """The external consultancy's year-end validation of one servicio, ratified by SUBDERE."""

    class Estado(models.TextChoices):
        EN_CURSO = "en_curso", "En curso"
        ENVIADA = "enviada", "Enviada a SUBDERE"
        DEVUELTA = "devuelta", "Devuelta a la consultora"
        RATIFICADA = "ratificada", "Ratificada por SUBDERE"

    class Resultado(models.TextChoices):
        CUMPLE = "cumple", "Cumple"
        PARCIAL = "parcial", "Cumple parcialmente"
        NO_CUMPLE = "no_cumple", "No cumple"

    formulacion = models.OneToOneField(
        "compromisos.FormulacionPMG", on_delete=models.PROTECT, related_name="validacion"
    )
    estado = models.CharField(max_length=12, choices=Estado.choices, default=Estado.EN_CURSO)
    enviada_en = models.DateTimeField(null=True, blank=True)
    comentario_subdere = models.TextField("comentario de SUBDERE", blank=True)
    resultado = models.CharField(max_length=10, choices=Resultado.choices, blank=True)
    ratificada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ratificada_en = models.DateTimeField(null=True, blank=True)
    registrada_dipres_en = models.DateField("registrada en DIPRES el", null=True, blank=True)
    registrada_dipres_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "validación del servicio"
        verbose_name_plural = "validaciones de servicios"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estado__in=["en_curso", "enviada", "devuelta", "ratificada"]),
                name="validacion_estado_valido",
            ),
            # A ratified validation carries its result, who ratified it and when.
            models.CheckConstraint(
                condition=~models.Q(estado="ratificada")
                | (
                    ~models.Q(resultado="")
                    & models.Q(ratificada_por__isnull=False, ratificada_en__isnull=False)
                ),
                name="validacion_ratificada_completa",
            ),
        ]

    def __str__(self) -> str:
        return f"Validación {self.formulacion}"


class ValidacionIniciativa(models.Model):
    """The consultora's verdict on one iniciativa (compromiso), with its reasons and the evidence seen."""

    validacion = models.ForeignKey(
        ValidacionServicio, on_delete=models.CASCADE, related_name="iniciativas"
    )
    compromiso = models.OneToOneField(
        "compromisos.Compromiso", on_delete=models.PROTECT, related_name="validacion"
    )
    resultado = models.CharField(max_length=10, choices=ValidacionServicio.Resultado.choices)
    fundamento = models.TextField()
    medios_examinados = models.ManyToManyField(
        "compromisos.MedioVerificacion", blank=True, related_name="validaciones"
    )
    consultora = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    actualizado = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["compromiso__codigo"]
        verbose_name = "validación de iniciativa"
        verbose_name_plural = "validaciones de iniciativas"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resultado__in=["cumple", "parcial", "no_cumple"]),
                name="iniciativa_resultado_valido",
            ),
            models.CheckConstraint(
                condition=~models.Q(fundamento=""), name="iniciativa_fundamento_requerido"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.compromiso.codigo}: {self.get_resultado_display()}"


class ResultadoSistema(models.Model):
    """Whether a sistema of the formulación other than Descentralización cumplió, as DIPRES
    says: entered by the Unidad or imported from DIPRES's spreadsheet. Descentralización's own
    result follows from the consultora's verdicts (validacion/cumplimiento.py)."""

    class Origen(models.TextChoices):
        ADMIN = "admin", "Ingresado por la Unidad"
        PLANILLA = "planilla", "Planilla DIPRES"

    ruta_servicio = "linea__formulacion__servicio"
    ruta_anio = "linea__formulacion__proceso__anio"

    linea = models.OneToOneField(
        "compromisos.LineaFormulacion", on_delete=models.CASCADE, related_name="resultado_dipres"
    )
    cumple = models.BooleanField("cumple")
    origen = models.CharField(max_length=10, choices=Origen.choices, default=Origen.ADMIN)
    nota = models.CharField(max_length=300, blank=True)
    registrado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actualizado = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "resultado de un sistema (DIPRES)"
        verbose_name_plural = "resultados de los sistemas (DIPRES)"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(origen__in=["admin", "planilla"]),
                name="resultado_sistema_origen_valido",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.linea.sistema}: {'cumple' if self.cumple else 'no cumple'}"

    MENSAJE_DESCENTRALIZACION = (
        "El resultado de Descentralización sale de la validación de la consultora ratificada "
        "por SUBDERE; no se ingresa aquí."
    )

    def es_de_descentralizacion(self) -> bool:
        from compromisos.selectors import es_linea_contraparte

        return es_linea_contraparte(self.linea)

    def clean(self) -> None:
        if self.linea_id is not None and self.es_de_descentralizacion():
            raise ValidationError({"linea": self.MENSAJE_DESCENTRALIZACION})


class VeredictoRequisito(models.Model):
    """Whether a requisito técnico of the committed etapa is met, and the files that support it.

    The analyst's, in the review of one informe (one per informe and requisito, changed in
    place while the review lasts; every change is in the log), and the consultora's, in the
    year-end validation of the formulación (one per formulación and requisito).
    """

    class Instancia(models.TextChoices):
        REVISION = "revision", "Revisión SUBDERE"
        VALIDACION = "validacion", "Validación de la consultora"

    ruta_servicio = "formulacion__servicio"
    ruta_anio = "formulacion__proceso__anio"

    formulacion = models.ForeignKey(
        "compromisos.FormulacionPMG", on_delete=models.PROTECT, related_name="veredictos_requisito"
    )
    # The informe reviewed; empty in the consultora's validation.
    informe = models.ForeignKey(
        "compromisos.InformeAvance",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="veredictos_requisito",
    )
    instancia = models.CharField(max_length=12, choices=Instancia.choices)
    requisito = models.ForeignKey(
        "programa.RequisitoTecnico", on_delete=models.PROTECT, related_name="veredictos"
    )
    cumple = models.BooleanField("cumplido")
    medios = models.ManyToManyField(
        "compromisos.MedioVerificacion",
        blank=True,
        related_name="veredictos_requisito",
        verbose_name="medios que lo respaldan",
    )
    comentario = models.TextField(blank=True)
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    momento = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["formulacion", "instancia", "requisito"]
        verbose_name = "veredicto sobre un requisito técnico"
        verbose_name_plural = "veredictos sobre requisitos técnicos"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(instancia="revision", informe__isnull=False)
                | models.Q(instancia="validacion", informe__isnull=True),
                name="veredicto_requisito_instancia_valida",
            ),
            models.UniqueConstraint(
                fields=["informe", "requisito"],
                condition=models.Q(instancia="revision"),
                name="veredicto_requisito_unico_por_informe",
            ),
            models.UniqueConstraint(
                fields=["formulacion", "requisito"],
                condition=models.Q(instancia="validacion"),
                name="veredicto_requisito_unico_en_validacion",
            ),
            # Not met always says why, so the servicio knows what is missing.
            models.CheckConstraint(
                condition=models.Q(cumple=True) | ~models.Q(comentario=""),
                name="veredicto_requisito_motivo_si_no_cumple",
            ),
        ]

    def __str__(self) -> str:
        return f"{'Cumplido' if self.cumple else 'No cumplido'} · {self.requisito}"
