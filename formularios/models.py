"""Form templates as data: a tree of sections and questions (issue 16).

A template knows nothing of who fills it: compromisos keeps the answers of each deliverable
(RespuestaFormulario) and the medios attached to them. Two built-in blocks stand for what the
SRM's informe always had and keeps in its own columns: the per-compromiso block (porcentaje,
desarrollo alcanzado, dificultades, próximos pasos and medios of each compromiso) and the
informe final's executive summary.
"""

from django.db import models
from django.db.models import Q


class PlantillaManager(models.Manager["Plantilla"]):
    def get_by_natural_key(self, codigo: str) -> "Plantilla":
        return self.get(codigo=codigo)


class Plantilla(models.Model):
    """A form template: its sections and questions, and the built-in blocks it includes."""

    codigo = models.SlugField("código", max_length=40, unique=True)
    nombre = models.CharField(max_length=200)
    encabezado = models.CharField(
        max_length=200,
        blank=True,
        help_text="Título sobre el nombre, como en el formulario en papel.",
    )
    descripcion = models.TextField("descripción", blank=True)
    por_compromiso = models.BooleanField(
        "incluye el avance por compromiso",
        default=False,
        help_text="Porcentaje, desarrollo alcanzado, dificultades, próximos pasos y medios de "
        "cada compromiso.",
    )
    con_resumen_ejecutivo = models.BooleanField(
        "incluye el resumen ejecutivo del informe final", default=False
    )
    secciones_antes = models.BooleanField(
        "secciones antes de los bloques propios",
        default=False,
        help_text="Marcado: las secciones y preguntas van antes del avance por compromiso y del "
        "resumen ejecutivo; sin marcar, después.",
    )
    creado = models.DateTimeField(auto_now_add=True)
    actualizado = models.DateTimeField(auto_now=True)

    objects = PlantillaManager()

    class Meta:
        ordering = ["nombre"]
        verbose_name = "plantilla de formulario"
        verbose_name_plural = "plantillas de formulario"

    def __str__(self) -> str:
        return self.nombre

    def natural_key(self) -> tuple[str]:
        return (self.codigo,)


class SeccionManager(models.Manager["Seccion"]):
    def get_by_natural_key(self, codigo: str, clave: str) -> "Seccion":
        return self.get(plantilla__codigo=codigo, clave=clave)


