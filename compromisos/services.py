"""Writes of the servicio portal: formulación, compromisos and informes.

Every function checks the permission door and the document's state, and runs in one
transaction; the state changes themselves go through validacion.services.
"""

import datetime
from collections import Counter
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from compromisos import signals
from compromisos.models import (
    CAMPOS_AVANCE,
    CAMPOS_RESUMEN,
    CIEN,
    AvanceCompromiso,
    Compromiso,
    EstadoRevision,
    ExencionFormulacion,
    FormulacionPMG,
    HitoCompromiso,
    InformeAvance,
    LineaFormulacion,
    MedioComprometido,
    MedioVerificacion,
    Proceso,
    TipoMedio,
)
from compromisos.selectors import fecha_apertura, hito_de_periodo
from compromisos.validators import revisar_archivo
from servicios.models import Servicio
from srm import permisos
from validacion.services import evento_registrar, revision_transicionar

CAMPOS_LINEA = ["marco", "area", "sistema", "etapa", "prioridad", "ponderador"]
CAMPOS_EXENCION = ["marco", "area", "sistema", "tipo", "etapa", "justificacion"]
CAMPOS_COMPROMISO = [
    "codigo",
    "nombre",
    "descripcion",
    "tipo_medida",
    "complejidad",
    "ambito",
    "meta",
    "indicador",
]


class DocumentoBloqueado(ValidationError):
    """The formulación or informe is not open for the servicio in its current state."""


def _exigir_editable(documento: FormulacionPMG | InformeAvance) -> None:
    if not documento.es_editable:
        raise DocumentoBloqueado(
            f"No se puede modificar: el documento está «{documento.get_estado_display().lower()}». "
            "Podrá editarlo cuando SUBDERE lo devuelva con observaciones."
        )


def validar_lineas(lineas: list[dict[str, Any]]) -> None:
    """The ponderadores add up to exactly 100 % and no sistema appears twice."""
    errores = []
    repetidos = [
        s for s, n in Counter(linea["sistema"].strip().lower() for linea in lineas).items() if n > 1
    ]
    if repetidos:
        nombres: dict[str, str] = {}
        for linea in lineas:
            nombres.setdefault(linea["sistema"].strip().lower(), linea["sistema"].strip())
        errores.append(
            "Cada sistema puede aparecer una sola vez; se repite: "
            + ", ".join(f"«{nombres[s]}»" for s in repetidos)
            + "."
        )
    total = sum((Decimal(linea["ponderador"]) for linea in lineas), Decimal("0"))
    if total != CIEN:
        errores.append(f"Los ponderadores deben sumar exactamente 100 %; suman {total:.2f} %.")
    if errores:
        raise ValidationError(errores)


def validar_exenciones(exenciones: list[dict[str, Any]]) -> None:
    """A sistema is either exempted or has one etapa modified: it appears once."""
    vistos: set[str] = set()
    for exencion in exenciones:
        clave = exencion["sistema"].strip().lower()
        if clave in vistos:
            raise ValidationError(
                f"El sistema «{exencion['sistema'].strip()}» aparece dos veces entre los eximidos o "
                "modificados; deje una sola fila por sistema."
            )
        vistos.add(clave)


@transaction.atomic
def formulacion_guardar(
    *,
    formulacion: FormulacionPMG,
    lineas: list[dict[str, Any]],
    exenciones: list[dict[str, Any]],
    usuario: Any,
) -> FormulacionPMG:
    """Replace the lines and exenciones of an open formulación, if they add up to 100 %."""
    permisos.exigir(usuario, "formulacion.editar", formulacion)
    formulacion = FormulacionPMG.objects.select_for_update().get(pk=formulacion.pk)
    _exigir_editable(formulacion)
    validar_lineas(lineas)
    validar_exenciones(exenciones)
    formulacion.lineas.all().delete()
    LineaFormulacion.objects.bulk_create(
        LineaFormulacion(
            formulacion=formulacion, orden=orden, **{c: linea[c] for c in CAMPOS_LINEA}
        )
        for orden, linea in enumerate(lineas, start=1)
    )
    formulacion.exenciones.all().delete()
    ExencionFormulacion.objects.bulk_create(
        ExencionFormulacion(
            formulacion=formulacion, orden=orden, **{c: exencion.get(c) for c in CAMPOS_EXENCION}
        )
        for orden, exencion in enumerate(exenciones, start=1)
    )
    formulacion.save(update_fields=["actualizado"])
    return formulacion


