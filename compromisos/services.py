"""Writes of the PMG cycle: formulación, compromisos, informes, medios and their transitions.

Every function checks the permission door and the document's state, and runs in one
transaction; every state change goes through documento_transicionar.
"""

import datetime
import hashlib
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from bitacora.models import Evento
from bitacora.services import evento_registrar
from compromisos import avisos, revision, signals
from compromisos.models import (
    ACCIONES_DE_MODALIDAD,
    CAMPOS_AVANCE,
    CAMPOS_RESUMEN,
    CIEN,
    ROMANOS,
    AvanceCompromiso,
    Compromiso,
    EstadoRevision,
    ExencionFormulacion,
    FormulacionPMG,
    HitoCompromiso,
    InformeAvance,
    Instantanea,
    LineaFormulacion,
    MedioComprometido,
    MedioVerificacion,
    Modalidad,
    Proceso,
    TipoMedio,
    VinculoRequisito,
)
from compromisos.selectors import (
    archivos_de_instantanea,
    etapa_comprometida,
    fecha_apertura,
    hito_de_periodo,
    linea_contraparte,
    periodos_hasta,
    plantilla_del_informe,
    plazo_informe,
    preguntas_del_informe,
    preguntas_sin_medios,
    vinculos_por_requisito,
)
from compromisos.selectors import normalizar as _normalizar
from compromisos.transiciones import ETIQUETAS, TransicionNoPermitida, destino
from compromisos.validators import revisar_archivo
from formularios import instantanea as formularios_instantanea
from formularios import services as formularios
from formularios.models import Pregunta
from programa.models import SistemaPMG
from programa.selectors import reglas_del_anio, sistemas_del_anio
from servicios.models import Servicio
from srm import formato, permisos

CAMPOS_LINEA = ["marco", "area", "sistema", "etapa", "prioridad", "ponderador"]
CAMPOS_EXENCION = ["marco", "area", "sistema", "tipo", "etapa", "justificacion"]
# What the servicio chooses in its portal; marco, área and sistema come from the catalogue.
CAMPOS_LINEA_PORTAL = ["sistema_catalogo", "etapa", "prioridad", "ponderador"]
CAMPOS_EXENCION_PORTAL = ["sistema_catalogo", "tipo", "etapa", "justificacion"]
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


def _clave_sistema(fila: dict[str, Any]) -> Any:
    """A row's sistema: its catalogue row when chosen, else its text (rows from before)."""
    if fila.get("sistema_catalogo") is not None:
        return fila["sistema_catalogo"].pk
    return fila["sistema"].strip().lower()


def validar_lineas(lineas: list[dict[str, Any]]) -> None:
    """The ponderadores add up to exactly 100 % and no sistema appears twice."""
    errores = []
    repetidos = [s for s, n in Counter(_clave_sistema(linea) for linea in lineas).items() if n > 1]
    if repetidos:
        nombres: dict[Any, str] = {}
        for linea in lineas:
            nombres.setdefault(_clave_sistema(linea), linea["sistema"].strip())
        errores.append(
            "Cada sistema puede aparecer una sola vez; se repite: "
            + ", ".join(f"«{nombres[s]}»" for s in repetidos)
            + "."
        )
    total = sum((Decimal(linea["ponderador"]) for linea in lineas), Decimal("0"))
    if total != CIEN:
        errores.append(
            f"Los ponderadores deben sumar exactamente 100 %; suman {formato.ponderador(total)}."
        )
    if errores:
        raise ValidationError(errores)


def validar_exenciones(exenciones: list[dict[str, Any]]) -> None:
    """A sistema is either exempted or has one etapa modified: it appears once."""
    vistos: set[Any] = set()
    for exencion in exenciones:
        clave = _clave_sistema(exencion)
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
    anio = formulacion.proceso.anio
    lineas = [con_textos_del_catalogo(linea) for linea in lineas]
    exenciones = [con_textos_del_catalogo(exencion) for exencion in exenciones]
    validar_lineas(lineas)
    validar_exenciones(exenciones)
    validar_contra_programa(anio=anio, lineas=lineas, exenciones=exenciones)
    _exigir_linea_de_los_compromisos(formulacion, lineas)
    _registrar_cambios_de_filas(
        formulacion=formulacion,
        usuario=usuario,
        prefijo="linea",
        antes=formulacion.lineas.all(),
        despues=lineas,
        campos=CAMPOS_LINEA,
        modelo=LineaFormulacion,
    )
    _registrar_cambios_de_filas(
        formulacion=formulacion,
        usuario=usuario,
        prefijo="exencion",
        antes=formulacion.exenciones.all(),
        despues=exenciones,
        campos=CAMPOS_EXENCION,
        modelo=ExencionFormulacion,
    )
    formulacion.lineas.all().delete()
    LineaFormulacion.objects.bulk_create(
        LineaFormulacion(
            formulacion=formulacion,
            orden=orden,
            sistema_catalogo=linea.get("sistema_catalogo"),
            **{c: linea[c] for c in CAMPOS_LINEA},
        )
        for orden, linea in enumerate(lineas, start=1)
    )
    # The lines were replaced: the compromisos go to the new Descentralización line.
    formulacion.compromisos.update(linea=linea_contraparte(formulacion_id=formulacion.pk))
    formulacion.exenciones.all().delete()
    ExencionFormulacion.objects.bulk_create(
        ExencionFormulacion(
            formulacion=formulacion,
            orden=orden,
            sistema_catalogo=exencion.get("sistema_catalogo"),
            **{c: exencion.get(c) for c in CAMPOS_EXENCION},
        )
        for orden, exencion in enumerate(exenciones, start=1)
    )
    formulacion.save(update_fields=["actualizado"])
    return formulacion


SIN_LINEA_DESCENTRALIZACION = (
    "Los compromisos son iniciativas del sistema Descentralización: agréguelo a los sistemas "
    "comprometidos antes de registrar compromisos."
)


def _fila_es_contraparte(fila: dict[str, Any]) -> bool:
    """es_linea_contraparte, on a row about to be saved."""
    sistema = fila.get("sistema_catalogo")
    if sistema is not None:
        return sistema.es_contraparte_subdere
    return _normalizar(fila.get("sistema", "")) == "descentralizacion"