class Seccion(models.Model):
    """A section of a template (Objetivo N°1), possibly inside another one."""

    plantilla = models.ForeignKey(Plantilla, on_delete=models.CASCADE, related_name="secciones")
    padre = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="subsecciones"
    )
    # Stable name inside the template, for fixtures (natural key) and copies; may stay empty.
    clave = models.SlugField(max_length=40, blank=True)
    numero = models.CharField("número", max_length=30, blank=True)
    titulo = models.CharField("título", max_length=300, blank=True)
    descripcion = models.TextField("descripción", blank=True)
    orden = models.PositiveSmallIntegerField(default=0)

    objects = SeccionManager()

    class Meta:
        ordering = ["plantilla", "orden", "pk"]
        verbose_name = "sección"
        verbose_name_plural = "secciones"
        constraints = [
            models.UniqueConstraint(
                fields=["plantilla", "clave"],
                condition=~Q(clave=""),
                name="seccion_clave_unica",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.numero} {self.titulo}".strip() or f"Sección {self.pk}"

    def natural_key(self) -> tuple[str, str]:
        return (self.plantilla.codigo, self.clave)

    natural_key.dependencies = ["formularios.plantilla"]  # type: ignore[attr-defined]


class PreguntaManager(models.Manager["Pregunta"]):
    def get_by_natural_key(self, codigo: str, clave: str) -> "Pregunta":
        return self.get(seccion__plantilla__codigo=codigo, clave=clave)


class Pregunta(models.Model):
    """A question of a section, with the parts its answer has."""

    class Tipo(models.TextChoices):
        TEXTO = "texto", "Texto"
        PORCENTAJE = "porcentaje", "Porcentaje"
        SI_NO = "si_no", "Sí / No"
        OPCION = "opcion", "Selección de una opción"
        TABLA = "tabla", "Tabla (filas)"
        SOLO_PARTES = "solo_partes", "Sólo desarrollo y recomendaciones"

    seccion = models.ForeignKey(Seccion, on_delete=models.CASCADE, related_name="preguntas")
    # Stable name inside the template (unique in it when given), for fixtures and demo answers.
    clave = models.SlugField(max_length=40, blank=True)
    numero = models.CharField("número", max_length=30, blank=True)
    titulo = models.CharField("título", max_length=300, blank=True)
    texto = models.TextField("pregunta", blank=True)
    ayuda = models.TextField("ayuda", blank=True)
    tipo = models.CharField(max_length=12, choices=Tipo.choices, default=Tipo.TEXTO)
    # The options of a choice, or the columns of a table: a list of strings.
    opciones = models.JSONField(default=list, blank=True)
    obligatoria = models.BooleanField(default=True)
    con_desarrollo = models.BooleanField("pide el desarrollo alcanzado", default=False)
    etiqueta_desarrollo = models.CharField(
        max_length=200, blank=True, default="Descripción del desarrollo alcanzado"
    )
    con_recomendaciones = models.BooleanField(
        "pide recomendaciones para el año siguiente", default=False
    )
    etiqueta_recomendaciones = models.CharField(
        max_length=200, blank=True, default="Recomendaciones para el año siguiente"
    )
    medios_requeridos = models.PositiveSmallIntegerField(
        "medios de verificación requeridos", default=0
    )
    descripcion_medios = models.CharField("medios que se piden", max_length=300, blank=True)
    orden = models.PositiveSmallIntegerField(default=0)

    objects = PreguntaManager()

    class Meta:
        ordering = ["seccion", "orden", "pk"]
        verbose_name = "pregunta"
        verbose_name_plural = "preguntas"
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    tipo__in=["texto", "porcentaje", "si_no", "opcion", "tabla", "solo_partes"]
                ),
                name="pregunta_tipo_valido",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.numero} {self.titulo or self.texto[:60]}".strip() or f"Pregunta {self.pk}"

    def natural_key(self) -> tuple[str, str]:
        return (self.seccion.plantilla.codigo, self.clave)

    natural_key.dependencies = ["formularios.seccion"]  # type: ignore[attr-defined]

    @property
    def columnas(self) -> list[str]:
        """The columns of a table question."""
        return [str(c) for c in self.opciones] if self.tipo == self.Tipo.TABLA else []


class Llenado(models.Model):
    """One filled form: the answers given to a template's questions."""

    plantilla = models.ForeignKey(Plantilla, on_delete=models.PROTECT, related_name="llenados")
    creado = models.DateTimeField(auto_now_add=True)
    actualizado = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "formulario lleno"
        verbose_name_plural = "formularios llenos"

    def __str__(self) -> str:
        return f"{self.plantilla} #{self.pk}"


class Respuesta(models.Model):
    """The answer to one question: its value and, when the question asks for them, its parts."""

    llenado = models.ForeignKey(Llenado, on_delete=models.CASCADE, related_name="respuestas")
    pregunta = models.ForeignKey(Pregunta, on_delete=models.PROTECT, related_name="respuestas")
    # By the question's tipo: text (str), percentage (int 0–100), yes/no (bool), the chosen
    # option (str), table rows (list of lists of str, one per column); null when unanswered.
    valor = models.JSONField(null=True, blank=True)
    desarrollo = models.TextField("desarrollo alcanzado", blank=True)
    recomendaciones = models.TextField(blank=True)
    actualizado = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["llenado", "pregunta__seccion__orden", "pregunta__orden", "pk"]
        verbose_name = "respuesta"
        verbose_name_plural = "respuestas"
        constraints = [
            models.UniqueConstraint(fields=["llenado", "pregunta"], name="respuesta_unica"),
        ]

    def __str__(self) -> str:
        return f"{self.pregunta} · {self.llenado}"