@transaction.atomic
def formulacion_enviar(*, formulacion: FormulacionPMG, usuario: Any) -> FormulacionPMG:
    """Send a complete formulación to SUBDERE; it stays locked until returned."""
    permisos.exigir(usuario, "formulacion.enviar", formulacion)
    # Lock before checking, so no edit slips in between the checks and the transition.
    FormulacionPMG.objects.select_for_update().get(pk=formulacion.pk)
    formulacion.validar_ponderadores()
    if not formulacion.compromisos.exists():
        raise ValidationError("Agregue al menos un compromiso antes de enviar la formulación.")
    return revision_transicionar(objeto=formulacion, accion="enviar", usuario=usuario)


@transaction.atomic
def formulacion_iniciar(
    *, servicio: Servicio, proceso: Proceso, usuario: Any, desde_anterior: bool
) -> FormulacionPMG:
    """Start a servicio's formulación of a year, empty or carried over from its previous one."""
    permisos.exigir(usuario, "formulacion.editar", servicio)
    formulacion, creada = FormulacionPMG.objects.get_or_create(servicio=servicio, proceso=proceso)
    if not creada:
        raise ValidationError(f"El servicio ya tiene su formulación {proceso.anio}.")
    anterior = (
        FormulacionPMG.objects.filter(servicio=servicio, proceso__anio__lt=proceso.anio)
        .order_by("-proceso__anio")
        .first()
    )
    if desde_anterior and anterior is not None:
        _copiar_formulacion(anterior, formulacion)
    return formulacion


def _copiar_formulacion(origen: FormulacionPMG, destino: FormulacionPMG) -> None:
    anios = destino.proceso.anio - origen.proceso.anio
    LineaFormulacion.objects.bulk_create(
        LineaFormulacion(
            formulacion=destino, orden=linea.orden, **{c: getattr(linea, c) for c in CAMPOS_LINEA}
        )
        for linea in origen.lineas.all()
    )
    ExencionFormulacion.objects.bulk_create(
        ExencionFormulacion(
            formulacion=destino, orden=e.orden, **{c: getattr(e, c) for c in CAMPOS_EXENCION}
        )
        for e in origen.exenciones.all()
    )
    for compromiso in origen.compromisos.prefetch_related(
        "regiones", "hitos", "medios_comprometidos"
    ):
        copia = Compromiso.objects.create(
            formulacion=destino,
            origen=compromiso,
            **{c: getattr(compromiso, c) for c in CAMPOS_COMPROMISO},
        )
        copia.regiones.set(compromiso.regiones.all())
        HitoCompromiso.objects.bulk_create(
            HitoCompromiso(
                compromiso=copia,
                descripcion=hito.descripcion,
                fecha_comprometida=_mover_anios(hito.fecha_comprometida, anios),
                orden=hito.orden,
            )
            for hito in compromiso.hitos.all()
        )
        MedioComprometido.objects.bulk_create(
            MedioComprometido(
                compromiso=copia, descripcion=m.descripcion, tipo=m.tipo, orden=m.orden
            )
            for m in compromiso.medios_comprometidos.all()
        )


def _mover_anios(fecha: datetime.date, anios: int) -> datetime.date:
    try:
        return fecha.replace(year=fecha.year + anios)
    except ValueError:  # 29 February
        return fecha.replace(year=fecha.year + anios, day=28)


def cambios_desde_origen(compromiso: Compromiso) -> list[str]:
    """Labels of the fields a carried-over compromiso changed with respect to last year's."""
    if compromiso.origen is None:
        return []
    return [
        str(Compromiso._meta.get_field(campo).verbose_name)
        for campo in CAMPOS_COMPROMISO
        if getattr(compromiso, campo) != getattr(compromiso.origen, campo)
    ]


