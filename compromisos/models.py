"""What each servicio commits for a year and how it reports on it."""

import re
import uuid
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone

from formularios.models import Llenado, Plantilla, Pregunta
from programa.models import EtapaSistema, Prioridad, RequisitoTecnico, SistemaPMG
from servicios.models import Region, Servicio, TipoServicio
from srm import catalogo, formato

CIEN = Decimal("100.00")


class EstadoRevision(models.TextChoices):
    """The review loop shared by the formulación and every informe (see TRANSICIONES)."""

    BORRADOR = "borrador", "Borrador"
    ENVIADO = "enviado", "Enviado"
    EN_REVISION = "en_revision", "En revisión"
    OBSERVADO = "observado", "Observado"
    APROBADO = "aprobado", "Aprobado"
    # A deliverable whose kind is certified (TipoEntregable.con_certificacion): the analyst's
    # decision is the certification's result instead of an approval.
    CERTIFICADO = "certificado", "Certificado"
    NO_CERTIFICADO = "no_certificado", "No certificado"
    # A deliverable whose kind SUBDERE does not review (revisado_por_subdere False, e.g. 2007's
    # informes de seguimiento internos): once sent it is on record, and nobody has to act on it.
    RECIBIDO = "recibido", "Recibido"


# The one transition table: (estado actual, acción) -> estado nuevo. Who may take each action
# is decided in srm.permisos; compromisos.services.documento_transicionar applies it.
TRANSICIONES: dict[tuple[str, str], str] = {
    (EstadoRevision.BORRADOR, "enviar"): EstadoRevision.ENVIADO,
    (EstadoRevision.OBSERVADO, "enviar"): EstadoRevision.ENVIADO,
    (EstadoRevision.ENVIADO, "tomar"): EstadoRevision.EN_REVISION,
    (EstadoRevision.EN_REVISION, "observar"): EstadoRevision.OBSERVADO,
    (EstadoRevision.EN_REVISION, "aprobar"): EstadoRevision.APROBADO,
    (EstadoRevision.APROBADO, "reabrir"): EstadoRevision.OBSERVADO,
    (EstadoRevision.EN_REVISION, "certificar"): EstadoRevision.CERTIFICADO,
    (EstadoRevision.EN_REVISION, "no_certificar"): EstadoRevision.NO_CERTIFICADO,
    (EstadoRevision.CERTIFICADO, "reabrir"): EstadoRevision.OBSERVADO,
    (EstadoRevision.NO_CERTIFICADO, "reabrir"): EstadoRevision.OBSERVADO,
    (EstadoRevision.BORRADOR, "entregar"): EstadoRevision.RECIBIDO,
    (EstadoRevision.OBSERVADO, "entregar"): EstadoRevision.RECIBIDO,
    (EstadoRevision.RECIBIDO, "reabrir"): EstadoRevision.OBSERVADO,
}


class Modalidad(models.TextChoices):
    """How a document goes through the table: which of its actions its kind uses."""

    REVISION = "revision", "Revisión SUBDERE"
    CERTIFICACION = "certificacion", "Certificación"
    RECEPCION = "recepcion", "Sólo recepción"


ACCIONES_DE_MODALIDAD: dict[str, frozenset[str]] = {
    Modalidad.REVISION: frozenset({"enviar", "tomar", "observar", "aprobar", "reabrir"}),
    # The analyst's decision is the certification's result, never a plain approval.
    Modalidad.CERTIFICACION: frozenset(
        {"enviar", "tomar", "observar", "certificar", "no_certificar", "reabrir"}
    ),
    # Sent and on record at once: no queue, no review, no decision (an admin may reopen it).
    Modalidad.RECEPCION: frozenset({"entregar", "reabrir"}),
}

# The states a formulación can take (it is always reviewed and approved).
ESTADOS_FORMULACION = [
    EstadoRevision.BORRADOR,
    EstadoRevision.ENVIADO,
    EstadoRevision.EN_REVISION,
    EstadoRevision.OBSERVADO,
    EstadoRevision.APROBADO,
]
# Where a deliverable's review ended well: counts wherever approved informes count.
ESTADOS_APROBADOS = (EstadoRevision.APROBADO, EstadoRevision.CERTIFICADO)
# SUBDERE's decisions that close a review (pending observaciones are closed with a reason).
ACCIONES_DE_DECISION = ("aprobar", "certificar", "no_certificar")


class DocumentoEnRevision(models.Model):
    """What the formulación and the informes share: a state on the transition table."""

    # The prefix of the permission door's actions on this kind of document ("informe.enviar").
    prefijo_accion: str

    class Meta:
        abstract = True

    @property
    def modalidad(self) -> str:
        return Modalidad.REVISION

    def acciones_posibles(self) -> list[str]:
        """The transitions the table allows from the current state, whoever takes them."""
        propias = ACCIONES_DE_MODALIDAD[self.modalidad]
        return [
            accion for (desde, accion) in TRANSICIONES if desde == self.estado and accion in propias
        ]


ESTADOS_EDITABLES_POR_SERVICIO = (EstadoRevision.BORRADOR, EstadoRevision.OBSERVADO)