def _exigir_linea_de_los_compromisos(
    formulacion: FormulacionPMG, lineas: list[dict[str, Any]]
) -> None:
    """A formulación with compromisos keeps the Descentralización line they hang off."""
    if any(_fila_es_contraparte(fila) for fila in lineas):
        return
    cantidad = formulacion.compromisos.count()
    if cantidad:
        raise ValidationError(
            f"La formulación tiene {formato.plural(cantidad, 'compromiso', 'compromisos')}, "
            "iniciativas del sistema Descentralización: no puede quitar ese sistema. Elimine "
            "antes los compromisos o conserve el sistema.",
            code="sin_linea_descentralizacion",
        )


def con_textos_del_catalogo(fila: dict[str, Any]) -> dict[str, Any]:
    """A row chosen from the catalogue carries the catalogue's marco, área and sistema."""
    sistema = fila.get("sistema_catalogo")
    if sistema is None:
        return fila
    return {
        **fila,
        "marco": sistema.area.marco.nombre,
        "area": sistema.area.nombre,
        "sistema": sistema.nombre,
    }


def _romano(numero: int | None) -> str:
    return ROMANOS.get(numero, str(numero))


def validar_contra_programa(
    *, anio: int, lineas: list[dict[str, Any]], exenciones: list[dict[str, Any]]
) -> None:
    """The rules of the year's programa marco, every broken one said at once.

    Each sistema comes from the year's catalogue; the committed etapa exists in that sistema;
    a sistema is not both committed and eximido; a Modificar row names a committed sistema and
    one of its etapas; each ponderador fits its priority's bounds where the year sets them.
    """
    catalogo = {sistema.pk: sistema for sistema in sistemas_del_anio(anio)}
    if not catalogo:
        raise ValidationError(
            f"El programa marco {anio} aún no tiene sistemas cargados: la Unidad de Monitoreo "
            "debe cargarlo antes de formular. Lo escrito no se ha guardado; puede volver a "
            "intentarlo cuando el catálogo esté disponible."
        )
    errores: list[str] = []

    def del_anio(fila: dict[str, Any], donde: str) -> SistemaPMG | None:
        sistema = fila.get("sistema_catalogo")
        if sistema is None:
            errores.append(
                f"{donde}: elija el sistema «{fila.get('sistema', '').strip()}» del programa "
                f"marco {anio}."
            )
            return None
        if sistema.pk not in catalogo:
            errores.append(
                f"{donde}: el sistema «{sistema.nombre}» no es del programa marco {anio}."
            )
            return None
        return catalogo[sistema.pk]

    def etapas_de(sistema: SistemaPMG) -> list[int]:
        return [etapa.numero for etapa in sistema.etapas.all()]

    comprometidos: dict[int, SistemaPMG] = {}
    reglas = reglas_del_anio(anio)
    for linea in lineas:
        sistema = del_anio(linea, "Sistemas comprometidos")
        if sistema is None:
            continue
        comprometidos[sistema.pk] = sistema
        etapas = etapas_de(sistema)
        if linea.get("etapa") not in etapas:
            errores.append(
                f"El sistema «{sistema.nombre}» no tiene etapa {_romano(linea.get('etapa'))} en el "
                f"programa marco {anio}; sus etapas son "
                f"{', '.join(_romano(n) for n in etapas) or '(ninguna cargada)'}."
            )
        regla = reglas.get(linea.get("prioridad"))
        ponderador = linea.get("ponderador")
        if regla is not None and ponderador is not None and not regla.admite(Decimal(ponderador)):
            errores.append(
                f"El sistema «{sistema.nombre}» tiene prioridad "
                f"{regla.get_prioridad_display().lower()}: su ponderador debe ser "
                f"{regla.describir()} en {anio}; es {Decimal(ponderador):.2f} %."
            )
    for exencion in exenciones:
        sistema = del_anio(exencion, "Sistemas eximidos o modificados")
        if sistema is None:
            continue
        tipo = exencion.get("tipo")
        if tipo == ExencionFormulacion.Tipo.EXIMIR and sistema.pk in comprometidos:
            errores.append(
                f"El sistema «{sistema.nombre}» no puede estar comprometido y eximido a la vez: "
                "quítelo de los sistemas comprometidos o de los eximidos."
            )
        if tipo == ExencionFormulacion.Tipo.MODIFICAR:
            if sistema.pk not in comprometidos:
                errores.append(
                    f"Solo se modifica el contenido de una etapa de un sistema comprometido: "
                    f"«{sistema.nombre}» no está entre los sistemas comprometidos."
                )
            etapas = etapas_de(sistema)
            if exencion.get("etapa") not in etapas:
                errores.append(
                    f"El sistema «{sistema.nombre}» no tiene etapa "
                    f"{_romano(exencion.get('etapa'))} que modificar; sus etapas son "
                    f"{', '.join(_romano(n) for n in etapas) or '(ninguna cargada)'}."
                )
    if errores:
        raise ValidationError(errores)


def _filas_guardadas(formulacion: FormulacionPMG) -> tuple[list[dict], list[dict]]:
    lineas = [
        {
            **{c: getattr(linea, c) for c in CAMPOS_LINEA},
            "sistema_catalogo": linea.sistema_catalogo,
        }
        for linea in formulacion.lineas.select_related("sistema_catalogo")
    ]
    exenciones = [
        {
            **{c: getattr(exencion, c) for c in CAMPOS_EXENCION},
            "sistema_catalogo": exencion.sistema_catalogo,
        }
        for exencion in formulacion.exenciones.select_related("sistema_catalogo")
    ]
    return lineas, exenciones


def _texto(valor: Any) -> str:
    return "" if valor is None else str(valor).strip()