@transaction.atomic
def compromiso_guardar(
    *,
    formulacion: FormulacionPMG,
    datos: dict[str, Any],
    regiones: list,
    hitos: list[dict[str, Any]],
    medios: list[dict[str, Any]],
    usuario: Any,
    compromiso: Compromiso | None = None,
) -> Compromiso:
    """Create or update a compromiso, with its hitos and promised medios, while the formulación is open."""
    permisos.exigir(usuario, "formulacion.editar", formulacion)
    formulacion = FormulacionPMG.objects.select_for_update().get(pk=formulacion.pk)
    _exigir_editable(formulacion)
    codigo_tomado = formulacion.compromisos.filter(codigo=datos["codigo"])
    if compromiso is not None:
        codigo_tomado = codigo_tomado.exclude(pk=compromiso.pk)
    if codigo_tomado.exists():
        raise ValidationError(
            {"codigo": f"Ya existe un compromiso con el código «{datos['codigo']}»."}
        )
    if compromiso is None:
        compromiso = Compromiso(formulacion=formulacion)
    for campo in CAMPOS_COMPROMISO:
        setattr(compromiso, campo, datos[campo])
    compromiso.save()
    compromiso.regiones.set(regiones)
    compromiso.hitos.all().delete()
    HitoCompromiso.objects.bulk_create(
        HitoCompromiso(
            compromiso=compromiso,
            orden=orden,
            descripcion=h["descripcion"],
            fecha_comprometida=h["fecha_comprometida"],
        )
        for orden, h in enumerate(hitos, start=1)
    )
    _guardar_medios_comprometidos(compromiso, medios)
    return compromiso


def _guardar_medios_comprometidos(compromiso: Compromiso, medios: list[dict[str, Any]]) -> None:
    # Promised medios may already be linked to uploaded files: update them in place, never cascade.
    conservados = []
    for orden, medio in enumerate(medios, start=1):
        existente = medio.get("id")
        if existente is not None and existente.compromiso_id != compromiso.pk:
            # Keeping a foreign id in the list used to delete this compromiso's own medios.
            raise ValidationError("Un medio comprometido enviado no pertenece a este compromiso.")
        if existente is not None:
            MedioComprometido.objects.filter(pk=existente.pk, compromiso=compromiso).update(
                descripcion=medio["descripcion"], tipo=medio["tipo"], orden=orden
            )
            conservados.append(existente.pk)
        else:
            nuevo = MedioComprometido.objects.create(
                compromiso=compromiso,
                descripcion=medio["descripcion"],
                tipo=medio["tipo"],
                orden=orden,
            )
            conservados.append(nuevo.pk)
    compromiso.medios_comprometidos.exclude(pk__in=conservados).delete()


@transaction.atomic
def compromiso_eliminar(*, compromiso: Compromiso, usuario: Any) -> None:
    """Remove a compromiso from an open formulación (only one with no reported progress)."""
    formulacion = compromiso.formulacion
    permisos.exigir(usuario, "formulacion.editar", formulacion)
    _exigir_editable(FormulacionPMG.objects.select_for_update().get(pk=formulacion.pk))
    if compromiso.avances.exists():
        raise ValidationError("Este compromiso ya tiene avances informados y no puede eliminarse.")
    compromiso.delete()


@transaction.atomic
def informe_abrir(*, formulacion: FormulacionPMG, periodo: str, usuario: Any) -> InformeAvance:
    """Open (or return) the informe of a periodo once the calendar opens it, one avance per compromiso."""
    permisos.exigir(usuario, "informe.editar", formulacion)
    if formulacion.estado != EstadoRevision.APROBADO:
        raise ValidationError("Los informes se abren cuando SUBDERE aprueba la formulación.")
    informe = InformeAvance.objects.filter(formulacion=formulacion, periodo=periodo).first()
    if informe is None:
        hito = hito_de_periodo(formulacion=formulacion, periodo=periodo)
        apertura = fecha_apertura(
            plazo=hito.fecha_limite if hito else None, inicio=hito.fecha_inicio if hito else None
        )
        if apertura is None or timezone.localdate() < apertura:
            cuando = f" el {apertura:%d-%m-%Y}" if apertura else " cuando SUBDERE lo programe"
            raise ValidationError(f"Este informe se abre{cuando}.")
        informe = InformeAvance.objects.create(formulacion=formulacion, periodo=periodo)
    existentes = set(informe.avances.values_list("compromiso_id", flat=True))
    creados = AvanceCompromiso.objects.bulk_create(
        AvanceCompromiso(informe=informe, compromiso=compromiso)
        for compromiso in formulacion.compromisos.exclude(pk__in=existentes)
    )
    if creados:
        signals.avances_creados.send(sender=InformeAvance, informe=informe)
    return informe


