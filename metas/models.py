"""The División de Desarrollo Regional's own metas: its structure, indicators and measurements.

Seed 000: the Unidad de Monitoreo y Mejoramiento de la Gestión follows the metas of the
División's units, reports them to the jefes de departamento and supports the jefatura. The
permission door (srm.permisos) scopes these rows by their unit: each model declares
`ruta_unidad` (a lookup path to the Unidad, "pk" on Unidad itself) and `ruta_anio`.
"""

import calendar
import datetime
import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q


class Departamento(models.Model):
    """A department of the División, headed by its jefe de departamento."""

    ruta_unidad = "unidades"
    ruta_anio = None

    nombre = models.CharField(max_length=200, unique=True)
    sigla = models.CharField(max_length=20, blank=True)
    jefe = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departamentos_a_cargo",
        verbose_name="jefe de departamento",
    )
    es_supuesto = models.BooleanField(
        "supuesto por la demo",
        default=False,
        help_text="Marcado cuando el nombre no viene de un documento de la División: un "
        "administrador debe confirmarlo.",
    )

    class Meta:
        ordering = ["nombre"]
        verbose_name = "departamento"
        verbose_name_plural = "departamentos"

    def __str__(self) -> str:
        return self.nombre


class Unidad(models.Model):
    """A unit of a department; its jefe and integrantes report its measurements."""

    ruta_unidad = "pk"
    ruta_anio = None

    departamento = models.ForeignKey(
        Departamento, on_delete=models.PROTECT, related_name="unidades"
    )
    nombre = models.CharField(max_length=200, unique=True)
    sigla = models.CharField(max_length=20, blank=True)
    jefe = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unidades_a_cargo",
        verbose_name="jefe de unidad",
    )
    integrantes = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="unidades",
        help_text="Personas que reportan las mediciones de la unidad, además de su jefe.",
    )
    es_supuesto = models.BooleanField(
        "supuesta por la demo",
        default=False,
        help_text="Marcada cuando el nombre no viene de un documento de la División.",
    )

    class Meta:
        ordering = ["departamento__nombre", "nombre"]
        verbose_name = "unidad"
        verbose_name_plural = "unidades"

    def __str__(self) -> str:
        return self.nombre


