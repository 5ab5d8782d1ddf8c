from typing import Any

from django import forms

from calidad import selectors as calidad_selectors
from compromisos.models import InformeAvance, Proceso
from compromisos.selectors import periodos_a_elegir
from metas.models import Departamento
from reportes import acceso
from reportes.datos import descripcion_filtros, periodos_del_anio
from reportes.models import (
    TIPOS_CON_PERIODO,
    TIPOS_DE_GORE,
    TIPOS_DE_METAS,
    TIPOS_DE_SERVICIO,
    TipoReporte,
)
from servicios.models import Ministerio, Region, Servicio, TipoServicio
from srm import catalogo, permisos
from srm.widgets import FormularioBootstrap

AYUDA = {
    TipoReporte.CONSOLIDADO_XLSX: (
        "Por servicio: estado del informe, envío en plazo, avance promedio y observaciones "
        "pendientes; totales por ministerio, tipo de servicio y región."
    ),
    TipoReporte.CONSOLIDADO_PDF: "El mismo estado consolidado, para imprimir o enviar.",
    TipoReporte.FICHA: (
        "Formulación, compromisos, avance en cada informe, observaciones y validación: "
        "para preparar una reunión bilateral."
    ),
    TipoReporte.PLANILLA: (
        "La planilla de la unidad: hojas de servicios, compromisos, hitos, medios, "
        "observaciones y validaciones."
    ),
    TipoReporte.VALIDACION_DIPRES: (
        "Veredicto y fundamento por servicio e iniciativa, de las validaciones ratificadas."
    ),
    TipoReporte.RESUMEN_EJECUTIVO: "Las cifras del año con gráficos, para la jefatura.",
    TipoReporte.EXPEDIENTE: (
        "ZIP con la ficha, todos los medios de verificación ordenados por informe y "
        "compromiso, y el historial de observaciones."
    ),
    TipoReporte.METAS_XLSX: (
        "Cada medición de los indicadores de la División: cifras, estado, quién la reportó "
        "y cuántas evidencias tiene."
    ),
    TipoReporte.METAS_PDF: (
        "Semáforo, proyección y tendencia de cada indicador de un departamento (o de todos)."
    ),
    TipoReporte.CALIDAD_XLSX: (
        "Sistema de calidad de los GORE: puntaje de cada gobierno regional por criterio, con "
        "su estado y nivel, y la calificación de cada elemento."
    ),
    TipoReporte.CALIDAD_PDF: (
        "De un gobierno regional y año: puntaje de cada criterio frente a su máximo, "
        "elementos, puntaje validado y nivel, brechas, Plan de Mejoras y su ejecución, y el "
        "año anterior al lado si lo hay."
    ),
    TipoReporte.ASISTENCIA_XLSX: (
        "Actividades con convocados y asistentes, consultas con su plazo y los días hábiles "
        "que tomó responderlas, contactos, acuerdos, y por servicio la asistencia recibida "
        "junto a sus resultados (informes en plazo, aprobados, rondas de revisión)."
    ),
}


# Reports of the GORE quality system: offered for the years of its management models.
TIPOS_DE_CALIDAD = {TipoReporte.CALIDAD_XLSX, *TIPOS_DE_GORE}


def campos_del_tipo(tipo: TipoReporte) -> set[str]:
    """The parameters a kind of report asks for."""
    campos = {"anio"}
    if tipo in TIPOS_DE_SERVICIO:
        campos.add("servicio")
    if tipo in TIPOS_DE_GORE:
        campos.add("gore")
    if tipo in TIPOS_CON_PERIODO:
        campos |= {"periodo", "ministerio", "tipo_servicio", "region"}
    if tipo in TIPOS_DE_METAS:
        campos.add("departamento")
    return campos


