"""Which reports a user may request: the kinds of report mapped onto srm.permisos' actions.

The door decides; this module only names, for each kind of report, the action it asks about.
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value

from calidad import selectors as calidad_selectors
from compromisos.models import FormulacionPMG
from reportes.models import TIPOS_DE_GORE, TIPOS_DE_METAS, Reporte, TipoReporte
from servicios.models import Membresia, Servicio
from srm import permisos

logger = logging.getLogger("srm.seguridad")


def accion_de_reporte(tipo: str) -> str:
    """The permission action that allows requesting a kind of report."""
    if tipo in (TipoReporte.CONSOLIDADO_XLSX, TipoReporte.CONSOLIDADO_PDF):
        return "reporte.consolidado"
    return f"reporte.{TipoReporte(tipo).value}"


def tipos_de_reporte(usuario: Any) -> list[str]:
    """The kinds of report this user may request, in the order the Reportes page lists them."""
    return [tipo for tipo in TipoReporte.values if permisos.puede(usuario, accion_de_reporte(tipo))]


def historial(usuario: Any) -> QuerySet[Reporte]:
    """The runs this user sees, each with `muestra_solicitante`: a servicio (or the consultora)
    sees who asked only for its own people's requests; SUBDERE's show as SUBDERE's."""
    reportes = permisos.visibles(usuario, Reporte).select_related("servicio", "solicitado_por")
    if permisos.puede(usuario, "reporte.ver_solicitante"):
        return reportes.annotate(muestra_solicitante=Value(True))
    del_servicio = Membresia.objects.filter(
        usuario=OuterRef("solicitado_por"), servicio=OuterRef("servicio")
    )
    return reportes.annotate(
        muestra_solicitante=ExpressionWrapper(
            Q(solicitado_por=usuario) | Q(Exists(del_servicio)), output_field=BooleanField()
        )
    )


def ve_formulacion(usuario: Any, *, servicio: Servicio, anio: int) -> bool:
    """The user sees this servicio's formulación of that year (a consultora: its cartera's)."""
    return (
        permisos.visibles(usuario, FormulacionPMG)
        .filter(servicio=servicio, proceso__anio=anio)
        .exists()
    )


def ve_autoevaluacion(usuario: Any, *, servicio: Servicio, anio: int) -> bool:
    """The user sees this GORE's autoevaluación de calidad of that year (calidad's own scope)."""
    return (
        calidad_selectors.autoevaluaciones_visibles(usuario=usuario)
        .filter(servicio=servicio, anio=anio)
        .exists()
    )


def ve_alcance(usuario: Any, tipo: str, *, servicio: Servicio, anio: int) -> bool:
    """The servicio's year is within the user's reach for this kind of report: a GORE's
    autoevaluación for the quality reports, the PMG formulación for the others."""
    if tipo in TIPOS_DE_GORE:
        return ve_autoevaluacion(usuario, servicio=servicio, anio=anio)
    return ve_formulacion(usuario, servicio=servicio, anio=anio)


def exigir_reporte(
    usuario: Any,
    tipo: str,
    *,
    anio: int,
    servicio: Servicio | None,
    departamento: int | None = None,
) -> None:
    """403 unless the user may request this report; a servicio's report needs its year visible;
    a metas report, one of the user's departments (unless he reads the whole División)."""
    permisos.exigir(usuario, accion_de_reporte(tipo), servicio)
    propios = permisos.departamentos_propios(usuario) if tipo in TIPOS_DE_METAS else None
    if propios is not None and departamento not in propios:
        logger.warning(
            "Acceso denegado (403): usuario=%s pidió el reporte %s del departamento %s",
            getattr(usuario, "username", None),
            tipo,
            departamento,
        )
        raise PermissionDenied("Solo puede pedir los reportes de metas de sus departamentos.")
    if servicio is not None and not ve_alcance(usuario, tipo, servicio=servicio, anio=anio):
        logger.warning(
            "Acceso denegado (403): usuario=%s pidió el reporte %s de %s %s fuera de su alcance",
            getattr(usuario, "username", None),
            tipo,
            servicio.pk,
            anio,
        )
        raise PermissionDenied("Solo puede pedir reportes de los servicios que tiene a cargo.")
