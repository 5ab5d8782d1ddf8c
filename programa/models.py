"""The PMG of each year as DIPRES frames it: the programa marco's catalogue and the universe.

A formulación chooses its sistemas from the catalogue of its year (marco → área de mejoramiento →
sistema → etapas I–IV, each etapa with its requisitos técnicos and the medios de verificación they
ask for). The universe says which servicios take part that year, which are exempt and which do
another sistema instead. Both are keyed by year, like the carteras: the yearly cycle that
formulates from them (compromisos.Proceso) sits one layer above.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from servicios.models import Servicio, TipoServicio

ROMANOS = {1: "I", 2: "II", 3: "III", 4: "IV"}

AYUDA_FUENTE = "De dónde viene este dato (documento, semilla o «completado por la Unidad»)."


class Prioridad(models.TextChoices):
    """The priority a servicio gives each committed sistema (seed 001)."""

    ALTA = "ALTA", "Alta"
    MEDIANA = "MEDIANA", "Mediana"
    MENOR = "MENOR", "Menor"


class ProgramaMarco(models.Model):
    """DIPRES's programa marco of one year and the universe of servicios that take part."""

    anio = models.PositiveSmallIntegerField("año", unique=True)
    fuente = models.TextField(
        blank=True, help_text="De dónde viene el catálogo y qué falta por completar."
    )
    ministerios_declarados = models.PositiveSmallIntegerField(
        "ministerios según la fuente",
        null=True,
        blank=True,
        help_text="Cantidad de ministerios del universo que declara la fuente (p. ej. 19 en 2011).",
    )
    fuente_universo = models.TextField("fuente del universo", blank=True)
    creado = models.DateTimeField(auto_now_add=True)
    actualizado = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-anio"]
        verbose_name = "programa marco"
        verbose_name_plural = "programas marco"
        constraints = [
            models.CheckConstraint(
                condition=Q(anio__gte=2000, anio__lte=2100), name="programa_anio_valido"
            ),
        ]

    def __str__(self) -> str:
        return f"Programa marco PMG {self.anio}"


class Marco(models.Model):
    """Marco Básico, Marco Avanzado, Marco de la Calidad."""

    programa = models.ForeignKey(ProgramaMarco, on_delete=models.CASCADE, related_name="marcos")
    nombre = models.CharField(max_length=100)
    orden = models.PositiveSmallIntegerField(default=0)
    fuente = models.CharField(max_length=300, blank=True, help_text=AYUDA_FUENTE)

    class Meta:
        ordering = ["programa", "orden", "nombre"]
        constraints = [
            models.UniqueConstraint(fields=["programa", "nombre"], name="marco_unico_por_programa")
        ]

    def __str__(self) -> str:
        return self.nombre


class AreaMejoramiento(models.Model):
    marco = models.ForeignKey(Marco, on_delete=models.CASCADE, related_name="areas")
    nombre = models.CharField(max_length=150)
    orden = models.PositiveSmallIntegerField(default=0)
    fuente = models.CharField(max_length=300, blank=True, help_text=AYUDA_FUENTE)

    class Meta:
        ordering = ["marco", "orden", "nombre"]
        verbose_name = "área de mejoramiento"
        verbose_name_plural = "áreas de mejoramiento"
        constraints = [
            models.UniqueConstraint(fields=["marco", "nombre"], name="area_unica_por_marco")
        ]

    def __str__(self) -> str:
        return f"{self.marco} · {self.nombre}"