class SolicitudReporteForm(FormularioBootstrap, forms.Form):
    """The parameters of one kind of report; only the fields that kind uses are kept.

    The kind itself travels unprefixed ("tipo"), so the view can pick the form before binding.
    """

    anio = forms.TypedChoiceField(label="Año", coerce=int)
    periodo = forms.ChoiceField(label="Periodo", choices=InformeAvance.Periodo.choices)
    servicio = forms.ModelChoiceField(
        label="Servicio", queryset=Servicio.objects.none(), empty_label="Elija un servicio"
    )
    ministerio = forms.ModelChoiceField(
        queryset=Ministerio.objects.all(), required=False, empty_label="Todos"
    )
    tipo_servicio = forms.ModelChoiceField(
        label="Tipo de servicio",
        queryset=TipoServicio.objects.all(),
        required=False,
        empty_label="Todos",
    )
    region = forms.ModelChoiceField(
        label="Región", queryset=Region.objects.all(), required=False, empty_label="Todas"
    )
    departamento = forms.ModelChoiceField(
        queryset=Departamento.objects.all(), required=False, empty_label="Todos"
    )
    # Its own name: the page shares each field's choices among the forms by name, and these
    # are the GORE whose autoevaluación the user sees, not the servicios of the PMG.
    gore = forms.ModelChoiceField(
        label="Gobierno regional",
        queryset=Servicio.objects.none(),
        empty_label="Elija un gobierno regional",
    )

    def __init__(
        self,
        *args: Any,
        usuario: Any,
        tipo: str,
        anios: list[int],
        anios_calidad: list[int] | None = None,
        **kwargs: Any,
    ):
        kwargs.setdefault("prefix", tipo)
        # Only the fields this kind uses are copied from the class: Django deep-copies every
        # declared field for each form, and the reports page draws one form per kind.
        campos = campos_del_tipo(TipoReporte(tipo))
        self.base_fields = {n: c for n, c in self.base_fields.items() if n in campos}
        super().__init__(*args, **kwargs)
        self.usuario = usuario
        self.tipo_reporte = TipoReporte(tipo)
        if self.tipo_reporte in TIPOS_DE_CALIDAD:
            # The quality system has years of its own: those of its management models.
            anios = (
                anios_calidad if anios_calidad is not None else calidad_selectors.anios_de_modelos()
            )
        self.fields["anio"].choices = [(anio, anio) for anio in anios]
        if anios:
            self.fields["anio"].initial = anios[0]
        if "servicio" in self.fields:
            servicios = permisos.visibles(usuario, Servicio).order_by("nombre")
            self.fields["servicio"].queryset = servicios
            if permisos.rol(usuario) == permisos.Rol.SERVICIO:
                # One's own servicio is preselected; the choice stays for members of several.
                self.fields["servicio"].initial = servicios.values_list("pk", flat=True).first()
        if "gore" in self.fields:
            gores = calidad_selectors.gores_con_autoevaluacion(usuario=usuario)
            self.fields["gore"].queryset = gores
            if permisos.rol(usuario) == permisos.Rol.SERVICIO:
                self.fields["gore"].initial = gores.values_list("pk", flat=True).first()
        if "periodo" in self.fields:
            # The deliverables of every year (issue 16); clean() keeps the chosen year's.
            self.fields["periodo"].choices = periodos_a_elegir()
        if "departamento" in self.fields:
            propios = permisos.departamentos_propios(usuario)
            if propios is not None:
                # A jefe de departamento: one of his departments, never the whole División.
                campo = self.fields["departamento"]
                campo.queryset = Departamento.objects.filter(pk__in=sorted(propios))
                campo.required, campo.empty_label = True, None
        self.titulo = self.tipo_reporte.label
        self.ayuda = AYUDA[self.tipo_reporte]

    def clean(self) -> dict[str, Any]:
        datos = super().clean()
        servicio, anio = datos.get("servicio") or datos.get("gore"), datos.get("anio")
        periodo = datos.get("periodo")
        if periodo and anio is not None:
            del_anio = dict(periodos_del_anio(anio))
            if periodo not in del_anio:
                nombre = dict(self.fields["periodo"].choices).get(periodo, periodo)
                self.add_error(
                    "periodo",
                    f"{anio} no tiene el entregable «{nombre}»; sus entregables son: "
                    f"{', '.join(del_anio.values())}.",
                )
        elegidos = servicio is not None and anio is not None
        tipo = self.tipo_reporte
        if elegidos and not acceso.ve_alcance(self.usuario, tipo, servicio=servicio, anio=anio):
            que = "autoevaluación de calidad" if tipo in TIPOS_DE_GORE else "formulación PMG"
            self.add_error("anio", f"{servicio} no tiene {que} en {anio}: elija otro año.")
        return datos

    def parametros(self) -> dict[str, Any]:
        """The keyword arguments of reporte_solicitar."""
        datos = self.cleaned_data
        filtros = {
            clave: datos[campo].pk
            for clave, campo in (
                ("ministerio", "ministerio"),
                ("tipo", "tipo_servicio"),
                ("region", "region"),
            )
            if datos.get(campo)
        }
        if filtros:
            filtros["descripcion"] = descripcion_filtros(filtros)
        if datos.get("departamento"):
            filtros = {
                "departamento": datos["departamento"].pk,
                "descripcion": str(datos["departamento"]),
            }
        return {
            "tipo": self.tipo_reporte.value,
            "anio": datos["anio"],
            "periodo": datos.get("periodo", ""),
            "servicio": datos.get("servicio") or datos.get("gore"),
            "filtros": filtros,
        }


def anios_disponibles() -> list[int]:
    """Every year, newest first; kept under the catalog version (srm/catalogo.py)."""
    return catalogo.del_catalogo(
        "anios", lambda: list(Proceso.objects.order_by("-anio").values_list("anio", flat=True))
    )


# The selects of catalog rows, offered alike to everyone (the servicios depend on the user).
CATALOGOS_DEL_FORMULARIO = ("ministerio", "tipo_servicio", "region")


def catalogos_del_formulario() -> dict[str, list]:
    """The rows those selects offer, read with their own querysets and kept under the catalog
    version; each field still validates with its queryset."""
    return catalogo.del_catalogo(
        "formulario-reportes",
        lambda: {
            nombre: list(SolicitudReporteForm.base_fields[nombre].queryset.all())
            for nombre in CATALOGOS_DEL_FORMULARIO
        },
    )