class MetaAnual(models.Model):
    """What a unit commits for a year (e.g. from its convenio de desempeño colectivo)."""

    ruta_unidad = "unidad"
    ruta_anio = "anio"

    unidad = models.ForeignKey(Unidad, on_delete=models.PROTECT, related_name="metas")
    anio = models.PositiveSmallIntegerField("año")
    nombre = models.CharField(max_length=300)
    origen = models.CharField(
        max_length=200,
        blank=True,
        help_text="De dónde viene la meta: convenio de desempeño colectivo, plan de la División…",
    )
    creado = models.DateTimeField(auto_now_add=True)
    actualizado = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unidad", "anio", "nombre"]
        verbose_name = "meta"
        verbose_name_plural = "metas"
        constraints = [
            models.UniqueConstraint(
                fields=["unidad", "anio", "nombre"], name="meta_unica_por_unidad_y_anio"
            ),
            models.CheckConstraint(
                condition=Q(anio__gte=2000, anio__lte=2100), name="meta_anio_valido"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nombre} ({self.anio})"


class Periodicidad(models.TextChoices):
    MENSUAL = "mensual", "Mensual"
    TRIMESTRAL = "trimestral", "Trimestral"


PERIODOS_POR_ANIO = {Periodicidad.MENSUAL: 12, Periodicidad.TRIMESTRAL: 4}


class Semaforo(models.TextChoices):
    CUMPLIDA = "cumplida", "Cumplida"
    EN_RIESGO = "en_riesgo", "En riesgo"
    NO_CUMPLIDA = "no_cumplida", "No cumplida"
    SIN_DATOS = "sin_datos", "Sin datos"


class Indicador(models.Model):
    """How a meta is measured: a formula, a target with its tolerance, and who reports it."""

    ruta_unidad = "meta__unidad"
    ruta_anio = "meta__anio"

    class TipoFormula(models.TextChoices):
        COCIENTE = "cociente", "Numerador / denominador"
        VALOR = "valor", "Valor"

    class Sentido(models.TextChoices):
        ASCENDENTE = "ascendente", "Mayor es mejor"
        DESCENDENTE = "descendente", "Menor es mejor"

    class Acumulacion(models.TextChoices):
        SUMA = "suma", "Suma de los períodos (Σ numerador / Σ denominador)"
        ULTIMO = "ultimo", "Último período (una situación a la fecha)"

    class Fuente(models.TextChoices):
        REPORTADA = "reportada", "Reportada por la unidad"
        CALCULADA = "calculada", "Calculada por el SRM"

    meta = models.ForeignKey(MetaAnual, on_delete=models.CASCADE, related_name="indicadores")
    nombre = models.CharField(max_length=300)
    tipo_formula = models.CharField(
        "fórmula", max_length=10, choices=TipoFormula.choices, default=TipoFormula.COCIENTE
    )
    numerador = models.CharField("qué cuenta el numerador", max_length=300, blank=True)
    denominador = models.CharField("qué cuenta el denominador", max_length=300, blank=True)
    factor = models.DecimalField(
        max_digits=6,
        decimal_places=0,
        default=Decimal("100"),
        help_text="100 para un porcentaje; 1 para un promedio.",
    )
    acumulacion = models.CharField(
        "cifra del año",
        max_length=10,
        choices=Acumulacion.choices,
        default=Acumulacion.SUMA,
        help_text="Cómo se obtiene la cifra del año de un cociente; un valor usa siempre el último.",
    )
    unidad_medida = models.CharField("unidad de medida", max_length=30, default="%")
    valor_meta = models.DecimalField("meta", max_digits=12, decimal_places=2)
    tolerancia = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
        help_text="Cuánto puede apartarse de la meta y seguir «en riesgo» en vez de «no cumplida».",
    )
    sentido = models.CharField(max_length=12, choices=Sentido.choices, default=Sentido.ASCENDENTE)
    periodicidad = models.CharField(
        max_length=10, choices=Periodicidad.choices, default=Periodicidad.TRIMESTRAL
    )
    fuente = models.CharField(max_length=10, choices=Fuente.choices, default=Fuente.REPORTADA)
    fuente_detalle = models.CharField(
        "fuente de los datos", max_length=300, blank=True, help_text="Planilla, sistema, oficio…"
    )
    # For computed indicators: the key of a registered computation (metas.computos) and its
    # parameters (e.g. {"dias": 10}).
    computo = models.CharField("cálculo", max_length=60, blank=True)
    parametros = models.JSONField(default=dict, blank=True)
    responsable = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicadores_a_cargo",
        verbose_name="quién reporta",
    )
    # The last evaluation (metas.semaforo), kept so lists read one row per indicator and the
    # change to red is noticed (the alert goes out once).
    valor_actual = models.DecimalField(
        "valor acumulado", max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    proyeccion = models.DecimalField(
        "proyección al cierre del año",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    semaforo = models.CharField(
        max_length=12, choices=Semaforo.choices, default=Semaforo.SIN_DATOS, editable=False
    )
    semaforo_desde = models.DateTimeField(null=True, blank=True, editable=False)
    creado = models.DateTimeField(auto_now_add=True)
    actualizado = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meta", "nombre"]
        verbose_name = "indicador"
        verbose_name_plural = "indicadores"
        constraints = [
            models.CheckConstraint(
                condition=Q(tipo_formula__in=["cociente", "valor"]),
                name="indicador_tipo_formula_valido",
            ),
            models.CheckConstraint(
                condition=Q(periodicidad__in=["mensual", "trimestral"]),
                name="indicador_periodicidad_valida",
            ),
            models.CheckConstraint(
                condition=Q(fuente="reportada", computo="")
                | Q(fuente="calculada", tipo_formula="cociente") & ~Q(computo=""),
                name="indicador_calculado_tiene_computo",
            ),
            models.CheckConstraint(condition=Q(tolerancia__gte=0), name="indicador_tolerancia"),
            models.CheckConstraint(condition=Q(factor__gt=0), name="indicador_factor_positivo"),
        ]

    def __str__(self) -> str:
        return self.nombre

    @property
    def es_calculado(self) -> bool:
        return self.fuente == self.Fuente.CALCULADA

    @property
    def periodos(self) -> int:
        return PERIODOS_POR_ANIO[self.periodicidad]


class EstadoMedicion(models.TextChoices):
    BORRADOR = "borrador", "Borrador"
    REPORTADA = "reportada", "Reportada"
    APROBADA = "aprobada", "Aprobada"
    DEVUELTA = "devuelta", "Devuelta"


# The one transition table of a measurement: (estado, acción) -> estado nuevo. Who may take
# each action is decided in srm.permisos; metas.services.medicion_transicionar applies it.
TRANSICIONES: dict[tuple[str, str], str] = {
    (EstadoMedicion.BORRADOR, "reportar"): EstadoMedicion.REPORTADA,
    (EstadoMedicion.DEVUELTA, "reportar"): EstadoMedicion.REPORTADA,
    (EstadoMedicion.REPORTADA, "aprobar"): EstadoMedicion.APROBADA,
    (EstadoMedicion.REPORTADA, "devolver"): EstadoMedicion.DEVUELTA,
}
ETIQUETAS = {"reportar": "Reportar", "aprobar": "Aprobar", "devolver": "Devolver"}
ESTADOS_EDITABLES = (EstadoMedicion.BORRADOR, EstadoMedicion.DEVUELTA)


class Medicion(models.Model):
    """One period's measurement of an indicator: reported by the unit, or computed by the SRM."""

    ruta_unidad = "indicador__meta__unidad"
    ruta_anio = "indicador__meta__anio"
    prefijo_accion = "medicion"

    indicador = models.ForeignKey(Indicador, on_delete=models.CASCADE, related_name="mediciones")
    periodo = models.PositiveSmallIntegerField(
        help_text="Mes (1–12) o trimestre (1–4), según la periodicidad del indicador."
    )
    numerador = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    denominador = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    valor = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    comentario = models.TextField(blank=True)
    estado = models.CharField(
        max_length=10, choices=EstadoMedicion.choices, default=EstadoMedicion.BORRADOR
    )
    es_calculada = models.BooleanField(default=False, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    reportada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mediciones_reportadas",
    )
    reportada_en = models.DateTimeField(null=True, blank=True, editable=False)
    creado = models.DateTimeField(auto_now_add=True)
    actualizado = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicador", "periodo"]
        verbose_name = "medición"
        verbose_name_plural = "mediciones"
        constraints = [
            models.UniqueConstraint(
                fields=["indicador", "periodo"], name="medicion_unica_por_periodo"
            ),
            models.CheckConstraint(
                condition=Q(periodo__gte=1, periodo__lte=12), name="medicion_periodo_valido"
            ),
            models.CheckConstraint(
                condition=Q(estado__in=["borrador", "reportada", "aprobada", "devuelta"]),
                name="medicion_estado_valido",
            ),
            models.CheckConstraint(
                condition=Q(denominador__isnull=True) | Q(denominador__gte=0),
                name="medicion_denominador_no_negativo",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicador} · período {self.periodo}"

    def acciones_posibles(self) -> list[str]:
        return [accion for (desde, accion) in TRANSICIONES if desde == self.estado]

    @property
    def es_editable(self) -> bool:
        return self.estado in ESTADOS_EDITABLES and not self.es_calculada

    @property
    def resultado(self) -> Decimal | None:
        """The period's figure: the quotient times the factor, or the value."""
        if self.indicador.tipo_formula == Indicador.TipoFormula.VALOR:
            return self.valor
        if self.numerador is None or not self.denominador:
            return None
        return self.numerador / self.denominador * self.indicador.factor


def ruta_evidencia(instance: "EvidenciaMedicion", filename: str) -> str:
    """Generated storage name; the original name is kept in a field, never used on disk."""
    extension = PurePath(filename).suffix.lower()[:10]
    unidad_id = instance.medicion.indicador.meta.unidad_id
    return f"metas/unidad/{unidad_id}/{uuid.uuid4().hex}{extension}"


class EvidenciaMedicion(models.Model):
    """An evidence file of a measurement. Never overwritten: a correction adds a file."""

    ruta_unidad = "medicion__indicador__meta__unidad"
    ruta_anio = "medicion__indicador__meta__anio"

    medicion = models.ForeignKey(Medicion, on_delete=models.PROTECT, related_name="evidencias")
    archivo = models.FileField(upload_to=ruta_evidencia, max_length=255)
    nombre_original = models.CharField("nombre original", max_length=255)
    tamano = models.PositiveBigIntegerField("tamaño (bytes)")
    sha256 = models.CharField("SHA-256", max_length=64)
    subido_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evidencias_de_metas"
    )
    subido_en = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["medicion", "subido_en", "pk"]
        verbose_name = "evidencia de medición"
        verbose_name_plural = "evidencias de mediciones"
        constraints = [
            models.UniqueConstraint(
                fields=["medicion", "sha256"], name="evidencia_contenido_unico_por_medicion"
            ),
            models.CheckConstraint(condition=Q(tamano__gt=0), name="evidencia_no_vacia"),
        ]

    def __str__(self) -> str:
        return self.nombre_original


def rango_periodo(
    anio: int, periodicidad: str, periodo: int
) -> tuple[datetime.date, datetime.date]:
    """First and last day of a month (1–12) or a quarter (1–4) of the year."""
    meses = 12 // PERIODOS_POR_ANIO[periodicidad]
    primer_mes = (periodo - 1) * meses + 1
    ultimo_mes = primer_mes + meses - 1
    desde = datetime.date(anio, primer_mes, 1)
    hasta = datetime.date(anio, ultimo_mes, calendar.monthrange(anio, ultimo_mes)[1])
    return desde, hasta


def nombre_periodo(periodicidad: str, periodo: int) -> str:
    if periodicidad == Periodicidad.TRIMESTRAL:
        return f"T{periodo}"
    return MESES[periodo - 1]


MESES = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"]
