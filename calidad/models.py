"""The GORE quality system (Resolución Exenta SUBDERE Nº 1130/2009): the management model as
data, each GORE's autoevaluación scored by an external evaluador and validated by SUBDERE, the
Plan de Mejoras built from its gaps, and the accreditation with its incentives.
"""

import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from servicios.models import Servicio

PUNTAJE_TOTAL_MODELO = 500
# The seed's levels (slide 17): the validated score each one needs.
UMBRAL_CALIDAD = 200
UMBRAL_AVANZADO = 300
UMBRAL_EXCELENCIA = 400
CODIGO_TIPO_GORE = "gobierno-regional"


class ModeloGestion(models.Model):
    """The management model of one year (or version): 8 criteria adding up to 500 points."""

    anio = models.PositiveSmallIntegerField("año", unique=True)
    nombre = models.CharField(max_length=200, default="Modelo de Gestión del Gobierno Regional")
    escala_maxima = models.PositiveSmallIntegerField(
        "nivel máximo de la escala",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="Cada elemento se califica de 0 a este nivel; el puntaje del elemento es "
        "nivel ÷ nivel máximo × su puntaje máximo.",
    )
    escala_descripcion = models.TextField(
        "descripción de la escala",
        blank=True,
        help_text="Qué significa cada nivel de la escala, tal como se entrega a los GORE.",
    )
    fuente = models.CharField(
        max_length=300, default="Resolución Exenta SUBDERE Nº 1130/2009 de 21/08/2009"
    )
    es_activo = models.BooleanField(
        "activo",
        default=False,
        help_text="Solo un modelo activo admite autoevaluaciones; se activa desde su acción "
        "«Activar», que exige que los criterios sumen 500 puntos.",
    )
    creado = models.DateTimeField(auto_now_add=True)
    actualizado = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-anio"]
        verbose_name = "modelo de gestión"
        verbose_name_plural = "modelos de gestión"

    def __str__(self) -> str:
        return f"{self.nombre} {self.anio}"