def _legible(modelo: type, campo: str, valor: Any) -> str:
    """A value as the log page shows it: a choice by its label («Alta», not «alta»), a
    ponderador as «12,50»."""
    texto = _texto(valor)
    if not texto:
        return ""
    campo_modelo = modelo._meta.get_field(campo)
    if campo_modelo.choices:
        return str(dict((str(v), e) for v, e in campo_modelo.flatchoices).get(texto, texto))
    if campo_modelo.get_internal_type() == "DecimalField":
        return formato.numero(valor, campo_modelo.decimal_places)
    return texto


def _registrar_cambios_de_filas(
    *,
    formulacion: FormulacionPMG,
    usuario: Any,
    prefijo: str,
    antes: Any,
    despues: list[dict[str, Any]],
    campos: list[str],
    modelo: type,
) -> None:
    """Log each sistema added, changed or removed, matched by its name (unique per formulación).

    Rows are replaced on every save, so the log keeps what changed, not row ids.
    """
    viejas = {fila.sistema.strip().lower(): fila for fila in antes}
    nuevas = {fila["sistema"].strip().lower(): fila for fila in despues}
    etiquetas = {c: str(modelo._meta.get_field(c).verbose_name) for c in campos}

    def registrar(accion: str, sistema: str, detalle: dict) -> None:
        evento_registrar(
            usuario=usuario,
            accion=f"{prefijo}.{accion}",
            objeto=formulacion,
            servicio_id=formulacion.servicio_id,
            detalle={"sistema": sistema, **detalle},
        )

    for clave, nueva in nuevas.items():
        vieja = viejas.get(clave)
        if vieja is None:
            registrar("agregar", nueva["sistema"].strip(), {})
            continue
        # A list, not a dict: PostgreSQL's jsonb does not keep the order of keys.
        cambios = [
            [etiquetas[c], antes, despues]
            for c in campos
            if (antes := _legible(modelo, c, getattr(vieja, c)))
            != (despues := _legible(modelo, c, nueva.get(c)))
        ]
        if cambios:
            registrar("modificar", nueva["sistema"].strip(), {"cambios": cambios})
    for clave, vieja in viejas.items():
        if clave not in nuevas:
            registrar("quitar", vieja.sistema, {})


@transaction.atomic
def formulacion_enviar(*, formulacion: FormulacionPMG, usuario: Any) -> FormulacionPMG:
    """Send a complete formulación to SUBDERE; it stays locked until returned."""
    permisos.exigir(usuario, "formulacion.enviar", formulacion)
    # Lock before checking, so no edit slips in between the checks and the transition.
    FormulacionPMG.objects.select_for_update().get(pk=formulacion.pk)
    formulacion.validar_ponderadores()
    if not formulacion.compromisos.exists():
        raise ValidationError("Agregue al menos un compromiso antes de enviar la formulación.")
    # A year with its catalogue checks its rules again (an admin may have changed it since the
    # lines were saved); a year from before the catalogue keeps the lines it had.
    if sistemas_del_anio(formulacion.proceso.anio).exists():
        lineas, exenciones = _filas_guardadas(formulacion)
        validar_contra_programa(anio=formulacion.proceso.anio, lineas=lineas, exenciones=exenciones)
    return documento_transicionar(objeto=formulacion, accion="enviar", usuario=usuario)


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
    copiada = desde_anterior and anterior is not None
    if copiada:
        _copiar_formulacion(anterior, formulacion)
    evento_registrar(
        usuario=usuario,
        accion="formulacion.iniciar",
        objeto=formulacion,
        servicio_id=servicio.pk,
        detalle={"desde": anterior.proceso.anio} if copiada else {},
    )
    return formulacion