@transaction.atomic
def informe_guardar(
    *,
    informe: InformeAvance,
    avances: dict[int, dict[str, Any]],
    resumen: dict[str, str] | None,
    usuario: Any,
) -> InformeAvance:
    """Save the draft of an informe: progress per compromiso (by avance id) and, if final, its summary."""
    permisos.exigir(usuario, "informe.editar", informe)
    informe = InformeAvance.objects.select_for_update().get(pk=informe.pk)
    _exigir_editable(informe)
    for avance in informe.avances.filter(pk__in=avances):
        for campo in CAMPOS_AVANCE:
            setattr(avance, campo, avances[avance.pk][campo])
        avance.save(update_fields=[*CAMPOS_AVANCE, "actualizado"])
    if informe.es_final and resumen is not None:
        for campo in CAMPOS_RESUMEN:
            setattr(informe, campo, resumen.get(campo, ""))
    informe.save(update_fields=[*CAMPOS_RESUMEN, "actualizado"])
    return informe


def medios_faltantes(informe: InformeAvance) -> list[MedioComprometido]:
    """Promised medios of the informe's compromisos with no current file in this informe."""
    vigente = MedioVerificacion.objects.filter(
        medio_comprometido=OuterRef("pk"),
        avance__informe=informe,
        eliminado_en__isnull=True,
        reemplazado_por__isnull=True,
    )
    return list(
        MedioComprometido.objects.filter(compromiso__formulacion=informe.formulacion_id)
        .exclude(Exists(vigente))
        .select_related("compromiso")
        .order_by("compromiso__codigo", "orden")
    )


@transaction.atomic
def informe_enviar(
    *, informe: InformeAvance, usuario: Any, justificacion_faltantes: str = ""
) -> InformeAvance:
    """Send an informe to SUBDERE; a promised medio still missing needs an explicit justification."""
    permisos.exigir(usuario, "informe.enviar", informe)
    InformeAvance.objects.select_for_update().get(pk=informe.pk)
    faltantes = medios_faltantes(informe)
    justificacion = justificacion_faltantes.strip()
    if faltantes and not justificacion:
        raise ValidationError(
            "Faltan medios de verificación comprometidos: "
            + "; ".join(f"{m.compromiso.codigo}: {m.descripcion}" for m in faltantes)
            + ". Adjúntelos o explique por qué no se entregan.",
            code="medios_faltantes",
        )
    InformeAvance.objects.filter(pk=informe.pk).update(
        justificacion_medios_faltantes=justificacion if faltantes else ""
    )
    return revision_transicionar(objeto=informe, accion="enviar", usuario=usuario)


class MedioDuplicado(ValidationError):
    """The same content is already attached to this compromiso in this informe."""


def _exigir_avance_editable(avance: AvanceCompromiso) -> InformeAvance:
    informe = InformeAvance.objects.select_for_update().get(pk=avance.informe_id)
    _exigir_editable(informe)
    return informe