def ruta_decreto(instance: "Proceso", filename: str) -> str:
    """Generated name: the original is kept in decreto_nombre_original, never trusted."""
    extension = PurePath(filename).suffix.lower()
    return f"programa_marco/{instance.anio}/{uuid.uuid4().hex}{extension}"


class EstadoDecreto(models.TextChoices):
    BORRADOR = "borrador", "Borrador"
    OPINION_TECNICA = "opinion_tecnica", "Opinión técnica SUBDERE"
    TRAMITADO = "tramitado", "Tramitado"


class Proceso(models.Model):
    """The PMG cycle of one year (PMG Descentralización; in 2007, PMG Gestión Territorial)."""

    anio = models.PositiveSmallIntegerField("año", unique=True)
    programa = models.CharField(
        "programa",
        max_length=100,
        default="PMG Descentralización",
        db_default="PMG Descentralización",
        help_text="Nombre del programa en ese año (en 2007, «PMG Gestión Territorial»).",
    )
    decreto_programa_marco = models.CharField(
        "decreto programa marco",
        max_length=200,
        blank=True,
        help_text="Decreto exento que aprueba el Programa Marco.",
    )
    # The Decreto Exento that approves the year's programa marco (its catalogue: programa app).
    # Database defaults too: rows written by older code (or an older migration state) still fit.
    decreto_numero = models.CharField(
        "número del decreto exento", max_length=30, blank=True, db_default=""
    )
    decreto_fecha = models.DateField("fecha del decreto", null=True, blank=True)
    decreto_estado = models.CharField(
        "estado del decreto",
        max_length=20,
        choices=EstadoDecreto.choices,
        default=EstadoDecreto.BORRADOR,
        db_default=EstadoDecreto.BORRADOR,
    )
    decreto_documento = models.FileField(
        "documento del decreto",
        upload_to=ruta_decreto,
        max_length=255,
        blank=True,
        editable=False,
        db_default="",
    )
    decreto_nombre_original = models.CharField(
        max_length=255, blank=True, editable=False, db_default=""
    )
    decreto_sha256 = models.CharField(max_length=64, blank=True, editable=False, db_default="")
    descripcion = models.TextField("descripción", blank=True)
    creado = models.DateTimeField(auto_now_add=True)
    actualizado = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-anio"]
        verbose_name = "proceso anual"
        verbose_name_plural = "procesos anuales"
        constraints = [
            models.CheckConstraint(
                condition=Q(anio__gte=2000, anio__lte=2100), name="proceso_anio_valido"
            ),
            models.CheckConstraint(
                condition=Q(decreto_estado__in=["borrador", "opinion_tecnica", "tramitado"]),
                name="proceso_decreto_estado_valido",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programa} {self.anio}"


# The deliverables of the cycle SUBDERE ran until a year defines its own (issue 16): the three
# informes de avance and the informe final, keyed as InformeAvance.periodo always was.
ENTREGABLES_ESTANDAR = [
    ("avance_1", "Informe de avance 1", "avance_1"),
    ("avance_2", "Informe de avance 2", "avance_2"),
    ("avance_3", "Informe de avance 3", "avance_3"),
    ("final", "Informe final", "final"),
]


_ROMANOS = {"I": 1, "II": 2, "III": 3, "IV": 4}


class TipoEntregable(models.Model):
    """A kind of deliverable of one year: what the servicios send, on which form, and what follows.

    Its deadlines per tipo de servicio are the calendar's hitos that point at it
    (Hito.entregable). The informes of a year (InformeAvance) are each of one of these kinds;
    their `periodo` is the kind's `clave`.
    """

    proceso = models.ForeignKey(Proceso, on_delete=models.CASCADE, related_name="entregables")
    clave = models.SlugField(
        max_length=40,
        help_text="Identificador corto y estable en el año (p. ej. «avance_1», «factibilidad»).",
    )
    nombre = models.CharField(max_length=150)
    orden = models.PositiveSmallIntegerField(default=0)
    sistema = models.ForeignKey(
        SistemaPMG,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entregables",
        help_text="El sistema sobre el que informa. Vacío: la línea Descentralización del servicio.",
    )
    etapas = models.CharField(
        "etapas",
        max_length=30,
        blank=True,
        help_text="Etapas del sistema que cubre, p. ej. «1, 2, 3».",
    )
    formulario = models.ForeignKey(Plantilla, on_delete=models.PROTECT, related_name="entregables")
    revisado_por_subdere = models.BooleanField("revisado por SUBDERE", default=True)
    con_certificacion = models.BooleanField(
        "se certifica", default=False, help_text="Resultado: certificado o no certificado."
    )
    validado_por_consultora = models.BooleanField("validado por la consultora", default=False)

    class Meta:
        ordering = ["proceso", "orden", "pk"]
        verbose_name = "tipo de entregable"
        verbose_name_plural = "tipos de entregable"
        constraints = [
            models.UniqueConstraint(fields=["proceso", "clave"], name="entregable_clave_unica"),
        ]

    def __str__(self) -> str:
        return f"{self.nombre} {self.proceso.anio}"

    @property
    def numeros_de_etapa(self) -> set[int]:
        """The etapas it covers, as numbers («1, 2, 3» or «I, II, III»)."""
        numeros = set()
        for parte in re.split(r"[\s,;y]+", self.etapas.strip()):
            parte = parte.strip(" .").upper()
            if parte.isdigit():
                numeros.add(int(parte))
            elif parte in _ROMANOS:
                numeros.add(_ROMANOS[parte])
        return numeros

    def informa_sobre(self, etapa: EtapaSistema) -> bool:
        """Whether its informes report on a sistema's etapa (and so on that etapa's requisitos).

        Its sistema (blank: the servicio's Descentralización line) and its etapas (blank: every
        etapa of its sistema) say which. A kind that names neither reports on the line's etapa
        only through the per-compromiso avance (the standard cycle); a form of its own that
        names no sistema nor etapa (a seguimiento interno, a new year's survey) reports on none.
        """
        if self.sistema_id is not None and self.sistema_id != etapa.sistema_id:
            return False
        if self.etapas.strip():
            return etapa.numero in self.numeros_de_etapa
        return self.sistema_id is not None or self.formulario.por_compromiso

    @classmethod
    def estandar(cls, proceso_id: int, clave: str) -> "TipoEntregable":
        """The year's kind `clave`, created with the standard cycle's form when it is one of it.

        A year whose list an admin has not built yet has the standard cycle, as it always had.
        """
        tipos = {tipo.clave: tipo for tipo in cls.objects.filter(proceso_id=proceso_id)}
        if clave in tipos:
            return tipos[clave]
        estandar = {c: (nombre, orden) for orden, (c, nombre, _) in enumerate(ENTREGABLES_ESTANDAR)}
        if clave not in estandar:
            raise ValueError(f"El año no tiene un entregable «{clave}».")
        if not tipos:
            # A year without a list gets the whole standard cycle at once: its pages follow the
            # year's kinds, and a cycle of one informe would hide the other three.
            avance, final = plantilla_estandar(final=False), plantilla_estandar(final=True)
            cls.objects.bulk_create(
                [
                    cls(
                        proceso_id=proceso_id,
                        clave=c,
                        nombre=nombre,
                        orden=orden,
                        formulario=final if c == "final" else avance,
                    )
                    for orden, (c, nombre, _) in enumerate(ENTREGABLES_ESTANDAR, start=1)
                ],
                ignore_conflicts=True,
            )
            catalogo.invalidar()  # bulk_create sends no post_save: the year's kinds are a catalog
            return cls.objects.get(proceso_id=proceso_id, clave=clave)
        nombre, orden = estandar[clave]
        tipo, _ = cls.objects.get_or_create(
            proceso_id=proceso_id,
            clave=clave,
            defaults={
                "nombre": nombre,
                "orden": orden + 1,
                "formulario": plantilla_estandar(final=clave == "final"),
            },
        )
        return tipo


def plantilla_estandar(*, final: bool) -> Plantilla:
    """The form of today's informe: the per-compromiso block, and the final's summary."""
    if final:
        plantilla, _ = Plantilla.objects.get_or_create(
            codigo="informe-final",
            defaults={
                "nombre": "Informe final",
                "por_compromiso": True,
                "con_resumen_ejecutivo": True,
            },
        )
    else:
        plantilla, _ = Plantilla.objects.get_or_create(
            codigo="informe-avance",
            defaults={"nombre": "Informe de avance", "por_compromiso": True},
        )
    return plantilla


class Hito(models.Model):
    """A step of the year's calendar (itinerario) with its deadline."""

    class Etapa(models.TextChoices):
        PUESTA_EN_MARCHA = "puesta_en_marcha", "Puesta en marcha"
        FORMULACION = "formulacion", "Formulación / informe de factibilidad"
        PROGRAMA_TRABAJO = "programa_trabajo", "Programa de trabajo"
        AVANCE_1 = "avance_1", "Informe de avance 1"
        AVANCE_2 = "avance_2", "Informe de avance 2"
        AVANCE_3 = "avance_3", "Informe de avance 3"
        FINAL = "final", "Informe final / evaluación"
        VALIDACION = "validacion", "Validación"
        OTRO = "otro", "Otra actividad"

    proceso = models.ForeignKey(Proceso, on_delete=models.CASCADE, related_name="hitos")
    etapa = models.CharField(max_length=20, choices=Etapa.choices)
    nombre = models.CharField(max_length=250)
    fecha_inicio = models.DateField("desde", null=True, blank=True)
    fecha_limite = models.DateField("fecha límite")
    entregable = models.ForeignKey(
        TipoEntregable,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hitos",
        help_text="El entregable cuyo plazo fija este hito, para los tipos de servicio a que aplica.",
    )
    tipos_servicio = models.ManyToManyField(
        TipoServicio,
        blank=True,
        related_name="hitos",
        verbose_name="aplica a",
        help_text="Vacío: aplica a todos los tipos de servicio.",
    )

    class Meta:
        ordering = ["proceso", "fecha_limite", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fecha_inicio__isnull=True)
                | Q(fecha_inicio__lte=models.F("fecha_limite")),
                name="hito_inicio_antes_de_limite",
            ),
            models.CheckConstraint(
                condition=Q(
                    etapa__in=[
                        "puesta_en_marcha",
                        "formulacion",
                        "programa_trabajo",
                        "avance_1",
                        "avance_2",
                        "avance_3",
                        "final",
                        "validacion",
                        "otro",
                    ]
                ),
                name="hito_etapa_valida",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nombre} ({self.fecha_limite:%d-%m-%Y})"

    def clean(self) -> None:
        # A hito is the deadline of one of its own year's deliverables, never another year's.
        if not (self.entregable_id and self.proceso_id):
            return
        if self.entregable.proceso_id != self.proceso_id:
            raise ValidationError(
                {
                    "entregable": f"«{self.entregable.nombre}» es un entregable de "
                    f"{self.entregable.proceso.anio}: elija uno del año del hito."
                }
            )