class SistemaPMG(models.Model):
    """A sistema of the programa marco (e.g. Descentralización), chosen in a formulación."""

    area = models.ForeignKey(AreaMejoramiento, on_delete=models.CASCADE, related_name="sistemas")
    nombre = models.CharField(max_length=200)
    orden = models.PositiveSmallIntegerField(default=0)
    es_contraparte_subdere = models.BooleanField(
        "SUBDERE es contraparte técnica",
        default=False,
        help_text="El sistema que SUBDERE revisa y valida (Descentralización; antes Gestión "
        "Territorial).",
    )
    fuente = models.CharField(max_length=300, blank=True, help_text=AYUDA_FUENTE)

    class Meta:
        ordering = ["area__marco__orden", "area__orden", "orden", "nombre"]
        verbose_name = "sistema del programa marco"
        verbose_name_plural = "sistemas del programa marco"
        constraints = [
            models.UniqueConstraint(fields=["area", "nombre"], name="sistema_unico_por_area")
        ]

    def __str__(self) -> str:
        return self.nombre

    @property
    def etiqueta(self) -> str:
        """How a formulación's select names it: marco · área · sistema."""
        return f"{self.area.marco.nombre} · {self.area.nombre} · {self.nombre}"


class EtapaSistema(models.Model):
    """Etapa de desarrollo (I–IV) of a sistema."""

    sistema = models.ForeignKey(SistemaPMG, on_delete=models.CASCADE, related_name="etapas")
    numero = models.PositiveSmallIntegerField(
        "número", validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    nombre = models.CharField(max_length=200, blank=True)
    fuente = models.CharField(max_length=300, blank=True, help_text=AYUDA_FUENTE)

    class Meta:
        ordering = ["sistema", "numero"]
        verbose_name = "etapa del sistema"
        verbose_name_plural = "etapas del sistema"
        constraints = [
            models.UniqueConstraint(fields=["sistema", "numero"], name="etapa_unica_por_sistema"),
            models.CheckConstraint(
                condition=Q(numero__gte=1, numero__lte=4), name="etapa_sistema_entre_1_y_4"
            ),
        ]

    def __str__(self) -> str:
        nombre = f": {self.nombre}" if self.nombre else ""
        return f"{self.sistema} · etapa {self.romano}{nombre}"

    @property
    def romano(self) -> str:
        return ROMANOS.get(self.numero, str(self.numero))


class RequisitoTecnico(models.Model):
    """An objetivo de gestión an etapa asks for."""

    etapa = models.ForeignKey(EtapaSistema, on_delete=models.CASCADE, related_name="requisitos")
    texto = models.TextField()
    orden = models.PositiveSmallIntegerField(default=0)
    fuente = models.CharField(max_length=300, blank=True, help_text=AYUDA_FUENTE)

    class Meta:
        ordering = ["etapa", "orden", "pk"]
        verbose_name = "requisito técnico"
        verbose_name_plural = "requisitos técnicos"
        constraints = [models.CheckConstraint(condition=~Q(texto=""), name="requisito_con_texto")]

    def __str__(self) -> str:
        return self.texto[:80]


class MedioRequerido(models.Model):
    """A medio de verificación a requisito técnico asks for."""

    requisito = models.ForeignKey(RequisitoTecnico, on_delete=models.CASCADE, related_name="medios")
    descripcion = models.CharField("descripción", max_length=300)
    orden = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["requisito", "orden", "pk"]
        verbose_name = "medio de verificación requerido"
        verbose_name_plural = "medios de verificación requeridos"

    def __str__(self) -> str:
        return self.descripcion


class ReglaPrioridad(models.Model):
    """DIPRES's bounds on the ponderador of a sistema of one priority, where the year gives one."""

    programa = models.ForeignKey(ProgramaMarco, on_delete=models.CASCADE, related_name="reglas")
    prioridad = models.CharField(max_length=8, choices=Prioridad.choices)
    ponderador_minimo = models.DecimalField(
        "ponderador mínimo (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    ponderador_maximo = models.DecimalField(
        "ponderador máximo (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    fuente = models.CharField(max_length=300, blank=True, help_text=AYUDA_FUENTE)

    class Meta:
        ordering = ["programa", "prioridad"]
        verbose_name = "regla de ponderación por prioridad"
        verbose_name_plural = "reglas de ponderación por prioridad"
        constraints = [
            models.UniqueConstraint(
                fields=["programa", "prioridad"], name="regla_unica_por_prioridad"
            ),
            models.CheckConstraint(
                condition=Q(prioridad__in=["ALTA", "MEDIANA", "MENOR"]),
                name="regla_prioridad_valida",
            ),
            models.CheckConstraint(
                condition=Q(ponderador_minimo__isnull=True)
                | Q(ponderador_maximo__isnull=True)
                | Q(ponderador_minimo__lte=models.F("ponderador_maximo")),
                name="regla_minimo_bajo_maximo",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_prioridad_display()}: {self.describir()}"

    def describir(self) -> str:
        minimo, maximo = self.ponderador_minimo, self.ponderador_maximo
        if minimo is not None and maximo is not None:
            return f"entre {minimo:.2f} % y {maximo:.2f} %"
        if minimo is not None:
            return f"al menos {minimo:.2f} %"
        if maximo is not None:
            return f"a lo más {maximo:.2f} %"
        return "sin límite"

    def admite(self, ponderador: Decimal) -> bool:
        if self.ponderador_minimo is not None and ponderador < self.ponderador_minimo:
            return False
        return self.ponderador_maximo is None or ponderador <= self.ponderador_maximo


class EstadoParticipacion(models.TextChoices):
    PARTICIPA = "participa", "Participa"
    EXIMIDO = "eximido", "Eximido"
    OTRO_SISTEMA = "otro_sistema", "En otro sistema"


class Participacion(models.Model):
    """Whether a servicio takes part in the year's PMG Descentralización, and why not."""

    ruta_servicio = "servicio"
    ruta_anio = "programa__anio"

    programa = models.ForeignKey(
        ProgramaMarco, on_delete=models.CASCADE, related_name="participaciones"
    )
    servicio = models.ForeignKey(Servicio, on_delete=models.PROTECT, related_name="participaciones")
    estado = models.CharField(
        max_length=12, choices=EstadoParticipacion.choices, default=EstadoParticipacion.PARTICIPA
    )
    otro_sistema = models.CharField(
        "sistema que cumple en su lugar",
        max_length=150,
        blank=True,
        help_text="P. ej. «PMG Gestión Territorial».",
    )
    motivo = models.TextField(blank=True)
    fuente = models.CharField(max_length=300, blank=True, help_text=AYUDA_FUENTE)
    creado = models.DateTimeField(auto_now_add=True)
    actualizado = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programa", "servicio__nombre"]
        verbose_name = "participación"
        verbose_name_plural = "universo: participación por servicio"
        constraints = [
            models.UniqueConstraint(
                fields=["programa", "servicio"], name="participacion_unica_por_anio"
            ),
            models.CheckConstraint(
                condition=Q(estado__in=["participa", "eximido", "otro_sistema"]),
                name="participacion_estado_valido",
            ),
            # Who does not take part says why; who does another sistema names it.
            models.CheckConstraint(
                condition=Q(estado="participa") | ~Q(motivo=""),
                name="participacion_motivo_si_no_participa",
            ),
            models.CheckConstraint(
                condition=~Q(estado="otro_sistema") | ~Q(otro_sistema=""),
                name="participacion_nombra_otro_sistema",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programa.anio} · {self.servicio} · {self.get_estado_display()}"


class CifraUniverso(models.Model):
    """A figure of the universe as a source declares it (seed 002: 15 gobiernos regionales…).

    The named participations may not reach it yet: the page shows both, and what is missing is
    data the Unidad completes.
    """

    programa = models.ForeignKey(ProgramaMarco, on_delete=models.CASCADE, related_name="cifras")
    tipo = models.ForeignKey(
        TipoServicio,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cifras_universo",
        help_text="Vacío para una cifra sin tipo en el registro (p. ej. las intendencias).",
    )
    descripcion = models.CharField("descripción", max_length=200)
    estado = models.CharField(
        max_length=12, choices=EstadoParticipacion.choices, default=EstadoParticipacion.PARTICIPA
    )
    cantidad = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Vacío cuando la fuente no da la cifra."
    )
    otro_sistema = models.CharField("sistema que cumple en su lugar", max_length=150, blank=True)
    fuente = models.CharField(max_length=300, blank=True, help_text=AYUDA_FUENTE)
    orden = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programa", "orden", "pk"]
        verbose_name = "cifra declarada del universo"
        verbose_name_plural = "cifras declaradas del universo"
        constraints = [
            models.CheckConstraint(
                condition=Q(estado__in=["participa", "eximido", "otro_sistema"]),
                name="cifra_estado_valido",
            ),
        ]

    def __str__(self) -> str:
        cantidad = "—" if self.cantidad is None else self.cantidad
        return f"{self.descripcion}: {cantidad} ({self.get_estado_display().lower()})"


class Regimen(models.TextChoices):
    """How the year's PMG decides whether the Descentralización sistema cumple."""

    ETAPAS = "etapas", "Sistema con etapas"
    INDICADOR = "indicador", "Indicador de descentralización"


class ReglaCumplimiento(models.Model):
    """The year's rule for the Descentralización result (issue 15, point 4), as data.

    Sistema con etapas (2011): the sistema cumple its committed etapa when at least `meta` % of
    its iniciativas cumple (100: every one). Indicador (later years, seed 000): iniciativas
    implementadas ÷ iniciativas comprometidas × 100, against the year's `meta`. Either way a
    «cumple parcialmente» is the consultora's finding, not an implemented iniciativa.
    """

    programa = models.OneToOneField(
        ProgramaMarco, on_delete=models.CASCADE, related_name="regla_cumplimiento"
    )
    regimen = models.CharField(
        "régimen", max_length=10, choices=Regimen.choices, default=Regimen.ETAPAS
    )
    meta = models.DecimalField(
        "meta (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Con etapas: porcentaje de iniciativas que deben cumplir (100 = todas). "
        "Indicador: la meta del año. Vacío: el resultado queda pendiente hasta que la Unidad "
        "la ingrese.",
    )
    fuente = models.TextField(blank=True, help_text=AYUDA_FUENTE)

    class Meta:
        verbose_name = "regla de cumplimiento"
        verbose_name_plural = "reglas de cumplimiento"
        constraints = [
            models.CheckConstraint(
                condition=Q(regimen__in=["etapas", "indicador"]), name="regla_regimen_valido"
            ),
            models.CheckConstraint(
                condition=Q(meta__isnull=True) | Q(meta__gte=0, meta__lte=100),
                name="regla_meta_en_rango",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programa.anio}: {self.get_regimen_display()}"


class TramoIncentivo(models.Model):
    """A tramo of the incentivo por desempeño institucional (Ley 19.553 art. 6), per year.

    A servicio whose weighted cumplimiento is at least `cumplimiento_minimo` gets
    `porcentaje_incentivo` (the highest tramo it reaches).
    """

    programa = models.ForeignKey(ProgramaMarco, on_delete=models.CASCADE, related_name="tramos")
    cumplimiento_minimo = models.DecimalField(
        "cumplimiento desde (%)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    porcentaje_incentivo = models.DecimalField(
        "incentivo (%)",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    fuente = models.CharField(max_length=300, blank=True, help_text=AYUDA_FUENTE)

    class Meta:
        ordering = ["programa", "-cumplimiento_minimo"]
        verbose_name = "tramo de incentivo"
        verbose_name_plural = "tramos de incentivo"
        constraints = [
            models.UniqueConstraint(
                fields=["programa", "cumplimiento_minimo"], name="tramo_unico_por_minimo"
            ),
            models.CheckConstraint(
                condition=Q(cumplimiento_minimo__gte=0, cumplimiento_minimo__lte=100),
                name="tramo_minimo_en_rango",
            ),
            models.CheckConstraint(
                condition=Q(porcentaje_incentivo__gte=0, porcentaje_incentivo__lte=100),
                name="tramo_incentivo_en_rango",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programa.anio}: desde {self.cumplimiento_minimo} % → {self.porcentaje_incentivo} %"
