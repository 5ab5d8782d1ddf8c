"""The tablero of the year, its drill-down lists and the hitos tracker. Read-only pages."""

import datetime
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from asistencia import selectors as asistencia_selectors
from compromisos.models import FormulacionPMG, Proceso
from programa.models import Participacion
from srm import entradas, permisos
from tablero import cache, exportar, exportar_registro, selectors
from tablero.filters import (
    ACCIONES_DE_SEGURIDAD,
    CompromisosFilter,
    RegistroFilter,
    SeguimientoFilter,
    ServiciosFilter,
    TableroFilter,
)
from tablero.selectors import Alcance
from tablero.templatetags.tablero_enlaces import Enlaces

# The filters every page of the tablero reads; each page adds its own.
CAMPOS_TABLERO = ("anio", "periodo", "ministerio", "tipo", "region")


def _parametros(request: HttpRequest, *campos: str) -> tuple[Proceso | None, QueryDict]:
    """The filters of the URL that the page reads, completed with the current year and periodo.

    Anything else in the URL is dropped: the page body is cached under these parameters, so
    they must be all it reads (see tablero/cache.py). Asks the permission door first.
    """
    permisos.exigir(request.user, "tablero.consultar")
    pedido = request.GET.get("anio", "")
    hoy = timezone.localdate()
    proceso = selectors.proceso_del_anio(entradas.anio(pedido), hoy=hoy)
    valores = {campo: request.GET.get(campo, "") for campo in (*CAMPOS_TABLERO, *campos)}
    if proceso is not None:
        valores["anio"] = str(proceso.anio)
        if valores["periodo"] not in dict(selectors.entregables(proceso)):
            valores["periodo"] = selectors.periodo_por_defecto(proceso=proceso, hoy=hoy)
    datos = QueryDict(mutable=True)
    for campo, valor in valores.items():
        if valor:
            datos[campo] = valor
    return proceso, datos


def _alcance(
    request: HttpRequest, proceso: Proceso, datos: QueryDict
) -> tuple[TableroFilter, Alcance]:
    """The servicios the filters choose, and what the figures measure."""
    filtro = TableroFilter(datos, queryset=permisos.visibles(request.user, FormulacionPMG))
    todos = filtro.qs
    # The year's universe under the same filters (each filters by the servicio) and permissions.
    participaciones = filtro.filter_queryset(
        permisos.visibles(request.user, Participacion).filter(programa__anio=proceso.anio)
    )
    elegidos = filtro.form.cleaned_data if filtro.form.is_valid() else {}
    return filtro, Alcance(
        proceso=proceso,
        periodo=datos["periodo"],
        formulaciones=todos.filter(proceso=proceso),
        todos_los_anios=todos,
        servicios=":".join(
            [
                permisos.rol(request.user),
                *(datos.get(c, "") for c in ("ministerio", "tipo", "region")),
            ]
        ),
        participaciones=participaciones,
        filtra_grupo=bool(elegidos.get("ministerio") or elegidos.get("region")),
    )


def _sin_proceso(request: HttpRequest) -> HttpResponse:
    return render(request, "tablero/sin_proceso.html")


def _quiere_excel(request: HttpRequest) -> bool:
    return request.GET.get("formato") == "xlsx"


def _consulta(datos: QueryDict) -> str:
    """The query string of the tablero's filters, for links to drill-down lists and back."""
    comunes = QueryDict(mutable=True)
    for campo in CAMPOS_TABLERO:
        if datos.get(campo):
            comunes[campo] = datos[campo]
    return comunes.urlencode()


def _pagina(
    request: HttpRequest,
    nombre: str,
    proceso: Proceso,
    datos: QueryDict,
    contexto: Callable[[], dict],
    hoy: datetime.date | None = None,
) -> HttpResponse:
    """The page around its body, which comes from the cache while the data stays the same."""
    cuerpo = cache.cuerpo(
        request,
        pagina=nombre,
        parametros=datos,
        plantilla=f"tablero/_{nombre}_cuerpo.html",
        contexto=lambda: {**contexto(), "parametros": datos},
        hoy=hoy,
    )
    return render(request, f"tablero/{nombre}.html", {"anio": proceso.anio, "cuerpo": cuerpo})