def _copiar_formulacion(origen: FormulacionPMG, destino: FormulacionPMG) -> None:
    anios = destino.proceso.anio - origen.proceso.anio
    # The rows point at the new year's catalogue where the same sistema is there; the others
    # keep their text, and the servicio chooses them again.
    catalogo = list(sistemas_del_anio(destino.proceso.anio))
    LineaFormulacion.objects.bulk_create(
        LineaFormulacion(
            formulacion=destino,
            orden=linea.orden,
            sistema_catalogo=sistema_que_corresponde(catalogo, linea.marco, linea.sistema),
            **{c: getattr(linea, c) for c in CAMPOS_LINEA},
        )
        for linea in origen.lineas.all()
    )
    ExencionFormulacion.objects.bulk_create(
        ExencionFormulacion(
            formulacion=destino,
            orden=e.orden,
            sistema_catalogo=sistema_que_corresponde(catalogo, e.marco, e.sistema),
            **{c: getattr(e, c) for c in CAMPOS_EXENCION},
        )
        for e in origen.exenciones.all()
    )
    linea = linea_contraparte(formulacion_id=destino.pk)
    for compromiso in origen.compromisos.prefetch_related(
        "regiones", "hitos", "medios_comprometidos"
    ):
        copia = Compromiso.objects.create(
            formulacion=destino,
            linea=linea,
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


def sistema_que_corresponde(
    catalogo: list[SistemaPMG], marco: str, sistema: str
) -> SistemaPMG | None:
    """The catalogue's sistema a written line names: same name (and marco, if it repeats)."""
    candidatos = [s for s in catalogo if _normalizar(s.nombre) == _normalizar(sistema)]
    if len(candidatos) > 1:
        candidatos = [
            s for s in candidatos if _normalizar(s.area.marco.nombre) == _normalizar(marco)
        ]
    return candidatos[0] if len(candidatos) == 1 else None


@transaction.atomic
def lineas_vincular(*, anio: int | None = None) -> dict[str, list]:
    """Point the lines and exenciones written before the catalogue at their sistema.

    Nothing is deleted nor rewritten: a row that matches no sistema of its year keeps its text
    and is reported, for the Unidad to add the sistema to the catalogue or correct the row.
    """
    resultado: dict[str, list] = {"vinculadas": [], "sin_catalogo": []}
    for modelo in (LineaFormulacion, ExencionFormulacion):
        filas = modelo.objects.filter(sistema_catalogo__isnull=True).select_related(
            "formulacion__proceso", "formulacion__servicio"
        )
        if anio is not None:
            filas = filas.filter(formulacion__proceso__anio=anio)
        catalogos: dict[int, list[SistemaPMG]] = {}
        for fila in filas.order_by("formulacion__proceso__anio", "pk"):
            anio_fila = fila.formulacion.proceso.anio
            if anio_fila not in catalogos:
                catalogos[anio_fila] = list(sistemas_del_anio(anio_fila))
            sistema = sistema_que_corresponde(catalogos[anio_fila], fila.marco, fila.sistema)
            if sistema is None:
                resultado["sin_catalogo"].append(fila)
                continue
            fila.sistema_catalogo = sistema
            fila.save(update_fields=["sistema_catalogo"])
            resultado["vinculadas"].append(fila)
    return resultado


@transaction.atomic
def compromisos_vincular_linea(*, anio: int | None = None) -> dict[str, Any]:
    """Attach the compromisos without line to their formulación's Descentralización line, and
    report the formulaciones that still have none. Nothing is deleted: such compromisos stay
    in their formulación until the Unidad or the servicio adds (or links) that line."""
    formulaciones = (
        FormulacionPMG.objects.filter(compromisos__linea__isnull=True)
        .distinct()
        .select_related("servicio", "proceso")
        .order_by("proceso__anio", "servicio__nombre", "pk")
    )
    if anio is not None:
        formulaciones = formulaciones.filter(proceso__anio=anio)
    vinculados, sin_linea = 0, []
    for formulacion in formulaciones:
        linea = linea_contraparte(formulacion_id=formulacion.pk)
        huerfanos = formulacion.compromisos.filter(linea__isnull=True)
        if linea is None:
            sin_linea.append((formulacion, list(huerfanos.values_list("codigo", flat=True))))
        else:
            vinculados += huerfanos.update(linea=linea)
    return {"vinculados": vinculados, "sin_linea": sin_linea}


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
    linea = linea_contraparte(formulacion_id=formulacion.pk)
    if linea is None:
        raise ValidationError(SIN_LINEA_DESCENTRALIZACION, code="sin_linea_descentralizacion")
    es_nuevo = compromiso is None
    # From the database: a bound form has already written its data on the instance.
    antes = {} if es_nuevo else _contenido_compromiso(Compromiso.objects.get(pk=compromiso.pk))
    if compromiso is None:
        compromiso = Compromiso(formulacion=formulacion)
    for campo in CAMPOS_COMPROMISO:
        setattr(compromiso, campo, datos[campo])
    compromiso.linea = linea
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
    if es_nuevo:
        _registrar_compromiso(compromiso, "compromiso.crear", usuario)
    else:
        despues = _contenido_compromiso(compromiso)
        cambiados = [etiqueta for etiqueta in despues if despues[etiqueta] != antes.get(etiqueta)]
        if cambiados:
            _registrar_compromiso(
                compromiso, "compromiso.modificar", usuario, {"cambios": cambiados}
            )
    return compromiso


def _contenido_compromiso(compromiso: Compromiso) -> dict[str, Any]:
    """What the servicio writes in a compromiso, by the label of each part, to tell changes."""
    contenido: dict[str, Any] = {
        str(Compromiso._meta.get_field(campo).verbose_name): _texto(getattr(compromiso, campo))
        for campo in CAMPOS_COMPROMISO
    }
    contenido["regiones"] = sorted(compromiso.regiones.values_list("pk", flat=True))
    contenido["hitos"] = list(
        compromiso.hitos.order_by("orden").values_list("descripcion", "fecha_comprometida")
    )
    contenido["medios comprometidos"] = list(
        compromiso.medios_comprometidos.order_by("orden").values_list("descripcion", "tipo")
    )
    return contenido


def _registrar_compromiso(
    compromiso: Compromiso, accion: str, usuario: Any, detalle: dict | None = None
) -> None:
    evento_registrar(
        usuario=usuario,
        accion=accion,
        objeto=compromiso,
        servicio_id=compromiso.formulacion.servicio_id,
        detalle={"codigo": compromiso.codigo, **(detalle or {})},
    )


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
    # Logged before the row goes, so the event still names it (and its year).
    _registrar_compromiso(compromiso, "compromiso.eliminar", usuario, {"nombre": compromiso.nombre})
    compromiso.delete()


@transaction.atomic
def informe_abrir(*, formulacion: FormulacionPMG, periodo: str, usuario: Any) -> InformeAvance:
    """Open (or return) the informe of a periodo once the calendar opens it, with one avance per
    compromiso when its kind's form reports per compromiso (a form of its own has none)."""
    permisos.exigir(usuario, "informe.editar", formulacion)
    if formulacion.estado != EstadoRevision.APROBADO:
        raise ValidationError("Los informes se abren cuando SUBDERE aprueba la formulación.")
    informe = InformeAvance.objects.filter(formulacion=formulacion, periodo=periodo).first()
    if informe is None:
        # Read from the database: the opening date decides a write (hitos_por_clave).
        hito = hito_de_periodo(formulacion=formulacion, periodo=periodo, de_la_base=True)
        apertura = fecha_apertura(
            plazo=hito.fecha_limite if hito else None, inicio=hito.fecha_inicio if hito else None
        )
        if apertura is None or timezone.localdate() < apertura:
            cuando = f" el {apertura:%d-%m-%Y}" if apertura else " cuando SUBDERE lo programe"
            raise ValidationError(f"Este informe se abre{cuando}.")
        informe = InformeAvance.objects.create(formulacion=formulacion, periodo=periodo)
        evento_registrar(
            usuario=usuario,
            accion="informe.abrir",
            objeto=informe,
            servicio_id=formulacion.servicio_id,
        )
    if not informe.tipo.formulario.por_compromiso:
        return informe
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
    requisitos: dict[int, list[int]] | None = None,
    respuestas: dict[int, dict[str, Any]] | None = None,
) -> InformeAvance:
    """Save the draft of an informe: progress per compromiso (by avance id), if final its
    summary, the files linked to each requisito técnico (by requisito id; None: unchanged) and
    the answers to its kind's form questions (by question id; None: unchanged)."""
    permisos.exigir(usuario, "informe.editar", informe)
    informe = InformeAvance.objects.select_for_update().get(pk=informe.pk)
    _exigir_editable(informe)
    if respuestas:
        formulario_guardar(informe=informe, respuestas=respuestas, usuario=usuario)
    for avance in informe.avances.filter(pk__in=avances):
        for campo in CAMPOS_AVANCE:
            setattr(avance, campo, avances[avance.pk][campo])
        avance.save(update_fields=[*CAMPOS_AVANCE, "actualizado"])
    if informe.es_final and resumen is not None:
        for campo in CAMPOS_RESUMEN:
            setattr(informe, campo, resumen.get(campo, ""))
    informe.save(update_fields=[*CAMPOS_RESUMEN, "actualizado"])
    if requisitos is not None:
        _vincular_requisitos(informe, requisitos, usuario)
    return informe