class FormulacionPMG(DocumentoEnRevision):
    """A servicio's PMG formulación of a year (seed 001)."""

    # Where the permission door (srm.permisos) finds the servicio and the year of a row.
    ruta_servicio = "servicio"
    ruta_anio = "proceso__anio"
    prefijo_accion = "formulacion"

    servicio = models.ForeignKey(Servicio, on_delete=models.PROTECT, related_name="formulaciones")
    proceso = models.ForeignKey(Proceso, on_delete=models.PROTECT, related_name="formulaciones")
    estado = models.CharField(
        max_length=12,
        choices=[(e.value, e.label) for e in ESTADOS_FORMULACION],
        default=EstadoRevision.BORRADOR,
    )
    # Optimistic lock: every state change bumps it with a conditional update.
    version = models.PositiveIntegerField(default=1, editable=False)
    enviada_en = models.DateTimeField(null=True, blank=True, editable=False)
    creado = models.DateTimeField(auto_now_add=True)
    actualizado = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-proceso__anio", "servicio__nombre"]
        verbose_name = "formulación PMG"
        verbose_name_plural = "formulaciones PMG"
        constraints = [
            models.UniqueConstraint(
                fields=["servicio", "proceso"], name="formulacion_unica_por_servicio_y_anio"
            ),
            models.CheckConstraint(
                condition=Q(estado__in=ESTADOS_FORMULACION), name="formulacion_estado_valido"
            ),
        ]

    def __str__(self) -> str:
        return f"Formulación {self.proceso.anio} · {self.servicio}"

    @property
    def es_editable(self) -> bool:
        return self.estado in ESTADOS_EDITABLES_POR_SERVICIO

    def total_ponderadores(self, lineas: list["LineaFormulacion"] | None = None) -> Decimal:
        """The sum of its lines' ponderadores; with `lineas` (every line of the formulación,
        already read by the page) their sum, without a query."""
        if lineas is not None:
            return sum((linea.ponderador for linea in lineas), Decimal("0"))
        return self.lineas.aggregate(total=Sum("ponderador"))["total"] or Decimal("0")

    def validar_ponderadores(self) -> None:
        """The ponderadores of a formulación add up to exactly 100 %."""
        total = self.total_ponderadores()
        if total != CIEN:
            raise ValidationError(
                f"Los ponderadores deben sumar exactamente 100 %; suman {formato.ponderador(total)}.",
                code="ponderadores_no_suman_100",
            )


