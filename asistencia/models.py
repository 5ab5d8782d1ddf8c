"""Technical assistance to the servicios (seed 000): consultas, the year's plan of activities
with their convocatorias, registrations, attendance and actas, the analysts' contacts and the
library of technical documents."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from compromisos.models import Compromiso, InformeAvance
from servicios.models import Servicio

# Used when the Unidad has not set the year's figure in Administración: the seeds give no
# response time for consultas, so the demo assumes five días hábiles and says so on screen.
DIAS_RESPUESTA_POR_DEFECTO = 5
DIAS_AVISO_POR_DEFECTO = 1


class ConfiguracionAsistencia(models.Model):
    """What the Unidad decides each year about assistance (Administración)."""

    anio = models.PositiveSmallIntegerField("año", unique=True)
    dias_respuesta_consulta = models.PositiveSmallIntegerField(
        "días hábiles para responder una consulta",
        default=DIAS_RESPUESTA_POR_DEFECTO,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    dias_aviso_antes = models.PositiveSmallIntegerField(
        "días hábiles antes del plazo para recordar al analista",
        default=DIAS_AVISO_POR_DEFECTO,
        validators=[MaxValueValidator(30)],
    )

    class Meta:
        ordering = ["-anio"]
        verbose_name = "configuración de asistencia técnica"
        verbose_name_plural = "configuraciones de asistencia técnica"

    def __str__(self) -> str:
        return f"Asistencia técnica {self.anio}"


class Consulta(models.Model):
    """A question a servicio asks SUBDERE, answered by its analyst in a thread."""

    ruta_servicio = "servicio"
    ruta_anio = "anio"

    class Estado(models.TextChoices):
        PENDIENTE = "pendiente", "Pendiente de respuesta"
        RESPONDIDA = "respondida", "Respondida"

    servicio = models.ForeignKey(Servicio, on_delete=models.PROTECT, related_name="consultas")
    anio = models.PositiveSmallIntegerField("año")
    asunto = models.CharField(max_length=200)
    compromiso = models.ForeignKey(
        Compromiso, on_delete=models.SET_NULL, null=True, blank=True, related_name="consultas"
    )
    informe = models.ForeignKey(
        InformeAvance, on_delete=models.SET_NULL, null=True, blank=True, related_name="consultas"
    )
    autor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultas_hechas"
    )
    creada_en = models.DateTimeField(auto_now_add=True)
    plazo = models.DateField("responder a más tardar")
    dias_habiles = models.PositiveSmallIntegerField("plazo en días hábiles")
    estado = models.CharField(max_length=12, choices=Estado.choices, default=Estado.PENDIENTE)
    respondida_en = models.DateTimeField(null=True, blank=True)
    # Published as a pregunta frecuente: the text every servicio reads, without names.
    publicada_en = models.DateTimeField(null=True, blank=True)
    pregunta_publicada = models.TextField("pregunta (publicada)", blank=True)
    respuesta_publicada = models.TextField("respuesta (publicada)", blank=True)

    class Meta:
        ordering = ["-creada_en", "-pk"]
        verbose_name = "consulta"
        verbose_name_plural = "consultas"
        indexes = [models.Index(fields=["estado", "plazo"], name="consulta_pendientes")]
        constraints = [
            models.CheckConstraint(
                condition=Q(estado__in=["pendiente", "respondida"]), name="consulta_estado_valido"
            )
        ]

    def __str__(self) -> str:
        return f"Consulta «{self.asunto}» · {self.servicio}"

    @property
    def respondida_a_tiempo(self) -> bool:
        return (
            self.respondida_en is not None
            and timezone.localtime(self.respondida_en).date() <= self.plazo
        )


class MensajeConsulta(models.Model):
    """One message of a consulta's thread (the question itself is the first)."""

    ruta_servicio = "consulta__servicio"
    ruta_anio = "consulta__anio"

    consulta = models.ForeignKey(Consulta, on_delete=models.CASCADE, related_name="mensajes")
    autor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    texto = models.TextField()
    de_subdere = models.BooleanField(default=False)
    creado = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["creado", "pk"]
        verbose_name = "mensaje de consulta"
        verbose_name_plural = "mensajes de consulta"

    def __str__(self) -> str:
        return f"Mensaje en {self.consulta}"


class TipoActividad(models.TextChoices):
    # Seeds 000 and 002: the unit's assistance work.
    JORNADA = "jornada", "Jornada de asistencia técnica"
    CAPACITACION = "capacitacion", "Capacitación"
    BILATERAL = "bilateral", "Reunión bilateral"
    VIDEOCONFERENCIA = "videoconferencia", "Videoconferencia"
    MESA_TECNICA = "mesa_tecnica", "Mesa técnica"
    CORREO = "correo", "Correo electrónico"
    LLAMADA = "llamada", "Llamada telefónica"
    CONSULTORA = "consultora", "Capacitación de la consultora externa"
    DIPRES = "dipres", "Coordinación con la Secretaría Técnica DIPRES"