@require_safe
@login_required
@cache.con_versiones_leidas
def tablero(request: HttpRequest) -> HttpResponse:
    proceso, datos = _parametros(request)
    if proceso is None:
        return _sin_proceso(request)
    if _quiere_excel(request):
        filtro, alcance = _alcance(request, proceso, datos)
        return exportar.respuesta(
            _libro_tablero(filtro, alcance, selectors.tablero(alcance)), "tablero"
        )

    def contexto() -> dict:
        filtro, alcance = _alcance(request, proceso, datos)
        cifras = selectors.tablero(alcance)
        consulta = _consulta(datos)
        return {
            "filtro": filtro,
            "alcance": alcance,
            "cifras": cifras,
            "consulta": consulta,
            "graficos": _graficos(cifras, consulta),
            "grupos_cumplimiento": [
                ("Por ministerio", cifras["cumplimiento"]["por_ministerio"]),
                ("Por tipo de servicio", cifras["cumplimiento"]["por_tipo"]),
                ("Por región", cifras["cumplimiento"]["por_region"]),
            ],
            "nombre_periodo": dict(selectors.entregables(alcance.proceso))[alcance.periodo],
            # The year's technical assistance, whatever the filters: kept apart from the body
            # (tablero.cache.de_asistencia), so an informe saved does not recompute it.
            "asistencia": _asistencia(proceso.anio),
        }

    return _pagina(request, "tablero", proceso, datos, contexto)


def _asistencia(anio: int) -> dict:
    hoy = timezone.localdate()
    return cache.de_asistencia(
        anio, hoy, lambda: asistencia_selectors.resumen_tablero(anio=anio, hoy=hoy)
    )


def _graficos(cifras: dict, consulta: str) -> dict:
    """What each chart draws, with the drill-down link of each bar (read by tablero.js).

    The same rows fill the table beside each chart, for screen readers and for print.
    """
    servicios, compromisos = "tablero:servicio_lista", "tablero:compromiso_lista"
    enlace = Enlaces(consulta)

    def serie(filas, destino, clave, tipo="bar", unidad="servicios", valor="cantidad"):
        return {
            "tipo": tipo,
            "unidad": unidad,
            "filas": [
                {
                    "nombre": fila["nombre"],
                    "valor": fila[valor],
                    "enlace": enlace(destino, **{clave: fila["valor"]}),
                }
                for fila in filas
            ],
        }

    def grupo(filas, clave):
        return {
            "tipo": "barh",
            "unidad": "% de avance",
            "filas": [
                {
                    "nombre": fila["nombre"],
                    "valor": fila["avance"],
                    "servicios": fila["servicios"],
                    "enlace": enlace(servicios, **{clave: fila["id"]}),
                }
                for fila in filas
            ],
        }

    informes = cifras["informes"]
    plazos = [
        {"nombre": "A tiempo", "valor": "a_tiempo", "cantidad": informes["a_tiempo"]},
        {"nombre": "Fuera de plazo", "valor": "atrasado", "cantidad": informes["atrasados"]},
        {"nombre": "Sin enviar", "valor": "sin_enviar", "cantidad": informes["sin_enviar"]},
    ]
    return {
        "informes": serie(informes["estados"], servicios, "estado"),
        "plazos": serie(plazos, servicios, "plazo", tipo="doughnut"),
        "complejidad": serie(
            cifras["complejidad"], compromisos, "complejidad", unidad="compromisos"
        ),
        "ambito": serie(cifras["ambito"], compromisos, "ambito", tipo="barh", unidad="compromisos"),
        "tipo_medida": serie(
            cifras["tipo_medida"], compromisos, "tipo_medida", tipo="doughnut", unidad="compromisos"
        ),
        "validacion": serie(
            cifras["validacion"]["filas"],
            compromisos,
            "validacion",
            tipo="doughnut",
            unidad="iniciativas",
        ),
        "por_ministerio": grupo(cifras["por_ministerio"], "ministerio"),
        "por_tipo": grupo(cifras["por_tipo"], "tipo"),
        "por_region": grupo(cifras["por_region"], "region"),
        "tendencia": {
            "tipo": "line",
            "unidad": "%",
            "series": ["Enviados a tiempo", "Informes aprobados", "Iniciativas que cumplen"],
            "filas": [
                {
                    "nombre": fila["anio"],
                    "valores": [
                        fila["porcentaje_a_tiempo"],
                        fila["porcentaje_aprobados"],
                        fila["porcentaje_cumple"],
                    ],
                    "servicios": fila["servicios"],
                    "enlace": enlace("tablero:tablero", anio=fila["anio"]),
                }
                for fila in cifras["tendencia"]
            ],
        },
        "mapa": [
            {
                **region,
                # A region without servicios under the current filters has no list behind it.
                "enlace": enlace(servicios, region=region["id"]) if region["servicios"] else None,
            }
            for region in cifras["mapa"]
        ],
    }