class LineaFormulacion(models.Model):
    """One sistema of the formulación with its committed etapa, priority and weight."""

    ruta_servicio = "formulacion__servicio"
    ruta_anio = "formulacion__proceso__anio"

    Prioridad = Prioridad

    formulacion = models.ForeignKey(FormulacionPMG, on_delete=models.CASCADE, related_name="lineas")
    # The sistema chosen from the year's catalogue. The texts below keep the line as the servicio
    # formulated it (copied from the catalogue when chosen); a line from before the catalogue
    # has none until `manage.py vincular_catalogo` matches it.
    sistema_catalogo = models.ForeignKey(
        SistemaPMG,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lineas",
        verbose_name="sistema del programa marco",
    )
    marco = models.CharField(max_length=100, default="Marco Básico")
    area = models.CharField("área de mejoramiento", max_length=150)
    sistema = models.CharField(max_length=200)
    etapa = models.PositiveSmallIntegerField(
        "etapa comprometida",
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text="Etapa de desarrollo o estado de avance, de I a IV.",
    )
    prioridad = models.CharField(max_length=8, choices=Prioridad.choices)
    ponderador = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(CIEN)],
        help_text="Porcentaje; la suma de la formulación es 100 %.",
    )
    orden = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["formulacion", "orden", "pk"]
        verbose_name = "línea de formulación"
        verbose_name_plural = "líneas de formulación"
        constraints = [
            models.UniqueConstraint(
                fields=["formulacion", "sistema"], name="linea_sistema_unico_por_formulacion"
            ),
            models.CheckConstraint(
                condition=Q(etapa__gte=1, etapa__lte=4), name="linea_etapa_entre_1_y_4"
            ),
            models.CheckConstraint(
                condition=Q(ponderador__gt=0, ponderador__lte=100), name="linea_ponderador_en_rango"
            ),
            models.CheckConstraint(
                condition=Q(prioridad__in=["ALTA", "MEDIANA", "MENOR"]),
                name="linea_prioridad_valida",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sistema} · etapa {self.etapa_romana} · {self.ponderador} %"

    @property
    def etapa_romana(self) -> str:
        return ROMANOS.get(self.etapa, str(self.etapa))


ROMANOS = {1: "I", 2: "II", 3: "III", 4: "IV"}


class ExencionFormulacion(models.Model):
    """A sistema exempted, or an etapa whose content is modified, with its justification."""

    ruta_servicio = "formulacion__servicio"
    ruta_anio = "formulacion__proceso__anio"

    class Tipo(models.TextChoices):
        EXIMIR = "eximir", "Eximir"
        MODIFICAR = "modificar", "Modificar"

    formulacion = models.ForeignKey(
        FormulacionPMG, on_delete=models.CASCADE, related_name="exenciones"
    )
    sistema_catalogo = models.ForeignKey(
        SistemaPMG,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exenciones",
        verbose_name="sistema del programa marco",
    )
    marco = models.CharField(max_length=100, default="Marco Básico")
    area = models.CharField("área", max_length=150)
    sistema = models.CharField(max_length=200)
    tipo = models.CharField(max_length=10, choices=Tipo.choices)
    etapa = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Etapa cuyo contenido se modifica; vacío al eximir."
    )
    justificacion = models.TextField("justificación")
    orden = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["formulacion", "orden", "pk"]
        verbose_name = "sistema eximido / modificación de etapa"
        verbose_name_plural = "sistemas eximidos / modificaciones de etapa"
        constraints = [
            models.CheckConstraint(
                condition=~Q(justificacion=""), name="exencion_justificacion_requerida"
            ),
            # Modificar names the etapa it changes; eximir covers the whole sistema.
            models.CheckConstraint(
                condition=(
                    Q(tipo="modificar", etapa__isnull=False, etapa__gte=1, etapa__lte=4)
                    | Q(tipo="eximir", etapa__isnull=True)
                ),
                name="exencion_etapa_segun_tipo",
            ),
            models.UniqueConstraint(
                fields=["formulacion", "sistema"], name="exencion_unica_por_sistema"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()} · {self.sistema}"


class Compromiso(models.Model):
    """An iniciativa (medida) of decentralisation or deconcentration committed in a formulación."""

    ruta_servicio = "formulacion__servicio"
    ruta_anio = "formulacion__proceso__anio"

    class TipoMedida(models.TextChoices):
        DESCENTRALIZACION = "descentralizacion", "Descentralización"
        DESCONCENTRACION = "desconcentracion", "Desconcentración"

    class Complejidad(models.TextChoices):
        INMEDIATA = "inmediata", "Medida inmediata"
        MEDIANA = "mediana", "Mediana complejidad"
        MAYOR = "mayor", "Mayor complejidad"

    class Ambito(models.TextChoices):
        INFRAESTRUCTURA = "infraestructura", "Infraestructura"
        FOMENTO_PRODUCTIVO = "fomento_productivo", "Fomento productivo"
        DESARROLLO_SOCIAL = "desarrollo_social", "Desarrollo social"
        INSERCION_INTERNACIONAL = "insercion_internacional", "Inserción internacional"
        CULTURA = "cultura", "Desarrollo de la cultura"
        CIENCIA_TECNOLOGIA = "ciencia_tecnologia", "Ciencia y tecnología"

    formulacion = models.ForeignKey(
        FormulacionPMG, on_delete=models.CASCADE, related_name="compromisos"
    )
    # The sistema the iniciativa serves: the formulación's Descentralización line (the one
    # SUBDERE reviews and validates), whose committed etapa brings the requisitos técnicos.
    # The formulación's lines are replaced when it is saved: services.formulacion_guardar
    # attaches the compromisos to the new line; empty only for data that has no such line
    # (`manage.py compromisos_sin_linea` lists them).
    linea = models.ForeignKey(
        LineaFormulacion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="compromisos",
        verbose_name="sistema (línea de la formulación)",
    )
    codigo = models.CharField("código", max_length=20)
    nombre = models.CharField(max_length=300)
    descripcion = models.TextField("descripción")
    tipo_medida = models.CharField("tipo de medida", max_length=20, choices=TipoMedida.choices)
    complejidad = models.CharField(max_length=10, choices=Complejidad.choices)
    ambito = models.CharField("ámbito", max_length=25, choices=Ambito.choices)
    regiones = models.ManyToManyField(
        Region, blank=True, related_name="compromisos", verbose_name="regiones involucradas"
    )
    meta = models.TextField(blank=True)
    indicador = models.CharField(max_length=300, blank=True)
    # A compromiso carried over from the previous year's formulación points to its origin.
    origen = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="continuaciones",
        verbose_name="arrastrado desde",
    )
    creado = models.DateTimeField(auto_now_add=True)
    actualizado = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["formulacion", "codigo"]
        constraints = [
            models.UniqueConstraint(
                fields=["formulacion", "codigo"], name="compromiso_codigo_unico_por_formulacion"
            ),
            models.CheckConstraint(
                condition=Q(tipo_medida__in=["descentralizacion", "desconcentracion"]),
                name="compromiso_tipo_medida_valido",
            ),
            models.CheckConstraint(
                condition=Q(complejidad__in=["inmediata", "mediana", "mayor"]),
                name="compromiso_complejidad_valida",
            ),
            models.CheckConstraint(
                condition=Q(
                    ambito__in=[
                        "infraestructura",
                        "fomento_productivo",
                        "desarrollo_social",
                        "insercion_internacional",
                        "cultura",
                        "ciencia_tecnologia",
                    ]
                ),
                name="compromiso_ambito_valido",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.codigo} · {self.nombre}"

    @property
    def es_arrastrado(self) -> bool:
        return self.origen_id is not None


class HitoCompromiso(models.Model):
    """A milestone the servicio sets for its own compromiso."""

    ruta_servicio = "compromiso__formulacion__servicio"
    ruta_anio = "compromiso__formulacion__proceso__anio"

    compromiso = models.ForeignKey(Compromiso, on_delete=models.CASCADE, related_name="hitos")
    descripcion = models.CharField("descripción", max_length=300)
    fecha_comprometida = models.DateField("fecha comprometida")
    fecha_cumplimiento = models.DateField("fecha de cumplimiento", null=True, blank=True)
    orden = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["compromiso", "fecha_comprometida", "orden"]
        verbose_name = "hito del compromiso"
        verbose_name_plural = "hitos del compromiso"

    def __str__(self) -> str:
        return f"{self.descripcion} ({self.fecha_comprometida:%d-%m-%Y})"


class TipoMedio(models.TextChoices):
    ACTA = "acta", "Acta"
    OFICIO = "oficio", "Oficio"
    CONVENIO = "convenio", "Convenio"
    INFORME = "informe", "Informe"
    FOTOGRAFIA = "fotografia", "Fotografía"
    PLANILLA = "planilla", "Planilla"
    OTRO = "otro", "Otro"


TIPOS_MEDIO = ["acta", "oficio", "convenio", "informe", "fotografia", "planilla", "otro"]


class MedioComprometido(models.Model):
    """A medio de verificación the servicio promises to deliver for a compromiso."""

    ruta_servicio = "compromiso__formulacion__servicio"
    ruta_anio = "compromiso__formulacion__proceso__anio"

    compromiso = models.ForeignKey(
        Compromiso, on_delete=models.CASCADE, related_name="medios_comprometidos"
    )
    descripcion = models.CharField("descripción", max_length=300)
    tipo = models.CharField(max_length=12, choices=TipoMedio.choices, default=TipoMedio.OTRO)
    orden = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["compromiso", "orden", "pk"]
        verbose_name = "medio comprometido"
        verbose_name_plural = "medios comprometidos"
        constraints = [
            models.CheckConstraint(
                condition=Q(tipo__in=TIPOS_MEDIO), name="medio_comprometido_tipo_valido"
            ),
        ]

    def __str__(self) -> str:
        return self.descripcion


class InformeAvance(DocumentoEnRevision):
    """One of the year's reports of a servicio: three informes de avance and the informe final."""

    ruta_servicio = "formulacion__servicio"
    ruta_anio = "formulacion__proceso__anio"
    prefijo_accion = "informe"

    class Periodo(models.TextChoices):
        AVANCE_1 = "avance_1", "Informe de avance 1"
        AVANCE_2 = "avance_2", "Informe de avance 2"
        AVANCE_3 = "avance_3", "Informe de avance 3"
        FINAL = "final", "Informe final"

    formulacion = models.ForeignKey(
        FormulacionPMG, on_delete=models.PROTECT, related_name="informes"
    )
    tipo = models.ForeignKey(
        TipoEntregable, on_delete=models.PROTECT, related_name="informes", editable=False
    )
    # The kind's clave, kept here for the many queries by periodo (one join fewer); save() keeps
    # the two in step.
    periodo = models.CharField(max_length=40)
    # The answers to the kind's form questions (none for a form with only built-in blocks).
    llenado = models.OneToOneField(
        Llenado,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="informe",
    )
    estado = models.CharField(
        max_length=16, choices=EstadoRevision.choices, default=EstadoRevision.BORRADOR
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    enviado_en = models.DateTimeField(null=True, blank=True, editable=False)
    es_atrasado = models.BooleanField("enviado fuera de plazo", default=False, editable=False)
    prorroga_hasta = models.DateField(
        "prórroga hasta",
        null=True,
        blank=True,
        help_text="Plazo especial otorgado a este servicio.",
    )
    justificacion_medios_faltantes = models.TextField(
        "justificación de medios faltantes",
        blank=True,
        help_text="Por qué no se entregan medios de verificación comprometidos en este informe.",
    )
    # Executive summary of the informe final (seed 003, objetivo 3).
    principales_logros = models.TextField("principales logros obtenidos", blank=True)
    recomendaciones_futuras = models.TextField("recomendaciones y compromisos futuros", blank=True)
    recomendaciones_subdere = models.TextField("recomendaciones a SUBDERE", blank=True)
    creado = models.DateTimeField(auto_now_add=True)
    actualizado = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["formulacion", "periodo"]
        verbose_name = "informe de avance"
        verbose_name_plural = "informes de avance"
        indexes = [
            # SUBDERE's queue: the few informes waiting (enviado, en revisión) of ten years of
            # history, longest-waiting first.
            models.Index(fields=["estado", "enviado_en", "id"], name="informe_bandeja"),
            # The same queue with every state, paged by key (srm/paginacion.py): the order
            # itself, walked from a row (or backwards, for the last page) for one page.
            models.Index(fields=["enviado_en", "id"], name="informe_espera"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["formulacion", "periodo"], name="informe_unico_por_periodo"
            ),
            models.CheckConstraint(
                condition=Q(estado__in=EstadoRevision.values), name="informe_estado_valido"
            ),
            # Only the informe final carries the executive summary.
            models.CheckConstraint(
                condition=Q(periodo="final")
                | Q(principales_logros="", recomendaciones_futuras="", recomendaciones_subdere=""),
                name="informe_resumen_solo_en_final",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_periodo_display()} {self.formulacion.proceso.anio} · {self.formulacion.servicio}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.tipo_id is None:
            self.tipo = TipoEntregable.estandar(self.formulacion.proceso_id, self.periodo)
        self.periodo = self.tipo.clave
        super().save(*args, **kwargs)

    def get_periodo_display(self) -> str:
        return _NOMBRES_ESTANDAR.get(self.periodo) or self.tipo.nombre

    @property
    def es_final(self) -> bool:
        return self.periodo == self.Periodo.FINAL

    @property
    def modalidad(self) -> str:
        """Reviewed and approved, reviewed and certified, or only received: as its kind says."""
        if not self.tipo.revisado_por_subdere:
            return Modalidad.RECEPCION
        if self.tipo.con_certificacion:
            return Modalidad.CERTIFICACION
        return Modalidad.REVISION

    @property
    def es_editable(self) -> bool:
        return self.estado in ESTADOS_EDITABLES_POR_SERVICIO

    @property
    def retira_archivos(self) -> bool:
        """Only a draft's files are withdrawn: once sent, a file is replaced by a new version."""
        return self.estado == EstadoRevision.BORRADOR


_NOMBRES_ESTANDAR = dict(InformeAvance.Periodo.choices)


# What the servicio writes in an informe: per compromiso, and the final's executive summary.
CAMPOS_AVANCE = ["porcentaje", "desarrollo_alcanzado", "dificultades", "proximos_pasos"]
CAMPOS_RESUMEN = ["principales_logros", "recomendaciones_futuras", "recomendaciones_subdere"]


class AvanceCompromiso(models.Model):
    """What an informe reports for one compromiso."""

    ruta_servicio = "informe__formulacion__servicio"
    ruta_anio = "informe__formulacion__proceso__anio"

    informe = models.ForeignKey(InformeAvance, on_delete=models.CASCADE, related_name="avances")
    compromiso = models.ForeignKey(Compromiso, on_delete=models.PROTECT, related_name="avances")
    porcentaje = models.PositiveSmallIntegerField(
        "porcentaje de avance", default=0, validators=[MaxValueValidator(100)]
    )
    desarrollo_alcanzado = models.TextField("desarrollo alcanzado", blank=True)
    dificultades = models.TextField(blank=True)
    proximos_pasos = models.TextField("próximos pasos", blank=True)
    actualizado = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["informe", "compromiso__codigo"]
        verbose_name = "avance de compromiso"
        verbose_name_plural = "avances de compromisos"
        constraints = [
            models.UniqueConstraint(
                fields=["informe", "compromiso"], name="avance_unico_por_informe_y_compromiso"
            ),
            models.CheckConstraint(
                condition=Q(porcentaje__lte=100), name="avance_porcentaje_hasta_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.compromiso.codigo}: {self.porcentaje} %"

    def clean(self) -> None:
        # A database constraint cannot compare across the two foreign keys.
        if (
            self.informe_id
            and self.compromiso_id
            and self.compromiso.formulacion_id != self.informe.formulacion_id
        ):
            raise ValidationError("El compromiso no pertenece a la formulación de este informe.")


# Extensions a browser may show inline, with the Content-Type to send them with.
TIPOS_VISTA_PREVIA = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}


def ruta_medio(instance: "MedioVerificacion", filename: str) -> str:
    """Generated storage name; the original name is kept in a field, never used on disk."""
    extension = PurePath(filename).suffix.lower()[:10]
    servicio_id = instance.informe.formulacion.servicio_id
    return f"medios/servicio/{servicio_id}/{uuid.uuid4().hex}{extension}"


class MedioVerificacion(models.Model):
    """An evidence file of an informe, attached to one of its compromisos (`avance`) or to one
    question of its form (`pregunta`). Never overwritten."""

    ruta_servicio = "informe__formulacion__servicio"
    ruta_anio = "informe__formulacion__proceso__anio"

    # Every file belongs to an informe (the door's one path to its servicio and year); for a
    # compromiso's file it is the avance's informe (save() fills it in).
    informe = models.ForeignKey(InformeAvance, on_delete=models.PROTECT, related_name="medios")
    avance = models.ForeignKey(
        AvanceCompromiso,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="medios",
    )
    pregunta = models.ForeignKey(
        Pregunta,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="medios",
        help_text="Pregunta del formulario que este archivo respalda.",
    )
    medio_comprometido = models.ForeignKey(
        MedioComprometido,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="medios",
        help_text="Medio prometido que este archivo acredita, si corresponde.",
    )
    archivo = models.FileField(upload_to=ruta_medio, max_length=255)
    nombre_original = models.CharField("nombre original", max_length=255)
    descripcion = models.CharField("descripción", max_length=500, blank=True)
    tipo = models.CharField(max_length=12, choices=TipoMedio.choices, default=TipoMedio.OTRO)
    tamano = models.PositiveBigIntegerField("tamaño (bytes)")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    # Set on upload (compromisos.validators.csv_con_formulas); the review page warns about it.
    tiene_formulas = models.BooleanField(
        "tiene celdas que una planilla ejecutaría", default=False, editable=False
    )
    subido_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="medios_subidos"
    )
    subido_en = models.DateTimeField(auto_now_add=True)
    # Version chain: a replacement points to the file it replaces, which stays stored.
    reemplaza = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reemplazado_por"
    )
    # Deletion (only while the informe is a draft) is recorded, the row and the file are kept.
    eliminado_en = models.DateTimeField(null=True, blank=True, editable=False)
    eliminado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="medios_eliminados",
    )

    class Meta:
        ordering = ["avance", "subido_en", "pk"]
        verbose_name = "medio de verificación"
        verbose_name_plural = "medios de verificación"
        constraints = [
            # The same content is stored once per compromiso and informe.
            models.UniqueConstraint(
                fields=["avance", "sha256"],
                condition=Q(eliminado_en__isnull=True),
                name="medio_contenido_unico_por_avance",
            ),
            models.UniqueConstraint(
                fields=["informe", "pregunta", "sha256"],
                condition=Q(eliminado_en__isnull=True, pregunta__isnull=False),
                name="medio_contenido_unico_por_pregunta",
            ),
            # A file supports either a compromiso's progress or a question of the form.
            models.CheckConstraint(
                condition=Q(avance__isnull=False, pregunta__isnull=True)
                | Q(avance__isnull=True, pregunta__isnull=False),
                name="medio_de_avance_o_de_pregunta",
            ),
            models.CheckConstraint(condition=Q(tamano__gt=0), name="medio_no_vacio"),
            models.CheckConstraint(condition=Q(tipo__in=TIPOS_MEDIO), name="medio_tipo_valido"),
            models.CheckConstraint(
                condition=~Q(nombre_original=""), name="medio_nombre_original_requerido"
            ),
            models.CheckConstraint(
                condition=Q(eliminado_en__isnull=True, eliminado_por__isnull=True)
                | Q(eliminado_en__isnull=False, eliminado_por__isnull=False),
                name="medio_eliminacion_registrada",
            ),
            models.CheckConstraint(
                condition=~Q(reemplaza=models.F("pk")), name="medio_no_se_reemplaza_a_si_mismo"
            ),
        ]

    def __str__(self) -> str:
        return self.nombre_original

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.informe_id is None and self.avance_id is not None:
            self.informe_id = self.avance.informe_id
        super().save(*args, **kwargs)

    @property
    def extension(self) -> str:
        return PurePath(self.archivo.name).suffix.lower().lstrip(".")

    @property
    def permite_vista_previa(self) -> bool:
        """Images and PDFs can be shown in the browser; everything else is only downloaded."""
        return self.extension in TIPOS_VISTA_PREVIA


class VinculoRequisito(models.Model):
    """A file the servicio offers, in one informe, as support of a requisito técnico of the
    etapa its Descentralización line commits (the checklist of the informe)."""

    ruta_servicio = "informe__formulacion__servicio"
    ruta_anio = "informe__formulacion__proceso__anio"

    informe = models.ForeignKey(
        InformeAvance, on_delete=models.CASCADE, related_name="vinculos_requisito"
    )
    requisito = models.ForeignKey(
        RequisitoTecnico, on_delete=models.PROTECT, related_name="vinculos"
    )
    medio = models.ForeignKey(
        MedioVerificacion, on_delete=models.PROTECT, related_name="vinculos_requisito"
    )
    vinculado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    vinculado_en = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["informe", "requisito", "medio"]
        verbose_name = "medio vinculado a un requisito técnico"
        verbose_name_plural = "medios vinculados a requisitos técnicos"
        constraints = [
            models.UniqueConstraint(
                fields=["informe", "requisito", "medio"], name="vinculo_requisito_unico"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requisito} ← {self.medio}"


class Instantanea(models.Model):
    """What an informe said at a moment that matters: each submission, and its approval.

    The content (texts and the SHA-256 of every current file) is frozen here, so a later
    change can be shown as a difference and nothing can silently change what was approved.
    """

    class Motivo(models.TextChoices):
        ENVIO = "envio", "Envío"
        APROBACION = "aprobacion", "Aprobación"
        CERTIFICACION = "certificacion", "Resultado de la certificación"

    ruta_servicio = "informe__formulacion__servicio"
    ruta_anio = "informe__formulacion__proceso__anio"

    informe = models.ForeignKey(
        InformeAvance, on_delete=models.PROTECT, related_name="instantaneas"
    )
    ronda = models.PositiveSmallIntegerField()
    motivo = models.CharField(max_length=14, choices=Motivo.choices)
    contenido = models.JSONField()
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    momento = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["informe", "momento", "pk"]
        verbose_name = "instantánea de informe"
        verbose_name_plural = "instantáneas de informes"
        constraints = [
            models.UniqueConstraint(
                fields=["informe", "ronda", "motivo"], name="instantanea_unica_por_ronda"
            ),
            models.CheckConstraint(
                condition=models.Q(motivo__in=["envio", "aprobacion", "certificacion"]),
                name="instantanea_motivo_valido",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_motivo_display()} ronda {self.ronda} · {self.informe}"