def formulario_guardar(
    *, informe: InformeAvance, respuestas: dict[int, dict[str, Any]], usuario: Any
) -> list:
    """Save the answers to an informe's form questions; its filled form is created on the first
    save. Logged with the questions whose answer changed. The caller holds the informe's lock
    (informe_guardar) or this takes it."""
    permisos.exigir(usuario, "informe.editar", informe)
    with transaction.atomic():
        informe = InformeAvance.objects.select_for_update().get(pk=informe.pk)
        _exigir_editable(informe)
        if informe.llenado_id is None:
            informe.llenado = formularios.llenado_crear(informe.tipo.formulario)
            informe.save(update_fields=["llenado", "actualizado"])
        cambiaron = formularios.respuestas_guardar(llenado=informe.llenado, respuestas=respuestas)
        if cambiaron:
            evento_registrar(
                usuario=usuario,
                accion="formulario.guardar",
                objeto=informe,
                servicio_id=informe.formulacion.servicio_id,
                detalle={"preguntas": [str(p)[:120] for p in cambiaron]},
            )
    return cambiaron


def medios_vigentes_del_informe(informe_id: int):
    """The informe's current files (not deleted, not replaced): its compromisos' and its form
    questions'."""
    return MedioVerificacion.objects.filter(
        informe_id=informe_id, eliminado_en__isnull=True, reemplazado_por__isnull=True
    )


def _vincular_requisitos(
    informe: InformeAvance, requisitos: dict[int, list[int]], usuario: Any
) -> None:
    """Replace the files linked to each requisito of the committed etapa; log each change."""
    propios = {
        r.pk: r
        for r in etapa_comprometida(
            formulacion_id=informe.formulacion_id, tipo=informe.tipo
        ).requisitos
    }
    medios = {m.pk: m for m in medios_vigentes_del_informe(informe.pk)}
    if not set(requisitos) <= set(propios) or any(
        not set(elegidos) <= set(medios) for elegidos in requisitos.values()
    ):
        raise ValidationError(
            "Solo se vinculan archivos de este informe a los requisitos técnicos de la etapa "
            "comprometida."
        )
    antes = vinculos_por_requisito(informe_id=informe.pk)
    for requisito_id, elegidos in requisitos.items():
        nuevos, previos = set(elegidos), antes.get(requisito_id, set())
        if nuevos == previos:
            continue
        informe.vinculos_requisito.filter(requisito_id=requisito_id).exclude(
            medio_id__in=nuevos
        ).delete()
        VinculoRequisito.objects.bulk_create(
            VinculoRequisito(
                informe=informe, requisito_id=requisito_id, medio_id=medio, vinculado_por=usuario
            )
            for medio in sorted(nuevos - previos)
        )
        evento_registrar(
            usuario=usuario,
            accion="requisito.vincular",
            objeto=informe,
            servicio_id=informe.formulacion.servicio_id,
            detalle={
                "requisito": propios[requisito_id].texto[:120],
                "medios": sorted(medios[m].nombre_original for m in nuevos),
            },
        )


@transaction.atomic
def informe_prorrogar(
    *, informe: InformeAvance, hasta: datetime.date | None, usuario: Any
) -> InformeAvance:
    """Grant (or withdraw, with None) an informe's own deadline; the log keeps the old one."""
    permisos.exigir(usuario, "informe.prorrogar", informe)
    informe = (
        InformeAvance.objects.select_for_update(of=("self",))
        .select_related("formulacion__proceso")
        .get(pk=informe.pk)
    )
    anterior = informe.prorroga_hasta
    if anterior == hasta:
        return informe
    informe.prorroga_hasta = hasta
    informe.save(update_fields=["prorroga_hasta", "actualizado"])
    evento_registrar(
        usuario=usuario,
        accion="informe.prorrogar",
        objeto=informe,
        servicio_id=informe.formulacion.servicio_id,
        desde=anterior.isoformat() if anterior else "",
        hacia=hasta.isoformat() if hasta else "",
        detalle={
            "antes": anterior.isoformat() if anterior else None,
            "hasta": hasta.isoformat() if hasta else None,
        },
    )
    return informe