def _lista(
    request: HttpRequest,
    nombre: str,
    filtro_cifra: type[ServiciosFilter | CompromisosFilter],
    filas: Callable[[Alcance], QuerySet],
    hoja: Callable[[ServiciosFilter | CompromisosFilter], tuple],
    archivo: tuple[str, str],
    pagina: Callable[[QuerySet], QuerySet | list] = lambda filas: filas,
) -> HttpResponse:
    """A list behind a figure: the tablero's filters, the figure's own, a page or an Excel.

    `pagina` picks what the page shows of each row (the Excel reads the rows themselves);
    `archivo` is the Excel's title and the start of its file name.
    """
    proceso, datos = _parametros(request, *filtro_cifra.base_filters, "pagina")
    if proceso is None:
        return _sin_proceso(request)

    def filtrar() -> tuple[TableroFilter, Alcance, ServiciosFilter | CompromisosFilter]:
        filtro, alcance = _alcance(request, proceso, datos)
        return filtro, alcance, filtro_cifra(datos, queryset=filas(alcance))

    if _quiere_excel(request):
        filtro, alcance, cifra = filtrar()
        titulo, base = archivo
        return exportar.respuesta(
            exportar.libro(
                [exportar.hoja_filtros(filtro, alcance), hoja(cifra)],
                exportar.membrete(titulo, filtro, alcance, cifra),
            ),
            base,
        )

    def contexto() -> dict:
        filtro, alcance, cifra = filtrar()
        return {
            "filtro": filtro,
            "cifra": cifra,
            "alcance": alcance,
            "pagina": Paginator(pagina(cifra.qs), 50).get_page(datos.get("pagina")),
            "consulta": _consulta(datos),
            "nombre_periodo": dict(selectors.entregables(alcance.proceso))[alcance.periodo],
        }

    return _pagina(request, nombre, proceso, datos, contexto)


@require_safe
@login_required
@cache.con_versiones_leidas
def servicio_lista(request: HttpRequest) -> HttpResponse:
    return _lista(
        request,
        "servicio_lista",
        ServiciosFilter,
        filas=lambda alcance: (
            selectors.situacion_del_periodo(alcance)
            .select_related("servicio__ministerio", "servicio__tipo", "servicio__region")
            .order_by("servicio__nombre")
        ),
        hoja=lambda cifra: (
            "Servicios",
            [
                "Servicio",
                "Ministerio",
                "Tipo",
                "Región",
                "Estado del informe",
                "Enviado",
                "Fuera de plazo",
                "Avance promedio (%)",
                "Observaciones pendientes",
            ],
            (
                [
                    f.servicio.nombre,
                    f.servicio.ministerio.nombre,
                    f.servicio.tipo.nombre,
                    f.servicio.region.nombre if f.servicio.region else "Nacional",
                    f.informe_estado or "sin informe",
                    f.informe_enviado_en,
                    "sí" if f.informe_es_atrasado else "no",
                    float(f.avance_promedio) if f.avance_promedio is not None else None,
                    f.observaciones_pendientes,
                ]
                for f in cifra.qs
            ),
        ),
        archivo=("Servicios del tablero", "servicios"),
        # Rows, not four model instances each, and all of them at once: one per servicio at
        # most, so the page needs no separate count.
        pagina=lambda filas: list(filas.values(*COLUMNAS_SERVICIOS)),
    )


