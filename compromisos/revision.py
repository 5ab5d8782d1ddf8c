"""What SUBDERE's review says about an informe or a formulación, for the servicio's own pages.

The review (observaciones by round, verdicts on files, the informe's timeline) belongs to the
validacion app, which sits above this one: compromisos shows it without importing it.
validacion registers its reader at start-up (ValidacionConfig.ready).
"""

from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured

from compromisos.models import FormulacionPMG, InformeAvance


class LectorRevision(Protocol):
    def observaciones_por_ronda(self, *, informe: InformeAvance) -> list[tuple[int, list]]: ...

    def veredictos_vigentes(self, *, informe: InformeAvance) -> dict[int, Any]: ...

    def linea_de_tiempo(self, *, informe: InformeAvance) -> list: ...

    def observaciones_de_formulacion(self, *, formulacion: FormulacionPMG) -> list: ...

    def veredictos_requisito(
        self, *, formulacion_id: int, informe_id: int | None
    ) -> dict[int, Any]: ...

    def requisitos_para_calificar(
        self,
        *,
        formulacion_id: int,
        informe_id: int | None,
        medios: dict,
        periodo_vinculos: str = "",
        tipo: Any = None,
    ) -> Any: ...


_lector: LectorRevision | None = None


def registrar(lector: LectorRevision) -> None:
    global _lector
    _lector = lector


def lector() -> LectorRevision:
    if _lector is None:
        raise ImproperlyConfigured("Ninguna aplicación registró la lectura de la revisión.")
    return _lector