class Actividad(models.Model):
    """An activity of the year's Plan de Asistencia técnica y capacitación."""

    class Estado(models.TextChoices):
        PLANIFICADA = "planificada", "Planificada"
        CONVOCADA = "convocada", "Convocada"
        REALIZADA = "realizada", "Realizada"
        CANCELADA = "cancelada", "Cancelada"

    anio = models.PositiveSmallIntegerField("año")
    tipo = models.CharField(max_length=20, choices=TipoActividad.choices)
    tema = models.CharField(max_length=200)
    inicio = models.DateTimeField("inicio")
    fin = models.DateTimeField("término")
    lugar = models.CharField("lugar", max_length=200, blank=True)
    enlace = models.URLField("enlace de conexión", blank=True)
    responsable = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="actividades_a_cargo",
        verbose_name="analista a cargo",
    )
    materiales = models.TextField(blank=True)
    criterio = models.CharField(
        "servicios convocados según", max_length=300, blank=True, editable=False
    )
    estado = models.CharField(
        max_length=12, choices=Estado.choices, default=Estado.PLANIFICADA, editable=False
    )
    # iCalendar identity and sequence: a re-sent invitation updates the same calendar entry.
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    secuencia = models.PositiveIntegerField(default=0, editable=False)
    convocada_en = models.DateTimeField(null=True, blank=True, editable=False)
    # Cancelled: the convened receive a METHOD:CANCEL of the same calendar entry.
    cancelada_en = models.DateTimeField(null=True, blank=True, editable=False)
    motivo_cancelacion = models.CharField("motivo de la cancelación", max_length=300, blank=True)
    acta = models.TextField("acta", blank=True)
    acta_enviada_en = models.DateTimeField(null=True, blank=True, editable=False)
    creada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    creada_en = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inicio", "pk"]
        verbose_name = "actividad de asistencia técnica"
        verbose_name_plural = "actividades de asistencia técnica"
        constraints = [
            models.CheckConstraint(condition=Q(fin__gte=models.F("inicio")), name="actividad_fin")
        ]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()}: {self.tema} ({self.inicio:%d-%m-%Y})"


class Convocado(models.Model):
    """A servicio convened to an activity; its encargados receive the invitation."""

    ruta_servicio = "servicio"
    ruta_anio = "actividad__anio"

    actividad = models.ForeignKey(Actividad, on_delete=models.CASCADE, related_name="convocados")
    servicio = models.ForeignKey(Servicio, on_delete=models.PROTECT, related_name="convocatorias")
    invitacion_enviada_en = models.DateTimeField(null=True, blank=True)
    # The activity's iCalendar sequence last mailed: a retried task sends nothing twice.
    invitacion_secuencia = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["servicio__nombre"]
        verbose_name = "servicio convocado"
        verbose_name_plural = "servicios convocados"
        constraints = [
            models.UniqueConstraint(fields=["actividad", "servicio"], name="convocado_unico")
        ]

    def __str__(self) -> str:
        return f"{self.servicio} · {self.actividad}"


class Inscripcion(models.Model):
    """A person a servicio registers to attend an activity; attendance is taken on the day."""

    ruta_servicio = "convocado__servicio"
    ruta_anio = "convocado__actividad__anio"

    convocado = models.ForeignKey(Convocado, on_delete=models.CASCADE, related_name="inscritos")
    nombre = models.CharField(max_length=150)
    cargo = models.CharField(max_length=150, blank=True)
    correo = models.EmailField(blank=True)
    inscrita_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    inscrita_en = models.DateTimeField(auto_now_add=True)
    asistio = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["convocado", "nombre", "pk"]
        verbose_name = "inscripción"
        verbose_name_plural = "inscripciones"

    def __str__(self) -> str:
        return self.nombre


class Acuerdo(models.Model):
    """An agreement of an activity's acta, followed up until closed."""

    ruta_servicio = "servicio"
    ruta_anio = "actividad__anio"

    actividad = models.ForeignKey(Actividad, on_delete=models.CASCADE, related_name="acuerdos")
    servicio = models.ForeignKey(
        Servicio,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acuerdos_asistencia",
        help_text="Vacío: acuerdo de SUBDERE o de todos los convocados.",
    )
    descripcion = models.TextField("acuerdo")
    responsable = models.CharField(max_length=150)
    plazo = models.DateField()
    cerrado_en = models.DateTimeField(null=True, blank=True)
    cerrado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cierre = models.TextField("cómo se cumplió", blank=True)

    class Meta:
        ordering = ["plazo", "pk"]
        verbose_name = "acuerdo"
        verbose_name_plural = "acuerdos"

    def __str__(self) -> str:
        return self.descripcion[:80]

    @property
    def abierto(self) -> bool:
        return self.cerrado_en is None