COLUMNAS_SERVICIOS = (
    "pk",
    "servicio__nombre",
    "servicio__tipo__nombre",
    "servicio__ministerio__sigla",
    "servicio__region__nombre",
    "informe_id",
    "informe_estado",
    "informe_enviado_en",
    "informe_es_atrasado",
    "avance_promedio",
    "observaciones_pendientes",
)


@require_safe
@login_required
@cache.con_versiones_leidas
def compromiso_lista(request: HttpRequest) -> HttpResponse:
    return _lista(
        request,
        "compromiso_lista",
        CompromisosFilter,
        filas=lambda alcance: (
            selectors.compromisos_del_alcance(alcance)
            .select_related("formulacion__servicio", "validacion")
            .order_by("formulacion__servicio__nombre", "codigo")
        ),
        hoja=lambda cifra: (
            "Compromisos",
            [
                "Servicio",
                "Código",
                "Compromiso",
                "Tipo de medida",
                "Complejidad",
                "Ámbito",
                "Validación",
            ],
            (
                [
                    c.formulacion.servicio.nombre,
                    c.codigo,
                    c.nombre,
                    c.get_tipo_medida_display(),
                    c.get_complejidad_display(),
                    c.get_ambito_display(),
                    _validacion(c),
                ]
                for c in cifra.qs
            ),
        ),
        archivo=("Compromisos del tablero", "compromisos"),
    )


def _validacion(compromiso) -> str:
    validacion = getattr(compromiso, "validacion", None)
    return validacion.get_resultado_display() if validacion else "Sin validar"