def _guardar_medio(
    *,
    avance: AvanceCompromiso,
    archivo: Any,
    usuario: Any,
    reemplaza: MedioVerificacion | None = None,
    descripcion: str = "",
    tipo: str = "",
    medio_comprometido: MedioComprometido | None = None,
) -> MedioVerificacion:
    revisado = revisar_archivo(archivo)
    existente = avance.medios.filter(sha256=revisado.sha256, eliminado_en__isnull=True).first()
    if existente is not None:
        raise MedioDuplicado(
            f"«{revisado.nombre}» ya está adjunto a este compromiso como «{existente.nombre_original}»; "
            "no se guardó otra copia.",
            code="duplicado",
        )
    archivo.seek(0)
    medio = MedioVerificacion(
        avance=avance,
        medio_comprometido=medio_comprometido,
        nombre_original=revisado.nombre,
        descripcion=descripcion,
        tipo=tipo or TipoMedio.OTRO,
        tamano=revisado.tamano,
        sha256=revisado.sha256,
        tiene_formulas=revisado.tiene_formulas,
        subido_por=usuario,
        reemplaza=reemplaza,
    )
    # The stored name is generated by ruta_medio(); only the extension comes from the content.
    medio.archivo.save(f"medio.{revisado.extension}", File(archivo), save=False)
    medio.save()
    return medio


@transaction.atomic
def medio_subir(
    *,
    avance: AvanceCompromiso,
    archivo: Any,
    usuario: Any,
    descripcion: str = "",
    tipo: str = "",
    medio_comprometido: MedioComprometido | None = None,
) -> MedioVerificacion:
    """Attach an evidence file to a compromiso within an open informe; the same content only once."""
    permisos.exigir(usuario, "medio.subir", avance)
    _exigir_avance_editable(avance)
    if medio_comprometido is not None and medio_comprometido.compromiso_id != avance.compromiso_id:
        raise ValidationError("El medio comprometido no corresponde a este compromiso.")
    medio = _guardar_medio(
        avance=avance,
        archivo=archivo,
        usuario=usuario,
        descripcion=descripcion,
        tipo=tipo,
        medio_comprometido=medio_comprometido,
    )
    _registrar_medio(medio, "medio.subir", usuario)
    return medio


@transaction.atomic
def medio_reemplazar(*, medio: MedioVerificacion, archivo: Any, usuario: Any) -> MedioVerificacion:
    """Upload a new version of a file; the old version stays stored and linked."""
    permisos.exigir(usuario, "medio.subir", medio)
    medio = MedioVerificacion.objects.select_for_update().select_related("avance").get(pk=medio.pk)
    _exigir_avance_editable(medio.avance)
    if medio.eliminado_en is not None or MedioVerificacion.objects.filter(reemplaza=medio).exists():
        raise ValidationError("Solo se reemplaza la versión vigente de un archivo.")
    nuevo = _guardar_medio(
        avance=medio.avance,
        archivo=archivo,
        usuario=usuario,
        reemplaza=medio,
        descripcion=medio.descripcion,
        tipo=medio.tipo,
        medio_comprometido=medio.medio_comprometido,
    )
    _registrar_medio(nuevo, "medio.reemplazar", usuario, detalle={"reemplaza": medio.pk})
    return nuevo


@transaction.atomic
def medio_eliminar(*, medio: MedioVerificacion, usuario: Any) -> None:
    """Withdraw a file while the informe is still a draft; the file and its record are kept."""
    permisos.exigir(usuario, "medio.eliminar", medio)
    medio = (
        MedioVerificacion.objects.select_for_update()
        .select_related("avance__informe")
        .get(pk=medio.pk)
    )
    informe = _exigir_avance_editable(medio.avance)
    if informe.estado != EstadoRevision.BORRADOR:
        raise ValidationError(
            "Este informe ya fue enviado una vez: sus archivos no se eliminan, se reemplazan por una versión nueva."
        )
    if medio.eliminado_en is not None:
        return
    medio.eliminado_en = timezone.now()
    medio.eliminado_por = usuario
    medio.save(update_fields=["eliminado_en", "eliminado_por"])
    _registrar_medio(medio, "medio.eliminar", usuario)


def _registrar_medio(
    medio: MedioVerificacion, accion: str, usuario: Any, detalle: dict | None = None
) -> None:
    evento_registrar(
        usuario=usuario,
        accion=accion,
        objeto=medio,
        servicio_id=medio.avance.informe.formulacion.servicio_id,
        detalle={"nombre": medio.nombre_original, "sha256": medio.sha256, **(detalle or {})},
    )
