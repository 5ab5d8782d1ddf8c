"""Institutional registry: regions, ministerios, servicios públicos and who works for or on them.

The registry is historical: a ministerio or servicio has a validity (vigente desde/hasta) and the
names it had before, so a year shows the State of that year (2011 without Ñuble nor SENAPRED).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class Region(models.Model):
    """One of the 16 regions of Chile, ordered north to south."""

    codigo = models.CharField(
        "código", max_length=2, unique=True, help_text="Código CUT, p. ej. «10»."
    )
    numero_romano = models.CharField("número romano", max_length=5, unique=True)
    nombre = models.CharField(max_length=120, unique=True)
    orden = models.PositiveSmallIntegerField(
        "orden norte–sur", unique=True, help_text="1 = Arica y Parinacota, 16 = Magallanes."
    )

    class Meta:
        ordering = ["orden"]
        verbose_name = "región"
        verbose_name_plural = "regiones"

    def __str__(self) -> str:
        return f"{self.numero_romano} {self.nombre}"


class VigenciaQuerySet(models.QuerySet):
    def vigentes_en(self, anio: int) -> "VigenciaQuerySet":
        """The rows that existed at some point of `anio` (empty dates: always)."""
        return self.filter(
            Q(vigente_desde__isnull=True) | Q(vigente_desde__lte=datetime.date(anio, 12, 31)),
            Q(vigente_hasta__isnull=True) | Q(vigente_hasta__gte=datetime.date(anio, 1, 1)),
        )


class Vigencia(models.Model):
    """Validity dates shared by ministerios and servicios."""

    vigente_desde = models.DateField(
        "vigente desde", null=True, blank=True, help_text="Vacío: existía antes del primer año."
    )
    vigente_hasta = models.DateField(
        "vigente hasta", null=True, blank=True, help_text="Vacío: existe hoy."
    )

    objects = VigenciaQuerySet.as_manager()

    class Meta:
        abstract = True

    def es_vigente_en(self, anio: int) -> bool:
        desde, hasta = self.vigente_desde, self.vigente_hasta
        return (desde is None or desde.year <= anio) and (hasta is None or hasta.year >= anio)

    def nombre_en(self, anio: int) -> str:
        """The name it had during `anio`: the oldest former name still in use that year."""
        for anterior in sorted(self.nombres_anteriores.all(), key=lambda n: n.usado_hasta):
            if anterior.usado_hasta.year >= anio:
                return anterior.nombre
        return self.nombre


class Ministerio(Vigencia):
    nombre = models.CharField(max_length=200, unique=True)
    sigla = models.CharField(max_length=20, unique=True)
    partida = models.CharField(
        max_length=2, unique=True, help_text="Partida presupuestaria de dos dígitos, p. ej. «05»."
    )

    class Meta:
        ordering = ["partida"]
        constraints = [
            models.CheckConstraint(
                condition=Q(partida__regex=r"^[0-9]{2}$"), name="ministerio_partida_dos_digitos"
            ),
            models.CheckConstraint(
                condition=Q(vigente_desde__isnull=True)
                | Q(vigente_hasta__isnull=True)
                | Q(vigente_desde__lte=models.F("vigente_hasta")),
                name="ministerio_vigencia_ordenada",
            ),
        ]

    def __str__(self) -> str:
        return self.nombre


class TipoServicio(models.Model):
    """Kind of servicio (gobierno regional, gobernación, SERVIU…); calendars differ by kind."""

    codigo = models.SlugField("código", max_length=20, unique=True)
    nombre = models.CharField(max_length=100, unique=True)
    orden = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["orden", "nombre"]
        verbose_name = "tipo de servicio"
        verbose_name_plural = "tipos de servicio"

    def __str__(self) -> str:
        return self.nombre


class Servicio(Vigencia):
    """A servicio público that takes part in the PMG."""

    # Where the permission door (srm.permisos) finds the servicio and the year of a row.
    ruta_servicio = "pk"
    ruta_anio = None

    nombre = models.CharField(max_length=200)
    sigla = models.CharField(max_length=30, blank=True)
    ministerio = models.ForeignKey(Ministerio, on_delete=models.PROTECT, related_name="servicios")
    capitulo = models.CharField(
        "capítulo",
        max_length=2,
        help_text="Capítulo presupuestario de dos dígitos dentro de la partida.",
    )
    tipo = models.ForeignKey(TipoServicio, on_delete=models.PROTECT, related_name="servicios")
    region = models.ForeignKey(
        Region,
        verbose_name="región",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="servicios",
        help_text="Vacío para servicios de alcance nacional.",
    )
    activo = models.BooleanField(default=True)
    creado = models.DateTimeField(auto_now_add=True)
    actualizado = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["nombre"]
        constraints = [
            models.UniqueConstraint(fields=["nombre"], name="servicio_nombre_unico"),
            models.CheckConstraint(
                condition=Q(capitulo__regex=r"^[0-9]{2}$"), name="servicio_capitulo_dos_digitos"
            ),
            models.CheckConstraint(
                condition=Q(vigente_desde__isnull=True)
                | Q(vigente_hasta__isnull=True)
                | Q(vigente_desde__lte=models.F("vigente_hasta")),
                name="servicio_vigencia_ordenada",
            ),
        ]

    def __str__(self) -> str:
        return self.nombre


class NombreAnterior(models.Model):
    """A name a ministerio or servicio used until a date (ONEMI until SENAPRED, MIDEPLAN…)."""

    nombre = models.CharField(max_length=200)
    sigla = models.CharField(max_length=30, blank=True)
    usado_hasta = models.DateField("usado hasta")
    fuente = models.CharField(max_length=300, blank=True, help_text="Ley o documento del cambio.")

    class Meta:
        abstract = True
        ordering = ["usado_hasta"]

    def __str__(self) -> str:
        return f"{self.nombre} (hasta {self.usado_hasta:%d-%m-%Y})"


class NombreAnteriorMinisterio(NombreAnterior):
    ministerio = models.ForeignKey(
        Ministerio, on_delete=models.CASCADE, related_name="nombres_anteriores"
    )

    class Meta(NombreAnterior.Meta):
        verbose_name = "nombre anterior del ministerio"
        verbose_name_plural = "nombres anteriores del ministerio"


class NombreAnteriorServicio(NombreAnterior):
    servicio = models.ForeignKey(
        Servicio, on_delete=models.CASCADE, related_name="nombres_anteriores"
    )

    class Meta(NombreAnterior.Meta):
        verbose_name = "nombre anterior del servicio"
        verbose_name_plural = "nombres anteriores del servicio"


class Membresia(models.Model):
    """A servicio user (encargado/a PMG) belongs to one or more servicios."""

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membresias"
    )
    servicio = models.ForeignKey(Servicio, on_delete=models.CASCADE, related_name="membresias")
    cargo = models.CharField(max_length=120, blank=True, default="Encargado/a PMG")
    creado = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "membresía"
        verbose_name_plural = "membresías"
        constraints = [
            models.UniqueConstraint(fields=["usuario", "servicio"], name="membresia_unica"),
        ]

    def __str__(self) -> str:
        return f"{self.usuario} · {self.servicio}"


class Cartera(models.Model):
    """Yearly assignment of a servicio to a SUBDERE analista, to the external consultora or,
    for a gobierno regional, to the evaluador of the GORE quality system (calidad app)."""

    class Rol(models.TextChoices):
        ANALISTA = "analista", "Analista SUBDERE"
        CONSULTORA = "consultora", "Consultora externa"
        EVALUADOR = "evaluador", "Evaluador de calidad GORE"

    anio = models.PositiveSmallIntegerField("año")
    rol = models.CharField(max_length=12, choices=Rol.choices)
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="carteras"
    )
    servicio = models.ForeignKey(Servicio, on_delete=models.CASCADE, related_name="carteras")
    creado = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-anio", "rol", "servicio__nombre"]
        verbose_name = "asignación de cartera"
        verbose_name_plural = "carteras"
        constraints = [
            # One analista, one consultora and one evaluador per servicio and year.
            models.UniqueConstraint(
                fields=["anio", "rol", "servicio"], name="cartera_unica_por_rol"
            ),
            models.CheckConstraint(
                condition=Q(anio__gte=2000, anio__lte=2100), name="cartera_anio_valido"
            ),
            models.CheckConstraint(
                condition=Q(rol__in=["analista", "consultora", "evaluador"]),
                name="cartera_rol_valido",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.anio} · {self.get_rol_display()} {self.usuario} · {self.servicio}"

    def clean(self) -> None:
        # The group decides what a person may do; an assignment in another role would mislead.
        if self.usuario_id and not self.usuario.groups.filter(name=self.rol).exists():
            raise ValidationError(
                {
                    "usuario": f"{self.usuario} no pertenece al grupo «{self.rol}» de esta asignación."
                }
            )