@require_safe
@login_required
@cache.con_versiones_leidas
def seguimiento(request: HttpRequest) -> HttpResponse:
    proceso, datos = _parametros(request, *SeguimientoFilter.base_filters)
    if proceso is None:
        return _sin_proceso(request)
    # Late, missing and due soon are relative to today: the cached body is today's.
    hoy = timezone.localdate()

    def cumplimiento() -> tuple[TableroFilter, Alcance, SeguimientoFilter, dict, list[dict]]:
        filtro, alcance = _alcance(request, proceso, datos)
        hitos = selectors.itinerario(proceso=alcance.proceso)
        universo = selectors.universo(alcance)
        etapas = selectors.etapas_seguidas(alcance.proceso)
        claves = [clave for clave, _ in etapas]
        todas = selectors.seguimiento(
            alcance.formulaciones, hitos, hoy, universo["faltan"], etapas=claves
        )
        calendario = selectors.calendario_con_cumplimiento(
            hitos=hitos, filas=todas, hoy=hoy, etapas=claves
        )
        calendario["etapas"] = etapas
        cifra = SeguimientoFilter(datos, etapas=etapas)
        # Validated only when a count of the itinerary is asked for: its form is drawn once per
        # catalog version (tablero_enlaces.filtros).
        pedida = any(campo in datos for campo in SeguimientoFilter.base_filters)
        elegido = cifra.form.cleaned_data if pedida and cifra.is_valid() else {}
        filas = selectors.filtrar_filas(
            todas,
            etapa=elegido.get("etapa"),
            situacion=elegido.get("situacion"),
            hito=int(elegido["hito"]) if elegido.get("hito") is not None else None,
        )
        return filtro, alcance, cifra, calendario, filas, universo

    if _quiere_excel(request):
        filtro, alcance, cifra, calendario, filas, universo = cumplimiento()
        return exportar.respuesta(
            exportar.libro(
                [
                    exportar.hoja_filtros(filtro, alcance),
                    (
                        "Calendario",
                        ["Hito", "Etapa", "Desde", "Fecha límite", "Aplica a", *_SITUACIONES],
                        (
                            [
                                h.nombre,
                                h.get_etapa_display(),
                                h.fecha_inicio,
                                h.fecha_limite,
                                ", ".join(t.nombre for t in h.tipos_servicio.all()) or "Todos",
                                *(h.conteos[s] if h.es_seguido else None for s in _SITUACIONES_V),
                            ]
                            for h in calendario["hitos"]
                        ),
                    ),
                    (
                        "Seguimiento",
                        [
                            "Servicio",
                            "Tipo",
                            *(
                                f"{etiqueta} · {campo}"
                                for _, etiqueta in calendario["etapas"]
                                for campo in ("situación", "plazo", "entregado")
                            ),
                        ],
                        (
                            [
                                fila["servicio"],
                                fila["tipo"],
                                *(
                                    valor
                                    for c in fila["celdas"]
                                    for valor in (c["nombre"], c["plazo"], c["envio"])
                                ),
                            ]
                            for fila in filas
                        ),
                    ),
                    _hoja_fuera_del_universo(universo),
                ],
                exportar.membrete("Seguimiento de hitos", filtro, alcance, cifra),
            ),
            "hitos",
        )

    def contexto() -> dict:
        filtro, alcance, cifra, calendario, filas, universo = cumplimiento()
        return {
            "universo": universo,
            "filtro": filtro,
            "cifra": cifra,
            "alcance": alcance,
            "calendario": calendario,
            "filas": filas,
            "etapas": calendario["etapas"],
            "situaciones": selectors.Situacion.choices,
            "consulta": _consulta(datos),
            "hoy": hoy,
        }

    return _pagina(request, "seguimiento", proceso, datos, contexto, hoy=hoy)


def _hoja_fuera_del_universo(universo: dict) -> tuple:
    """The year's eximidos and servicios in another sistema, with their reason."""
    return (
        "Eximidos y otro sistema",
        ["Servicio", "Tipo", "Situación", "Sistema que cumple", "Motivo"],
        [
            [
                f["servicio__nombre"],
                f["servicio__tipo__nombre"],
                "Eximido" if f["estado"] == "eximido" else "En otro sistema",
                f["otro_sistema"],
                f["motivo"],
            ]
            for f in [*universo["eximidos"], *universo["otro_sistema"]]
        ],
    )


_SITUACIONES_V = [s for s in selectors.Situacion.values if s != selectors.Situacion.NO_APLICA]
_SITUACIONES = [selectors.Situacion(s).label for s in _SITUACIONES_V]