class Criterio(models.Model):
    """One of the model's criteria with its maximum score (seed slide 16, where it gives one)."""

    modelo = models.ForeignKey(ModeloGestion, on_delete=models.CASCADE, related_name="criterios")
    numero = models.PositiveSmallIntegerField("número")
    nombre = models.CharField(max_length=200)
    puntaje_maximo = models.PositiveSmallIntegerField("puntaje máximo")
    es_supuesto = models.BooleanField(
        "puntaje supuesto",
        default=False,
        help_text="Marcado: la fuente no da este puntaje y el valor es un supuesto a confirmar.",
    )
    fuente = models.CharField(
        max_length=300,
        blank=True,
        help_text="De dónde sale el puntaje, o por qué se supuso.",
    )

    class Meta:
        ordering = ["modelo", "numero"]
        verbose_name = "criterio"
        verbose_name_plural = "criterios"
        constraints = [
            models.UniqueConstraint(fields=["modelo", "numero"], name="criterio_numero_unico"),
            models.CheckConstraint(
                condition=Q(puntaje_maximo__lte=PUNTAJE_TOTAL_MODELO),
                name="criterio_puntaje_en_rango",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.numero}. {self.nombre}"

    def clean(self) -> None:
        # An active model's points are what autoevaluaciones were scored against.
        if self.modelo_id and self.modelo.es_activo:
            raise ValidationError(
                "El modelo ya está activo: sus criterios no se modifican. Cree el modelo de "
                "otro año para cambiarlos."
            )


class Elemento(models.Model):
    """A sub-criterion, scored on the model's scale; its maximum is its share of the criterion."""

    criterio = models.ForeignKey(Criterio, on_delete=models.CASCADE, related_name="elementos")
    numero = models.PositiveSmallIntegerField("número")
    nombre = models.CharField(max_length=300)
    descripcion = models.TextField("descripción", blank=True)
    puntaje_maximo = models.DecimalField(
        "puntaje máximo",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        ordering = ["criterio__numero", "numero"]
        verbose_name = "elemento"
        verbose_name_plural = "elementos"
        constraints = [
            models.UniqueConstraint(fields=["criterio", "numero"], name="elemento_numero_unico"),
            models.CheckConstraint(
                condition=Q(puntaje_maximo__gt=0), name="elemento_puntaje_positivo"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterio.numero}.{self.numero} {self.nombre}"

    @property
    def codigo(self) -> str:
        return f"{self.criterio.numero}.{self.numero}"

    def clean(self) -> None:
        if self.criterio_id and self.criterio.modelo.es_activo:
            raise ValidationError(
                "El modelo ya está activo: sus elementos no se modifican. Cree el modelo de "
                "otro año para cambiarlos."
            )


class EstadoAutoevaluacion(models.TextChoices):
    BORRADOR = "borrador", "Borrador"
    ENVIADA = "enviada", "Enviada al evaluador"
    OBSERVADA = "observada", "Observada por el evaluador"
    EVALUADA = "evaluada", "Evaluada"
    VALIDADA = "validada", "Validada por SUBDERE"


# (estado, acción) -> estado nuevo. Who may take each action: srm.permisos (autoevaluacion.*).
TRANSICIONES_AUTOEVALUACION: dict[tuple[str, str], str] = {
    (EstadoAutoevaluacion.BORRADOR, "enviar"): EstadoAutoevaluacion.ENVIADA,
    (EstadoAutoevaluacion.OBSERVADA, "enviar"): EstadoAutoevaluacion.ENVIADA,
    (EstadoAutoevaluacion.ENVIADA, "observar"): EstadoAutoevaluacion.OBSERVADA,
    (EstadoAutoevaluacion.ENVIADA, "evaluar"): EstadoAutoevaluacion.EVALUADA,
    # SUBDERE returns the evaluation to the evaluador, or validates it.
    (EstadoAutoevaluacion.EVALUADA, "devolver"): EstadoAutoevaluacion.ENVIADA,
    (EstadoAutoevaluacion.EVALUADA, "validar"): EstadoAutoevaluacion.VALIDADA,
}


class EstadoPlan(models.TextChoices):
    BORRADOR = "borrador", "Borrador"
    ENVIADO = "enviado", "Enviado a SUBDERE"
    OBSERVADO = "observado", "Observado"
    VALIDADO = "validado", "Validado"


TRANSICIONES_PLAN: dict[tuple[str, str], str] = {
    (EstadoPlan.BORRADOR, "enviar"): EstadoPlan.ENVIADO,
    (EstadoPlan.OBSERVADO, "enviar"): EstadoPlan.ENVIADO,
    (EstadoPlan.ENVIADO, "observar"): EstadoPlan.OBSERVADO,
    (EstadoPlan.ENVIADO, "validar"): EstadoPlan.VALIDADO,
}


class Autoevaluacion(models.Model):
    """A GORE's autoevaluación of one year against that year's model."""

    prefijo_accion = "autoevaluacion"
    transiciones = TRANSICIONES_AUTOEVALUACION
    ruta_servicio = "servicio"
    ruta_anio = "anio"

    servicio = models.ForeignKey(
        Servicio,
        verbose_name="gobierno regional",
        on_delete=models.PROTECT,
        related_name="autoevaluaciones",
    )
    modelo = models.ForeignKey(
        ModeloGestion, on_delete=models.PROTECT, related_name="autoevaluaciones"
    )
    anio = models.PositiveSmallIntegerField("año")
    estado = models.CharField(
        max_length=12, choices=EstadoAutoevaluacion.choices, default=EstadoAutoevaluacion.BORRADOR
    )
    ronda = models.PositiveSmallIntegerField(
        default=0, help_text="Cuántas veces se ha enviado al evaluador."
    )
    version = models.PositiveIntegerField(default=1)
    enviada_en = models.DateTimeField(null=True, blank=True)
    validada_en = models.DateTimeField(null=True, blank=True)
    puntaje_validado = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    creado = models.DateTimeField(auto_now_add=True)
    actualizado = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-anio", "servicio__region__orden"]
        verbose_name = "autoevaluación"
        verbose_name_plural = "autoevaluaciones"
        constraints = [
            models.UniqueConstraint(
                fields=["servicio", "anio"], name="autoevaluacion_unica_por_anio"
            ),
            models.CheckConstraint(
                condition=Q(puntaje_validado__isnull=True)
                | Q(puntaje_validado__gte=0, puntaje_validado__lte=PUNTAJE_TOTAL_MODELO),
                name="autoevaluacion_puntaje_en_rango",
            ),
        ]

    def __str__(self) -> str:
        return f"Autoevaluación {self.anio} · {self.servicio}"

    def acciones_posibles(self) -> list[str]:
        return [accion for (desde, accion) in self.transiciones if desde == self.estado]

    @property
    def es_editable(self) -> bool:
        return self.estado in (EstadoAutoevaluacion.BORRADOR, EstadoAutoevaluacion.OBSERVADA)

    @property
    def es_evaluable(self) -> bool:
        return self.estado == EstadoAutoevaluacion.ENVIADA


class RespuestaElemento(models.Model):
    """The GORE's answer on one element, the level it proposes and the evaluador's level."""

    ruta_servicio = "autoevaluacion__servicio"
    ruta_anio = "autoevaluacion__anio"

    autoevaluacion = models.ForeignKey(
        Autoevaluacion, on_delete=models.CASCADE, related_name="respuestas"
    )
    elemento = models.ForeignKey(Elemento, on_delete=models.PROTECT, related_name="respuestas")
    texto = models.TextField(
        blank=True, help_text="Cómo aborda el GORE este elemento: enfoque, despliegue y resultados."
    )
    nivel_propuesto = models.PositiveSmallIntegerField("nivel propuesto", null=True, blank=True)
    nivel_evaluado = models.PositiveSmallIntegerField("nivel evaluado", null=True, blank=True)
    # Points of each level, written with it (calidad.puntajes), so totals are a database Sum.
    puntaje_propuesto = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    puntaje_evaluado = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    observacion = models.TextField(
        "observación del evaluador", blank=True, help_text="Lo que falta para un nivel mayor."
    )
    actualizado = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["elemento__criterio__numero", "elemento__numero"]
        verbose_name = "respuesta de un elemento"
        verbose_name_plural = "respuestas de los elementos"
        constraints = [
            models.UniqueConstraint(
                fields=["autoevaluacion", "elemento"], name="respuesta_unica_por_elemento"
            ),
            models.CheckConstraint(
                condition=Q(nivel_propuesto__isnull=True) | Q(nivel_propuesto__lte=10),
                name="respuesta_nivel_propuesto_en_rango",
            ),
            models.CheckConstraint(
                condition=Q(nivel_evaluado__isnull=True) | Q(nivel_evaluado__lte=10),
                name="respuesta_nivel_evaluado_en_rango",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.elemento} · {self.autoevaluacion}"


class ObservacionCalidad(models.Model):
    """A remark of the evaluador (or SUBDERE) on an autoevaluación or a plan, by round."""

    ruta_servicio = "autoevaluacion__servicio"
    ruta_anio = "autoevaluacion__anio"

    autoevaluacion = models.ForeignKey(
        Autoevaluacion, on_delete=models.CASCADE, related_name="observaciones"
    )
    es_del_plan = models.BooleanField("sobre el plan de mejoras", default=False)
    ronda = models.PositiveSmallIntegerField()
    texto = models.TextField()
    autor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    creado = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ronda", "creado"]
        verbose_name = "observación de calidad"
        verbose_name_plural = "observaciones de calidad"

    def __str__(self) -> str:
        return f"Ronda {self.ronda}: {self.texto[:60]}"


class PlanMejoras(models.Model):
    """The GORE's Plan de Mejoras, built from the gaps of its autoevaluación."""

    prefijo_accion = "plan"
    transiciones = TRANSICIONES_PLAN
    ruta_servicio = "autoevaluacion__servicio"
    ruta_anio = "autoevaluacion__anio"

    autoevaluacion = models.OneToOneField(
        Autoevaluacion, on_delete=models.PROTECT, related_name="plan"
    )
    estado = models.CharField(
        max_length=12, choices=EstadoPlan.choices, default=EstadoPlan.BORRADOR
    )
    ronda = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    metodologia_general = models.TextField("metodología general", blank=True)
    meta_puntaje = models.PositiveSmallIntegerField(
        "puntaje meta", default=UMBRAL_AVANZADO, help_text="El seed pide medidas para llegar a 300."
    )
    validado_en = models.DateTimeField(null=True, blank=True)
    creado = models.DateTimeField(auto_now_add=True)
    actualizado = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "plan de mejoras"
        verbose_name_plural = "planes de mejoras"

    def __str__(self) -> str:
        return f"Plan de Mejoras {self.autoevaluacion.anio} · {self.autoevaluacion.servicio}"

    def acciones_posibles(self) -> list[str]:
        return [accion for (desde, accion) in self.transiciones if desde == self.estado]

    @property
    def es_editable(self) -> bool:
        return self.estado in (EstadoPlan.BORRADOR, EstadoPlan.OBSERVADO)


class MedidaMejora(models.Model):
    """One measure of the plan, aimed at a gap (an element), with its expected points."""

    class Tipo(models.TextChoices):
        INMEDIATA = "inmediata", "Medida inmediata"
        MEDIANO = "mediano", "Plan de acción a mediano plazo"
        LARGO = "largo", "Plan de acción a largo plazo"

    ruta_servicio = "plan__autoevaluacion__servicio"
    ruta_anio = "plan__autoevaluacion__anio"

    plan = models.ForeignKey(PlanMejoras, on_delete=models.CASCADE, related_name="medidas")
    elemento = models.ForeignKey(
        Elemento,
        on_delete=models.PROTECT,
        related_name="medidas",
        help_text="La brecha que la medida cierra.",
    )
    descripcion = models.TextField("medida")
    tipo = models.CharField(max_length=10, choices=Tipo.choices)
    responsable = models.CharField(max_length=200)
    plazo = models.DateField()
    costo = models.PositiveBigIntegerField("costo estimado (pesos)", default=0)
    metodologia = models.TextField("metodología", blank=True)
    puntaje_esperado = models.DecimalField(
        "puntaje esperado",
        max_digits=5,
        decimal_places=2,
        help_text="Puntos que la medida suma al elemento si se cumple.",
    )
    avance = models.PositiveSmallIntegerField(
        "avance (%)", default=0, validators=[MaxValueValidator(100)]
    )
    avance_comentario = models.TextField("comentario del avance", blank=True)
    creado = models.DateTimeField(auto_now_add=True)
    actualizado = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "plazo", "pk"]
        verbose_name = "medida de mejora"
        verbose_name_plural = "medidas de mejora"
        constraints = [
            models.CheckConstraint(condition=Q(avance__lte=100), name="medida_avance_en_rango"),
            models.CheckConstraint(
                condition=Q(puntaje_esperado__gte=0), name="medida_puntaje_no_negativo"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()}: {self.descripcion[:60]}"


def ruta_medio_calidad(instance: "MedioCalidad", filename: str) -> str:
    """Generated storage name; the original name is kept in a field, never used on disk."""
    extension = PurePath(filename).suffix.lower()[:10]
    return f"calidad/servicio/{instance.servicio_id}/{uuid.uuid4().hex}{extension}"


class MedioCalidad(models.Model):
    """Evidence of an element's answer or of a measure's progress. Never overwritten."""

    ruta_servicio = "servicio"
    ruta_anio = "anio"

    # Denormalised from the answer or measure, so the door scopes a file in one join.
    servicio = models.ForeignKey(Servicio, on_delete=models.PROTECT, related_name="+")
    anio = models.PositiveSmallIntegerField("año")
    respuesta = models.ForeignKey(
        RespuestaElemento, on_delete=models.PROTECT, null=True, blank=True, related_name="medios"
    )
    medida = models.ForeignKey(
        MedidaMejora, on_delete=models.PROTECT, null=True, blank=True, related_name="medios"
    )
    archivo = models.FileField(upload_to=ruta_medio_calidad, max_length=200)
    nombre_original = models.CharField(max_length=255)
    tamano = models.PositiveBigIntegerField("tamaño")
    sha256 = models.CharField(max_length=64)
    subido_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    creado = models.DateTimeField(auto_now_add=True)
    # Version chain: a new version points to the file it replaces, which stays stored.
    reemplaza = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reemplazado_por"
    )
    # Withdrawn (never deleted): who and when are recorded; the row and the file are kept.
    eliminado_en = models.DateTimeField(null=True, blank=True, editable=False)
    eliminado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["creado"]
        verbose_name = "medio de verificación de calidad"
        verbose_name_plural = "medios de verificación de calidad"
        constraints = [
            models.CheckConstraint(
                condition=Q(respuesta__isnull=False, medida__isnull=True)
                | Q(respuesta__isnull=True, medida__isnull=False),
                name="medio_calidad_de_respuesta_o_medida",
            ),
            models.CheckConstraint(
                condition=Q(eliminado_en__isnull=True, eliminado_por__isnull=True)
                | Q(eliminado_en__isnull=False, eliminado_por__isnull=False),
                name="medio_calidad_eliminacion_registrada",
            ),
            models.CheckConstraint(
                condition=~Q(reemplaza=models.F("pk")),
                name="medio_calidad_no_se_reemplaza_a_si_mismo",
            ),
        ]

    def __str__(self) -> str:
        return self.nombre_original


class NivelAcreditacion(models.TextChoices):
    CALIDAD = "calidad", "Nivel Calidad"
    AVANZADO = "avanzado", "Nivel Calidad Avanzado"
    EXCELENCIA = "excelencia", "Nivel Excelencia"


class Acreditacion(models.Model):
    """The accreditation granted to a GORE on a validated autoevaluación."""

    ruta_servicio = "servicio"
    ruta_anio = "anio"

    servicio = models.ForeignKey(
        Servicio, on_delete=models.PROTECT, related_name="acreditaciones_calidad"
    )
    anio = models.PositiveSmallIntegerField("año")
    autoevaluacion = models.OneToOneField(
        Autoevaluacion, on_delete=models.PROTECT, related_name="acreditacion"
    )
    nivel = models.CharField(max_length=12, choices=NivelAcreditacion.choices)
    puntaje = models.DecimalField(max_digits=6, decimal_places=2)
    fecha = models.DateField()
    resolucion = models.CharField("resolución", max_length=200)
    registrada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    creado = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-anio", "servicio__region__orden"]
        verbose_name = "acreditación"
        verbose_name_plural = "acreditaciones"
        constraints = [
            models.UniqueConstraint(fields=["servicio", "anio"], name="acreditacion_unica_por_anio")
        ]

    def __str__(self) -> str:
        return f"{self.get_nivel_display()} {self.anio} · {self.servicio}"


class Incentivo(models.Model):
    """An incentive granted for an accreditation (seed slide 12, objective 4)."""

    class Tipo(models.TextChoices):
        FORTALECIMIENTO = "fortalecimiento", "Recursos para fortalecimiento"
        PMG = "pmg", "PMG"
        COMPETENCIAS = "competencias", "Mayores competencias"
        FLEXIBILIDAD = "flexibilidad", "Flexibilidad presupuestaria"

    ruta_servicio = "acreditacion__servicio"
    ruta_anio = "acreditacion__anio"

    acreditacion = models.ForeignKey(
        Acreditacion, on_delete=models.CASCADE, related_name="incentivos"
    )
    tipo = models.CharField(max_length=16, choices=Tipo.choices)
    descripcion = models.CharField("descripción", max_length=300)
    monto = models.PositiveBigIntegerField("monto (pesos)", null=True, blank=True)
    fecha = models.DateField()
    creado = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["fecha", "pk"]
        verbose_name = "incentivo"
        verbose_name_plural = "incentivos"

    def __str__(self) -> str:
        return f"{self.get_tipo_display()}: {self.descripcion}"