class CanalContacto(models.TextChoices):
    BILATERAL = "bilateral", "Reunión bilateral"
    VIDEOCONFERENCIA = "videoconferencia", "Videoconferencia"
    CORREO = "correo", "Correo electrónico"
    LLAMADA = "llamada", "Llamada telefónica"


class Contacto(models.Model):
    """An analyst's contact with a servicio, outside the plan's activities."""

    ruta_servicio = "servicio"
    ruta_anio = "anio"

    servicio = models.ForeignKey(Servicio, on_delete=models.PROTECT, related_name="contactos")
    anio = models.PositiveSmallIntegerField("año")
    analista = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contactos_registrados"
    )
    canal = models.CharField(max_length=20, choices=CanalContacto.choices)
    fecha = models.DateField()
    tema = models.CharField(max_length=200)
    acuerdos = models.TextField(blank=True)
    informe = models.ForeignKey(
        InformeAvance, on_delete=models.SET_NULL, null=True, blank=True, related_name="contactos"
    )
    creado = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-fecha", "-pk"]
        verbose_name = "contacto con un servicio"
        verbose_name_plural = "contactos con servicios"

    def __str__(self) -> str:
        fecha = f" ({self.fecha:%d-%m-%Y})" if self.fecha else ""
        return f"Contacto con el servicio n.º {self.servicio_id}{fecha}"


class TipoDocumento(models.TextChoices):
    # Seed 000: «documentos técnicos Requisitos, Guías, Presentaciones y Comunicaciones».
    REQUISITOS = "requisitos", "Requisitos técnicos"
    GUIA = "guia", "Guía"
    PRESENTACION = "presentacion", "Presentación"
    COMUNICACION = "comunicacion", "Comunicación / oficio"


class DocumentoTecnico(models.Model):
    """A technical document of the year's library; its file comes in versions."""

    anio = models.PositiveSmallIntegerField("año")
    tipo = models.CharField(max_length=20, choices=TipoDocumento.choices)
    titulo = models.CharField("título", max_length=200)
    descripcion = models.TextField("descripción", blank=True)
    para_todos = models.BooleanField("para todos los servicios", default=True)
    servicios = models.ManyToManyField(
        Servicio, blank=True, related_name="documentos_tecnicos", verbose_name="solo para"
    )
    publicado_en = models.DateTimeField(null=True, blank=True, editable=False)
    creado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    creado = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-anio", "tipo", "titulo"]
        verbose_name = "documento técnico"
        verbose_name_plural = "documentos técnicos"

    def __str__(self) -> str:
        return f"{self.titulo} ({self.anio})"


def ruta_version(instance: "VersionDocumento", filename: str) -> str:
    """Generated storage name: never the user's, never overwritten."""
    extension = PurePath(filename).suffix.lower()[:10]
    return f"asistencia/{instance.documento.anio}/{uuid.uuid4().hex}{extension}"


class VersionDocumento(models.Model):
    """One version of a technical document's file; a new version never replaces the file."""

    documento = models.ForeignKey(
        DocumentoTecnico, on_delete=models.PROTECT, related_name="versiones"
    )
    numero = models.PositiveSmallIntegerField("versión")
    archivo = models.FileField(upload_to=ruta_version, max_length=255)
    nombre_original = models.CharField(max_length=255)
    tipo_contenido = models.CharField(max_length=120)
    tamano = models.PositiveBigIntegerField("tamaño (bytes)")
    sha256 = models.CharField("SHA-256", max_length=64)
    nota = models.CharField("qué cambia", max_length=300, blank=True)
    subida_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    subida_en = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["documento", "-numero"]
        verbose_name = "versión de documento técnico"
        verbose_name_plural = "versiones de documentos técnicos"
        constraints = [
            models.UniqueConstraint(fields=["documento", "numero"], name="version_documento_unica")
        ]

    def __str__(self) -> str:
        return f"{self.documento.titulo} v{self.numero}"


class LecturaDocumento(models.Model):
    """Which servicio opened which version: the first time and how many times."""

    ruta_servicio = "servicio"
    ruta_anio = "version__documento__anio"

    version = models.ForeignKey(VersionDocumento, on_delete=models.CASCADE, related_name="lecturas")
    servicio = models.ForeignKey(Servicio, on_delete=models.PROTECT, related_name="+")
    primera_vez = models.DateTimeField(auto_now_add=True)
    primera_persona = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    veces = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "lectura de documento técnico"
        verbose_name_plural = "lecturas de documentos técnicos"
        constraints = [
            models.UniqueConstraint(fields=["version", "servicio"], name="lectura_unica")
        ]

    def __str__(self) -> str:
        return f"{self.servicio} abrió {self.version}"