def _libro_tablero(filtro: TableroFilter, alcance: Alcance, cifras: dict):
    informes = cifras["informes"]
    grupos = [
        ("Por ministerio", cifras["por_ministerio"]),
        ("Por tipo de servicio", cifras["por_tipo"]),
        ("Por región", cifras["por_region"]),
    ]
    return exportar.libro(
        [
            exportar.hoja_filtros(filtro, alcance),
            (
                "Informes por estado",
                ["Estado del informe", "Servicios"],
                [[e["nombre"], e["cantidad"]] for e in informes["estados"]],
            ),
            (
                "Plazos",
                ["Entrega", "Servicios"],
                [
                    ["Enviado a tiempo", informes["a_tiempo"]],
                    ["Enviado fuera de plazo", informes["atrasados"]],
                    ["Sin enviar", informes["sin_enviar"]],
                ],
            ),
            (
                "Observaciones",
                ["Estado", "Observaciones"],
                [
                    ["Abiertas", cifras["observaciones"]["abiertas"]],
                    ["Respondidas", cifras["observaciones"]["respondidas"]],
                    ["Resueltas", cifras["observaciones"]["resueltas"]],
                ],
            ),
            *(
                (
                    titulo,
                    [titulo, "Compromisos"],
                    [[f["nombre"], f["cantidad"]] for f in cifras[clave]],
                )
                for titulo, clave in (
                    ("Complejidad", "complejidad"),
                    ("Ámbito", "ambito"),
                    ("Tipo de medida", "tipo_medida"),
                )
            ),
            (
                "Validación",
                ["Resultado", "Iniciativas", "Porcentaje"],
                [
                    [f["nombre"], f["cantidad"], f["porcentaje"]]
                    for f in cifras["validacion"]["filas"]
                ],
            ),
            *(
                (
                    titulo,
                    ["Grupo", "Servicios", "Avance promedio (%)", "Informes aprobados"],
                    [[f["nombre"], f["servicios"], f["avance"], f["aprobados"]] for f in filas],
                )
                for titulo, filas in grupos
            ),
            (
                "Universo",
                ["Tipo de servicio", "Declarados", "Nombrados en el SRM", "Formularon", "Falta"],
                [
                    [f["nombre"], f["declarados"], f["nombrados"], f["formularon"], f["faltan"]]
                    for f in cifras["universo"]["por_tipo"]
                ],
            ),
            _hoja_fuera_del_universo(cifras["universo"]),
            (
                "Cumplimiento por tramo",
                [
                    "Grupo",
                    "Nombre",
                    *(t["nombre"] for t in cifras["cumplimiento"]["tramos"]),
                    "Servicios",
                ],
                [
                    ["Todos", "", *(f["cantidad"] for f in cifras["cumplimiento"]["total"])]
                    + [cifras["cumplimiento"]["servicios"]],
                    *(
                        [titulo, f["nombre"], *f["cantidades"], f["servicios"]]
                        for titulo, clave in (
                            ("Ministerio", "por_ministerio"),
                            ("Tipo de servicio", "por_tipo"),
                            ("Región", "por_region"),
                        )
                        for f in cifras["cumplimiento"][clave]
                    ),
                ],
            ),
            (
                "Tendencia",
                [
                    "Año",
                    "Servicios",
                    "Enviados a tiempo (%)",
                    "Aprobados (%)",
                    "Compromisos",
                    "Cumplen (%)",
                ],
                [
                    [
                        f["anio"],
                        f["servicios"],
                        f["porcentaje_a_tiempo"],
                        f["porcentaje_aprobados"],
                        f["compromisos"],
                        f["porcentaje_cumple"],
                    ]
                    for f in cifras["tendencia"]
                ],
            ),
        ],
        exportar.membrete("Tablero PMG", filtro, alcance),
    )


# --- The event log page --------------------------------------------------------------------


@require_safe
@login_required
def registro(request: HttpRequest) -> HttpResponse:
    """The event log in sentences: who, what, on which servicio and year, when; filtered,
    paginated and exported to Excel. An analista reads its cartera's part (srm.permisos)."""
    permisos.exigir(request.user, "registro.consultar")
    filtro = RegistroFilter(
        request.GET,
        queryset=selectors.registro(usuario=request.user),
        servicios=selectors.servicios_del_registro(usuario=request.user),
        personas=selectors.personas_del_registro(),
    )
    if _quiere_excel(request):
        return exportar.respuesta(exportar_registro.libro(filtro), "registro")
    parametros = request.GET.copy()
    parametros.pop("pagina", None)
    return render(
        request,
        "tablero/registro.html",
        {
            "filtro": filtro,
            "pagina": Paginator(filtro.qs, 50).get_page(request.GET.get("pagina")),
            "parametros": parametros,
            "acciones_seguridad": ACCIONES_DE_SEGURIDAD,
        },
    )