def medios_faltantes(informe: InformeAvance) -> list[MedioComprometido]:
    """Promised medios of the formulación not yet delivered in the year: no current file in
    this informe nor in an earlier one (a medio delivered in informe 1 stays delivered).
    A kind whose form does not report per compromiso delivers none of them: nothing is missing."""
    if not informe.tipo.formulario.por_compromiso:
        return []
    vigente = MedioVerificacion.objects.filter(
        medio_comprometido=OuterRef("pk"),
        avance__informe__formulacion=informe.formulacion_id,
        avance__informe__periodo__in=periodos_hasta(informe.periodo, informe.tipo_id),
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
    bloqueado = InformeAvance.objects.select_for_update(of=("self",)).select_related("tipo")
    bloqueado = bloqueado.get(pk=informe.pk)
    _exigir_formulario_completo(bloqueado)
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
    # A kind SUBDERE does not review is delivered: on record at once, with no queue.
    accion = "entregar" if informe.modalidad == Modalidad.RECEPCION else "enviar"
    return documento_transicionar(objeto=informe, accion=accion, usuario=usuario)


def _exigir_formulario_completo(informe: InformeAvance) -> None:
    """The kind's form questions that must be answered are answered, and each has the medios
    it asks for (each missing one is named, as numbered on the form)."""
    plantilla = plantilla_del_informe(informe)
    errores = []
    sin_responder = formularios.preguntas_sin_responder(plantilla, informe.llenado)
    if sin_responder:
        errores.append(
            ValidationError(
                "Faltan respuestas a preguntas obligatorias del formulario: "
                + "; ".join(formularios_instantanea.rotulo(p) for p in sin_responder)
                + ". Respóndalas antes de enviar.",
                code="preguntas_sin_responder",
            )
        )
    sin_medios = preguntas_sin_medios(informe=informe)
    if sin_medios:
        errores.append(
            ValidationError(
                "Faltan medios de verificación en preguntas del formulario: "
                + "; ".join(
                    f"{formularios_instantanea.rotulo(p)} (pide {p.medios_requeridos}, "
                    f"tiene {p.medios_adjuntos})"
                    for p in sin_medios
                )
                + ". Adjúntelos a cada pregunta antes de enviar; lo ya escrito y adjuntado "
                "se conserva.",
                code="preguntas_sin_medios",
            )
        )
    if errores:
        raise ValidationError(errores)


class MedioDuplicado(ValidationError):
    """The same content is already attached to this compromiso (or question) in this informe."""


def _exigir_informe_editable(informe_id: int) -> InformeAvance:
    informe = InformeAvance.objects.select_for_update().get(pk=informe_id)
    _exigir_editable(informe)
    return informe


def _guardar_medio(
    *,
    informe: InformeAvance,
    avance: AvanceCompromiso | None = None,
    pregunta: Pregunta | None = None,
    archivo: Any,
    usuario: Any,
    reemplaza: MedioVerificacion | None = None,
    descripcion: str = "",
    tipo: str = "",
    medio_comprometido: MedioComprometido | None = None,
) -> MedioVerificacion:
    """Check and store one file of a compromiso's progress or of a form question."""
    revisado = revisar_archivo(archivo)
    existente = MedioVerificacion.objects.filter(
        informe=informe,
        avance=avance,
        pregunta=pregunta,
        sha256=revisado.sha256,
        eliminado_en__isnull=True,
    ).first()
    if existente is not None:
        donde = "a este compromiso" if avance is not None else "a esta pregunta"
        raise MedioDuplicado(
            f"«{revisado.nombre}» ya está adjunto {donde} como «{existente.nombre_original}»; "
            "no se guardó otra copia.",
            code="duplicado",
        )
    archivo.seek(0)
    medio = MedioVerificacion(
        informe=informe,
        avance=avance,
        pregunta=pregunta,
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
    # An upload's temporary file is moved into the disk storage, not read and copied again.
    medio.archivo.save(
        f"medio.{revisado.extension}",
        archivo if hasattr(archivo, "chunks") else File(archivo),
        save=False,
    )
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
    informe = _exigir_informe_editable(avance.informe_id)
    if medio_comprometido is not None and medio_comprometido.compromiso_id != avance.compromiso_id:
        raise ValidationError("El medio comprometido no corresponde a este compromiso.")
    medio = _guardar_medio(
        informe=informe,
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
def medio_pregunta_subir(
    *,
    informe: InformeAvance,
    pregunta: Pregunta,
    archivo: Any,
    usuario: Any,
    descripcion: str = "",
    tipo: str = "",
) -> MedioVerificacion:
    """Attach an evidence file to a question of an open informe's form; the same content only
    once per question."""
    permisos.exigir(usuario, "medio.subir", informe)
    informe = _exigir_informe_editable(informe.pk)
    if not preguntas_del_informe(informe).filter(pk=pregunta.pk).exists():
        raise ValidationError("La pregunta no pertenece al formulario de este informe.")
    medio = _guardar_medio(
        informe=informe,
        pregunta=pregunta,
        archivo=archivo,
        usuario=usuario,
        descripcion=descripcion,
        tipo=tipo,
    )
    _registrar_medio(medio, "medio.subir", usuario)
    return medio


@transaction.atomic
def medio_reemplazar(*, medio: MedioVerificacion, archivo: Any, usuario: Any) -> MedioVerificacion:
    """Upload a new version of a file; the old version stays stored and linked."""
    permisos.exigir(usuario, "medio.subir", medio)
    medio = MedioVerificacion.objects.select_for_update().get(pk=medio.pk)
    informe = _exigir_informe_editable(medio.informe_id)
    if medio.eliminado_en is not None or MedioVerificacion.objects.filter(reemplaza=medio).exists():
        raise ValidationError("Solo se reemplaza la versión vigente de un archivo.")
    nuevo = _guardar_medio(
        informe=informe,
        avance=medio.avance,
        pregunta=medio.pregunta,
        archivo=archivo,
        usuario=usuario,
        reemplaza=medio,
        descripcion=medio.descripcion,
        tipo=medio.tipo,
        medio_comprometido=medio.medio_comprometido,
    )
    # The new version supports the requisitos the old one did (the old links stay, as history).
    VinculoRequisito.objects.bulk_create(
        VinculoRequisito(
            informe_id=vinculo.informe_id,
            requisito_id=vinculo.requisito_id,
            medio=nuevo,
            vinculado_por=usuario,
        )
        for vinculo in medio.vinculos_requisito.all()
    )
    _registrar_medio(nuevo, "medio.reemplazar", usuario, detalle={"reemplaza": medio.pk})
    return nuevo


@transaction.atomic
def medio_eliminar(*, medio: MedioVerificacion, usuario: Any) -> None:
    """Withdraw a file while the informe is still a draft; the file and its record are kept."""
    permisos.exigir(usuario, "medio.eliminar", medio)
    medio = MedioVerificacion.objects.select_for_update().get(pk=medio.pk)
    informe = _exigir_informe_editable(medio.informe_id)
    if not informe.retira_archivos:
        raise ValidationError(
            "Este informe ya fue enviado una vez: sus archivos no se eliminan, se reemplazan por una versión nueva."
        )
    if medio.eliminado_en is not None:
        return
    medio.eliminado_en = timezone.now()
    medio.eliminado_por = usuario
    medio.save(update_fields=["eliminado_en", "eliminado_por"])
    _registrar_medio(medio, "medio.eliminar", usuario)


def medio_rechazo_registrar(
    *,
    nombre: str,
    motivo: str,
    usuario: Any,
    avance: AvanceCompromiso | None = None,
    informe: InformeAvance | None = None,
) -> None:
    """Log an upload the SRM refused (by its content, size or name), for the security log:
    a compromiso's (avance) or a form question's (informe).

    Called after the refusal, outside the upload's transaction, which rolled back.
    """
    evento_registrar(
        usuario=usuario,
        accion="medio.rechazar",
        objeto=avance or informe,
        servicio_id=(informe or avance.informe).formulacion.servicio_id,
        detalle={"nombre": nombre[:255], "motivo": motivo[:500]},
    )


def _registrar_medio(
    medio: MedioVerificacion, accion: str, usuario: Any, detalle: dict | None = None
) -> None:
    donde = (
        {"pregunta": formularios_instantanea.rotulo(medio.pregunta)[:120]}
        if medio.pregunta_id
        else {}
    )
    evento_registrar(
        usuario=usuario,
        accion=accion,
        objeto=medio,
        servicio_id=medio.informe.formulacion.servicio_id,
        detalle={
            "nombre": medio.nombre_original,
            "sha256": medio.sha256,
            **donde,
            **(detalle or {}),
        },
    )


# --- Transitions: the one function that moves a document along the table -----------------


@transaction.atomic
def documento_transicionar(
    *,
    objeto: FormulacionPMG | InformeAvance,
    accion: str,
    usuario: Any,
    comentario: str = "",
    momento: datetime.datetime | None = None,
    condicion: Callable[[FormulacionPMG | InformeAvance], None] | None = None,
) -> FormulacionPMG | InformeAvance:
    """Move a formulación or informe along the transition table, once, and log it.

    The row is locked (PostgreSQL) and updated only if its version is still the one read
    (every database), so two people acting at once cannot both succeed. `condicion` is a rule
    of the calling workflow, checked on the locked row (it raises TransicionNoPermitida).
    `momento` dates a historical record (imports, demo data); it defaults to now.
    """
    momento = momento or timezone.now()
    modelo = type(objeto)
    prefijo = modelo.prefijo_accion
    # Lock only the document's own row (not its servicio or tipo), then decide on fresh data.
    actual = (
        modelo.objects.select_for_update(of=("self",))
        .select_related(
            *(
                ("formulacion__servicio__tipo", "tipo__formulario")
                if modelo is InformeAvance
                else ("servicio",)
            )
        )
        .get(pk=objeto.pk)
    )
    permisos.exigir(usuario, f"{prefijo}.{accion}", actual)
    if actual.version != objeto.version:
        raise TransicionNoPermitida(
            "Otra persona modificó este documento mientras usted lo tenía abierto. "
            "Recargue la página para ver su estado actual."
        )
    nuevo = destino(actual.estado, accion, actual.modalidad)
    if condicion is not None:
        condicion(actual)
    if accion == "reabrir" and not comentario.strip():
        raise TransicionNoPermitida("Indique por qué se reabre un documento ya cerrado.")
    if accion == "no_certificar" and not comentario.strip():
        raise TransicionNoPermitida(
            "Indique por qué no se certifica: el servicio lo leerá junto al resultado."
        )
    if nuevo is None and accion not in ACCIONES_DE_MODALIDAD[actual.modalidad]:
        raise TransicionNoPermitida(_fuera_de_modalidad(actual, accion))
    if nuevo is None:
        raise TransicionNoPermitida(
            f"No se puede «{ETIQUETAS[accion].lower()}» un documento en estado "
            f"«{actual.get_estado_display().lower()}»."
        )
    cambios: dict[str, Any] = {
        "estado": nuevo,
        "version": F("version") + 1,
        "actualizado": momento,
    }
    detalle: dict[str, Any] = {"comentario": comentario} if comentario else {}
    if nuevo in (EstadoRevision.ENVIADO, EstadoRevision.RECIBIDO):
        campo_envio = "enviado_en" if modelo is InformeAvance else "enviada_en"
        cambios[campo_envio] = momento
        # Lateness is decided by the first submission; resubmitting a correction does not change it.
        if modelo is InformeAvance and actual.estado == EstadoRevision.BORRADOR:
            plazo = plazo_informe(actual, de_la_base=True)  # recorded for good: not a cached copy
            cambios["es_atrasado"] = plazo is not None and timezone.localdate(momento) > plazo
            detalle["atrasado"] = cambios["es_atrasado"]
    filas = modelo.objects.filter(pk=actual.pk, version=actual.version).update(**cambios)
    if filas != 1:
        raise TransicionNoPermitida(
            "Otra persona modificó este documento al mismo tiempo. Recargue la página."
        )
    servicio_id = actual.formulacion.servicio_id if modelo is InformeAvance else actual.servicio_id
    evento = evento_registrar(
        usuario=usuario,
        accion=f"{prefijo}.{accion}",
        objeto=actual,
        servicio_id=servicio_id,
        desde=actual.estado,
        hacia=nuevo,
        detalle=detalle,
        momento=momento,
    )
    actual.refresh_from_db()
    # Mails go out only once this transaction commits (delay_on_commit inside).
    avisos.avisar_transicion(evento=evento, documento=actual)
    if modelo is InformeAvance and (motivo := MOTIVO_INSTANTANEA.get(nuevo)):
        Instantanea.objects.create(
            informe=actual,
            ronda=ronda_actual(actual),
            motivo=motivo,
            contenido=instantanea_de(actual),
            usuario=usuario,
            momento=momento,
        )
    return actual


# The states whose content is frozen as it stands when reached (and why).
MOTIVO_INSTANTANEA = {
    EstadoRevision.ENVIADO: Instantanea.Motivo.ENVIO,
    EstadoRevision.RECIBIDO: Instantanea.Motivo.ENVIO,
    EstadoRevision.APROBADO: Instantanea.Motivo.APROBACION,
    EstadoRevision.CERTIFICADO: Instantanea.Motivo.CERTIFICACION,
    EstadoRevision.NO_CERTIFICADO: Instantanea.Motivo.CERTIFICACION,
}


def _fuera_de_modalidad(documento: FormulacionPMG | InformeAvance, accion: str) -> str:
    """Why an action the table knows does not apply to this document's kind."""
    if documento.modalidad == Modalidad.CERTIFICACION and accion == "aprobar":
        return "Este entregable se certifica: use «Certificar» o «No certificar»."
    if documento.modalidad == Modalidad.RECEPCION:
        return (
            "SUBDERE no revisa este tipo de entregable: se entrega y queda registrado como "
            "recibido."
        )
    return "Este documento no se certifica: se aprueba o se observa."


class EstadoArchivo:
    COINCIDE = "coincide"
    ALTERADO = "no coincide"
    FALTA = "no se encuentra"


def _sha256_guardado(medio: MedioVerificacion) -> str | None:
    """The SHA-256 of the stored file as it is now; None when the storage no longer has it."""
    resumen = hashlib.sha256()
    try:
        with medio.archivo.open("rb") as archivo:
            for bloque in archivo.chunks():
                resumen.update(bloque)
    except (FileNotFoundError, OSError, ValueError):
        return None
    return resumen.hexdigest()


def instantanea_verificar(*, instantanea: Instantanea, usuario: Any) -> list[dict]:
    """Re-hash the stored files a snapshot froze and say which no longer match; logged.

    Reads only: nothing is changed but the log, so whoever sees the informe may check it.
    """
    permisos.exigir(usuario, "instantanea.consultar", instantanea)
    archivos = archivos_de_instantanea(instantanea=instantanea)
    for archivo in archivos:
        actual = _sha256_guardado(archivo["medio"]) if archivo["medio"] else None
        archivo["estado"] = (
            EstadoArchivo.FALTA
            if actual is None
            else EstadoArchivo.COINCIDE
            if actual == archivo["sha256"]
            else EstadoArchivo.ALTERADO
        )
    evento_registrar(
        usuario=usuario,
        accion="instantanea.verificar",
        objeto=instantanea,
        servicio_id=instantanea.informe.formulacion.servicio_id,
        detalle={
            "archivos": len(archivos),
            "alterados": [
                f"{a['codigo']}: {a['nombre']} ({a['estado']})"
                for a in archivos
                if a["estado"] != EstadoArchivo.COINCIDE
            ],
        },
    )
    return archivos


def instantanea_de(informe: InformeAvance) -> dict:
    """The informe's content as submitted: texts, progress and the current files by SHA-256."""
    vigentes = MedioVerificacion.objects.filter(
        informe=informe, eliminado_en__isnull=True, reemplazado_por__isnull=True
    ).select_related("reemplaza", "pregunta")
    medios: dict[int, dict] = {}
    # The files of the form's questions, by question id (JSON keys), with the question's name.
    de_preguntas: dict[str, dict] = {}
    for medio in vigentes:
        datos = {
            "nombre": medio.nombre_original,
            "reemplaza": medio.reemplaza.sha256 if medio.reemplaza else None,
        }
        if medio.avance_id is not None:
            medios.setdefault(medio.avance_id, {})[medio.sha256] = datos
        else:
            de_preguntas.setdefault(
                str(medio.pregunta_id),
                {"pregunta": formularios_instantanea.rotulo(medio.pregunta), "medios": {}},
            )["medios"][medio.sha256] = datos
    avances = {
        avance.compromiso.codigo: {
            "compromiso": avance.compromiso.nombre,
            **{campo: getattr(avance, campo) for campo in CAMPOS_AVANCE},
            "medios": medios.get(avance.pk, {}),
        }
        for avance in informe.avances.select_related("compromiso")
    }
    # The checklist of the committed etapa: each requisito with the files the servicio linked
    # to it and, once SUBDERE judged it in this informe's review, met or not and with what.
    nombres = {m.pk: m.nombre_original for m in vigentes}
    etapa = etapa_comprometida(formulacion_id=informe.formulacion_id, tipo=informe.tipo)
    vinculos = vinculos_por_requisito(informe_id=informe.pk) if etapa.requisitos else {}
    veredictos = (
        revision.lector().veredictos_requisito(
            formulacion_id=informe.formulacion_id, informe_id=informe.pk
        )
        if etapa.requisitos
        else {}
    )
    requisitos = []
    for requisito in etapa.requisitos:
        fila = {
            "requisito": requisito.texto,
            "medios": sorted(nombres[m] for m in vinculos.get(requisito.pk, ()) if m in nombres),
        }
        if (veredicto := veredictos.get(requisito.pk)) is not None:
            fila["cumple"] = veredicto.cumple
            fila["respaldo"] = sorted(m.nombre_original for m in veredicto.medios.all())
            fila["comentario"] = veredicto.comentario
        requisitos.append(fila)
    return {
        "resumen": {campo: getattr(informe, campo) for campo in CAMPOS_RESUMEN},
        "avances": avances,
        "requisitos": requisitos,
        # The answers to the kind's form questions (none for a form of built-in blocks only).
        "respuestas": formularios_instantanea.serializar(
            informe.llenado if informe.llenado_id else None
        ),
        "medios_preguntas": de_preguntas,
    }


def ronda_actual(
    documento: FormulacionPMG | InformeAvance, eventos: list[Evento] | None = None
) -> int:
    """Review rounds are numbered by submissions: the n-th sending opens round n. One query;
    none with `eventos`, the document's logged events when the page already read them (its
    timeline)."""
    tipo = ContentType.objects.get_for_model(type(documento))
    acciones = [f"{documento.prefijo_accion}.enviar", f"{documento.prefijo_accion}.entregar"]
    if eventos is None:
        envios = Evento.objects.filter(
            tipo_objeto=tipo, objeto_id=documento.pk, accion__in=acciones
        ).count()
    else:
        envios = sum(
            1
            for evento in eventos
            if evento.tipo_objeto_id == tipo.pk
            and evento.objeto_id == documento.pk
            and evento.accion in acciones
        )
    return max(envios, 1)
