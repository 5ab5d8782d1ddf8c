"""Each year defines its deliverables (issue 16, part C): the admin builds a year's list from the
previous year's, a kind with informes stays, and 2011 and 2007 show their own deliverables in the
calendar, the tracker, the servicio's home and the filters."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from bitacora.models import Evento
from compromisos import selectors
from compromisos.calendario import (
    CalendarioNoCopiable,
    EntregableNoEliminable,
    calendario_copiar,
    entregable_eliminar,
    entregables_copiar,
)
from compromisos.models import FormulacionPMG, Hito, Proceso, TipoEntregable
from formularios.models import Plantilla
from servicios.models import TipoServicio
from tests.conftest import ANIO, cliente, crear_formulacion, crear_informe

pytestmark = pytest.mark.django_db

SEGUIMIENTO = reverse("tablero:seguimiento")


def cargar_2007():
    """The 2007 calendar and kinds; the seed 003 form comes with part A's fixture, a stand-in
    with its codigo here."""
    Plantilla.objects.get_or_create(
        codigo="gestion-territorial-etapa-4",
        defaults={"nombre": "Formulario Etapa N°4 — Evaluación"},
    )
    call_command("loaddata", "entregables_2007", verbosity=0)
    return Proceso.objects.get(anio=2007)


def columnas(usuario, anio: int) -> list[str]:
    cache.clear()
    respuesta = cliente(usuario).get(SEGUIMIENTO, {"anio": anio})
    assert respuesta.status_code == 200
    return [nombre for _, nombre in respuesta.context["etapas"]]


# --------------------------------------------------------------------------- 2011 and 2007


def test_2011_tiene_factibilidad_programa_de_trabajo_y_evaluacion(jefatura):
    proceso = Proceso.objects.get(anio=2011)
    assert [t.clave for t in selectors.entregables_del_anio(proceso)] == [
        "factibilidad",
        "programa_trabajo",
        "evaluacion",
    ]
    # The hito «Entrega informe de factibilidad» is the factibilidad's deadline, not the
    # DIPRES formulación's.
    for pk in (201104, 201107):
        assert Hito.objects.get(pk=pk).entregable.clave == "factibilidad"
    for pk in (201105, 201108):
        assert Hito.objects.get(pk=pk).entregable.clave == "programa_trabajo"
    assert columnas(jefatura, 2011) == [
        "Formulación",
        "Informe de factibilidad",
        "Programa de trabajo",
        "Evaluación del programa anual",
    ]
    cache.clear()
    respuesta = cliente(jefatura).get(SEGUIMIENTO, {"anio": 2011})
    (osorno,) = [f for f in respuesta.context["filas"] if not f["sin_formulacion"]]
    celdas = {c["etapa"]: c for c in osorno["celdas"]}
    # A gobernación: the SSNN deadlines (31 March, 31 May); the formulación has none of its own.
    assert celdas["factibilidad"]["plazo"] == datetime.date(2011, 3, 31)
    assert celdas["programa_trabajo"]["plazo"] == datetime.date(2011, 5, 31)
    assert celdas["formulacion"]["plazo"] is None
    assert celdas["formulacion"]["situacion"] == "a_tiempo"
    # The itinerary follows the factibilidad's hitos, each in its own column.
    hitos = {h.pk: h for h in respuesta.context["calendario"]["hitos"]}
    assert hitos[201104].es_seguido and hitos[201104].clave == "factibilidad"
    assert not hitos[201106].es_seguido
    texto = respuesta.content.decode()
    assert "etapa=factibilidad" in texto


def test_los_formularios_supuestos_se_dicen_en_pantalla(admin):
    proceso = Proceso.objects.get(anio=2011)
    respuesta = cliente(admin).get(reverse("admin:compromisos_proceso_change", args=[proceso.pk]))
    texto = respuesta.content.decode()
    assert "Supuesto de la demostración: la semilla 002 nombra el informe de factibilidad" in texto
    # Its deadlines per kind of servicio, from the hitos that point at it.
    assert "Gobierno regional: 09-05-2011 al 16-05-2011" in texto


def test_2007_es_gestion_territorial_con_sus_certificaciones(jefatura):
    proceso = cargar_2007()
    assert str(proceso) == "PMG Gestión Territorial 2007"
    tipos = {t.clave: t for t in selectors.entregables_del_anio(proceso)}
    assert list(tipos) == [
        "certificacion_etapas_1_3",
        "seguimiento_1",
        "seguimiento_2",
        "certificacion_etapas_3_4",
        "evaluacion_etapa_4",
    ]
    assert tipos["certificacion_etapas_1_3"].con_certificacion
    assert tipos["certificacion_etapas_3_4"].con_certificacion
    assert not tipos["seguimiento_1"].revisado_por_subdere
    assert not tipos["seguimiento_2"].revisado_por_subdere
    assert tipos["evaluacion_etapa_4"].formulario.codigo == "gestion-territorial-etapa-4"
    plazos = selectors.plazos_por_tipo_de_servicio(proceso=proceso)
    assert plazos[tipos["certificacion_etapas_1_3"].pk] == [("Todos", "28-05-2007 al 01-06-2007")]
    assert plazos[tipos["seguimiento_2"].pk] == [("Todos", "12-10-2007")]
    assert columnas(jefatura, 2007) == [
        "Formulación",
        "Informe de certificación etapas 1, 2 y 3",
        "Informe de seguimiento interno 1 (recomendado)",
        "Informe de seguimiento interno 2 (recomendado)",
        "Informe de certificación etapas 3 y 4",
        "Formulario Etapa N°4 — Evaluación",
    ]
    # The tracker's count filter and the tablero's periodo offer the year's kinds.
    cache.clear()
    respuesta = cliente(jefatura).get(SEGUIMIENTO, {"anio": 2007})
    etapas = dict(respuesta.context["cifra"].form.fields["etapa"].choices)
    assert "certificacion_etapas_3_4" in etapas and "avance_1" not in etapas
    periodos = dict(respuesta.context["filtro"].form.fields["periodo"].choices)
    assert list(periodos) == list(tipos)


def test_un_anio_del_ciclo_estandar_se_ve_como_antes(jefatura, proceso):
    assert columnas(jefatura, ANIO) == [
        "Formulación",
        "Informe de avance 1",
        "Informe de avance 2",
        "Informe de avance 3",
        "Informe final",
    ]


def test_el_primer_informe_de_un_anio_trae_el_ciclo_completo(formulacion_osorno):
    crear_informe(formulacion_osorno, "avance_2")
    assert list(
        TipoEntregable.objects.filter(proceso=formulacion_osorno.proceso).values_list(
            "clave", flat=True
        )
    ) == ["avance_1", "avance_2", "avance_3", "final"]


def test_el_inicio_del_servicio_lista_los_entregables_de_su_anio(encargado, osorno, referencias):
    """A year with its own list: the servicio's home shows each kind with its deadline for the
    servicio's tipo (a gobernación: the SSNN dates)."""
    proceso = Proceso.objects.create(anio=ANIO)
    plantilla = Plantilla.objects.create(codigo="prueba", nombre="Prueba", por_compromiso=True)
    factibilidad = TipoEntregable.objects.create(
        proceso=proceso, clave="factibilidad", nombre="Informe de factibilidad", orden=1,
        formulario=plantilla,
    )  # fmt: skip
    gore = TipoServicio.objects.get(codigo="gobierno-regional")
    for nombre, dia, tipos in [
        ("Factibilidad SSNN", 10, TipoServicio.objects.exclude(pk=gore.pk)),
        ("Factibilidad GORE", 20, [gore]),
    ]:
        hito = Hito.objects.create(
            proceso=proceso,
            etapa="formulacion",
            nombre=nombre,
            fecha_limite=datetime.date(ANIO, 5, dia),
            entregable=factibilidad,
        )
        hito.tipos_servicio.set(tipos)
    formulacion = crear_formulacion(osorno, proceso)
    (periodo,) = selectors.periodos_de_formulacion(formulacion=formulacion)
    assert (periodo.periodo, periodo.nombre, periodo.plazo) == (
        "factibilidad",
        "Informe de factibilidad",
        datetime.date(ANIO, 5, 10),
    )
    # Opening a kind the year does not have is refused.
    FormulacionPMG.objects.filter(pk=formulacion.pk).update(estado="aprobado")
    c = cliente(encargado)
    url = reverse("compromisos:informe_abrir", args=[formulacion.pk, "avance_1"])
    assert c.post(url).status_code == 404


# --------------------------------------------------------------------------- building a year


@pytest.fixture
def anio_con_lista(referencias, admin):
    """A year with its own list: factibilidad (a deadline per tipo) and an evaluation."""
    proceso = Proceso.objects.create(anio=2030)
    plantilla = Plantilla.objects.create(codigo="prueba", nombre="Prueba", por_compromiso=True)
    factibilidad = TipoEntregable.objects.create(
        proceso=proceso, clave="factibilidad", nombre="Informe de factibilidad", orden=1,
        formulario=plantilla,
    )  # fmt: skip
    TipoEntregable.objects.create(
        proceso=proceso, clave="evaluacion", nombre="Evaluación", orden=2, formulario=plantilla,
        con_certificacion=True,
    )  # fmt: skip
    gore = TipoServicio.objects.get(codigo="gobierno-regional")
    hito = Hito.objects.create(
        proceso=proceso,
        etapa="formulacion",
        nombre="Factibilidad GORE",
        fecha_inicio=datetime.date(2030, 5, 9),
        fecha_limite=datetime.date(2030, 5, 16),
        entregable=factibilidad,
    )
    hito.tipos_servicio.set([gore])
    Hito.objects.create(
        proceso=proceso, etapa="otro", nombre="Jornada", fecha_limite=datetime.date(2030, 1, 15)
    )
    return proceso


def test_copia_los_entregables_del_anio_anterior(admin, anio_con_lista):
    destino = Proceso.objects.create(anio=2031)
    entregables_copiar(destino=destino, usuario=admin)
    tipos = list(destino.entregables.order_by("orden"))
    assert [(t.clave, t.con_certificacion) for t in tipos] == [
        ("factibilidad", False),
        ("evaluacion", True),
    ]
    # Only the hitos that are deadlines come along, moved to the year (9 May 2031 is a Friday,
    # 16 May a Friday) and pointing at the copied kind, for the same tipos de servicio.
    (hito,) = destino.hitos.all()
    assert (hito.nombre, hito.fecha_inicio, hito.fecha_limite, hito.entregable) == (
        "Factibilidad GORE",
        datetime.date(2031, 5, 9),
        datetime.date(2031, 5, 16),
        tipos[0],
    )
    assert [t.codigo for t in hito.tipos_servicio.all()] == ["gobierno-regional"]
    evento = Evento.objects.get(accion="entregables.copiar")
    assert evento.usuario == admin
    assert evento.detalle == {
        "desde": 2030,
        "entregables": ["factibilidad", "evaluacion"],
        "hitos": 1,
    }
    with pytest.raises(CalendarioNoCopiable, match="El año 2031 ya tiene 2 entregables"):
        entregables_copiar(destino=destino, usuario=admin)
    assert destino.entregables.count() == 2


def test_copiar_el_calendario_trae_los_entregables(admin, anio_con_lista):
    destino = calendario_copiar(origen=anio_con_lista, anio=2031, usuario=admin)
    hito = destino.hitos.get(nombre="Factibilidad GORE")
    assert hito.entregable.proceso == destino and hito.entregable.clave == "factibilidad"
    assert destino.hitos.get(nombre="Jornada").entregable is None
    assert Evento.objects.get(accion="calendario.copiar").detalle["entregables"] == 2


@pytest.mark.parametrize("persona", ["jefatura", "analista", "encargado"])
def test_solo_la_administracion_arma_la_lista(request, persona, anio_con_lista):
    usuario = request.getfixturevalue(persona)
    destino = Proceso.objects.create(anio=2031)
    with pytest.raises(PermissionDenied):
        entregables_copiar(destino=destino, usuario=usuario)
    with pytest.raises(PermissionDenied):
        entregable_eliminar(tipo=anio_con_lista.entregables.first(), usuario=usuario)
    assert not destino.entregables.exists()
    assert anio_con_lista.entregables.count() == 2


def test_fuera_de_la_administracion_la_pagina_no_se_abre(analista, anio_con_lista):
    # Even made staff, an analista is not the admin: the page and the action are refused.
    analista.is_staff = True
    analista.save(update_fields=["is_staff"])
    c = cliente(analista)
    url = reverse("admin:compromisos_proceso_change", args=[anio_con_lista.pk])
    assert c.get(url).status_code == 403
    respuesta = c.post(
        reverse("admin:compromisos_proceso_changelist"),
        {"action": "copiar_entregables_del_anio_anterior", "_selected_action": [anio_con_lista.pk]},
    )
    assert respuesta.status_code == 403


def test_un_entregable_con_informes_no_se_elimina(admin, osorno, encargado):
    proceso = Proceso.objects.create(anio=ANIO)
    formulacion = crear_formulacion(osorno, proceso)
    informe = crear_informe(formulacion, "avance_1")
    tipo = informe.tipo
    with pytest.raises(EntregableNoEliminable, match="ya tienen 1 informe de ese tipo"):
        entregable_eliminar(tipo=tipo, usuario=admin)
    assert TipoEntregable.objects.filter(pk=tipo.pk).exists()
    # From the calendar's page: the message, nothing removed.
    c = cliente(admin)
    url = reverse("admin:compromisos_proceso_change", args=[proceso.pk])
    datos = datos_de_la_pagina(c, url)
    indice = next(i for i in range(4) if datos[f"entregables-{i}-id"] == str(tipo.pk))
    datos[f"entregables-{indice}-DELETE"] = "on"
    respuesta = c.post(url, datos)
    assert respuesta.status_code == 200
    texto = respuesta.content.decode()
    assert "No se puede eliminar «Informe de avance 1»" in texto
    assert "ya tienen 1 informe de ese tipo" in texto
    assert TipoEntregable.objects.filter(pk=tipo.pk).exists()
    assert not Evento.objects.filter(accion="entregable.eliminar").exists()


def test_un_entregable_sin_informes_se_elimina_y_queda_registrado(admin, anio_con_lista):
    c = cliente(admin)
    url = reverse("admin:compromisos_proceso_change", args=[anio_con_lista.pk])
    datos = datos_de_la_pagina(c, url)
    evaluacion = anio_con_lista.entregables.get(clave="evaluacion")
    indice = next(i for i in range(2) if datos[f"entregables-{i}-id"] == str(evaluacion.pk))
    datos[f"entregables-{indice}-DELETE"] = "on"
    datos[f"entregables-{1 - indice}-nombre"] = "Informe de factibilidad (GORE y SSNN)"
    respuesta = c.post(url, datos)
    assert respuesta.status_code == 302
    assert list(anio_con_lista.entregables.values_list("nombre", flat=True)) == [
        "Informe de factibilidad (GORE y SSNN)"
    ]
    eliminado = Evento.objects.get(accion="entregable.eliminar")
    assert eliminado.detalle == {"clave": "evaluacion", "nombre": "Evaluación"}
    assert Evento.objects.get(accion="entregable.modificar").detalle["cambios"] == ["Nombre"]


def datos_de_la_pagina(c, url: str) -> dict:
    """The change form's values as the browser would send them back (inlines included)."""
    respuesta = c.get(url)
    datos: dict = {}
    formularios = [respuesta.context["adminform"].form]
    for inline in respuesta.context["inline_admin_formsets"]:
        formset = inline.formset
        gestion = formset.management_form
        for nombre in gestion.fields:
            datos[f"{formset.prefix}-{nombre}"] = gestion[nombre].value()
        formularios += formset.forms
    for formulario in formularios:
        for nombre in formulario.fields:
            valor = formulario[nombre].value()
            if valor is None or nombre == "DELETE":
                continue
            clave = formulario.add_prefix(nombre)
            if isinstance(valor, bool):
                if valor:
                    datos[clave] = "on"
            elif isinstance(valor, list | tuple):
                datos[clave] = [str(v) for v in valor]
            else:
                datos[clave] = str(getattr(valor, "pk", valor))
    return datos


# --------------------------------------------------------------------------- query counts


@pytest.mark.parametrize("cantidad", [2, 6])
def test_el_seguimiento_de_un_anio_con_lista_cuenta_igual(
    cantidad, jefatura, anio_con_lista, django_assert_num_queries
):
    """The tracker of a year with its own kinds reads the same with more kinds and servicios."""
    from servicios.models import Servicio

    plantilla = Plantilla.objects.get(codigo="prueba")
    for numero in range(cantidad):
        TipoEntregable.objects.create(
            proceso=anio_con_lista, clave=f"extra_{numero}", nombre=f"Extra {numero}",
            orden=10 + numero, formulario=plantilla,
        )  # fmt: skip
    for servicio in Servicio.objects.order_by("pk")[:cantidad]:
        crear_formulacion(servicio, anio_con_lista, compromisos=1)
    c = cliente(jefatura)
    c.get(SEGUIMIENTO, {"anio": 2030})
    cache.clear()
    with django_assert_num_queries(CONSULTAS_SEGUIMIENTO):
        respuesta = c.get(SEGUIMIENTO, {"anio": 2030})
    assert len(respuesta.context["etapas"]) == 3 + cantidad


# The tracker's cold path for a year with its own list (tests/tablero/test_consultas.py counts
# the standard year's): the same number whatever the kinds and servicios.
CONSULTAS_SEGUIMIENTO = 16


def test_copia_un_anio_del_ciclo_estandar_con_sus_plazos(admin, proceso):
    """The standard cycle's hitos name their kind by their etapa: they come along, linked."""
    TipoEntregable.estandar(proceso.pk, "avance_1")
    destino = Proceso.objects.create(anio=ANIO + 1)
    entregables_copiar(destino=destino, usuario=admin)
    assert sorted(destino.hitos.values_list("entregable__clave", flat=True)) == [
        "avance_1",
        "avance_2",
        "avance_3",
        "final",
    ]
    plazos = selectors.plazos_por_tipo_de_servicio(proceso=proceso)
    avance_1 = proceso.entregables.get(clave="avance_1")
    assert plazos[avance_1.pk] == [("Todos", f"30-06-{ANIO}")]


def test_el_recordatorio_de_un_entregable_va_a_quien_lo_debe(
    encargado, osorno, referencias, django_capture_on_commit_callbacks
):
    """A hito of etapa «formulacion» that is the factibilidad's deadline reminds of the
    factibilidad (approved formulaciones without it), not of the formulación."""
    from django.core import mail
    from django.utils import timezone

    from compromisos.avisos import avisar_plazos

    hoy = timezone.localdate()
    proceso = Proceso.objects.create(anio=ANIO)
    plantilla = Plantilla.objects.create(codigo="prueba", nombre="Prueba", por_compromiso=True)
    factibilidad = TipoEntregable.objects.create(
        proceso=proceso, clave="factibilidad", nombre="Informe de factibilidad", orden=1,
        formulario=plantilla,
    )  # fmt: skip
    Hito.objects.create(
        proceso=proceso,
        etapa="formulacion",
        nombre="Entrega informe de factibilidad",
        fecha_limite=hoy + datetime.timedelta(days=5),
        entregable=factibilidad,
    )
    formulacion = crear_formulacion(osorno, proceso)
    # A formulación still in borrador owes no factibilidad yet.
    with django_capture_on_commit_callbacks(execute=True):
        assert avisar_plazos(hoy=hoy, dias_antes=5) == 0
    FormulacionPMG.objects.filter(pk=formulacion.pk).update(estado="aprobado")
    with django_capture_on_commit_callbacks(execute=True):
        assert avisar_plazos(hoy=hoy, dias_antes=5) == 1
    assert [m.to for m in mail.outbox] == [[encargado.email]]
    assert "Entrega informe de factibilidad: vence el" in mail.outbox[0].subject


def test_un_informe_de_un_entregable_propio_se_edita(encargado, osorno, anio_con_lista):
    """The year's order of its own kinds: what was delivered in the factibilidad counts in the
    evaluation, and each medio says where it was delivered."""
    from compromisos.models import MedioComprometido
    from compromisos.services import medios_faltantes

    formulacion = crear_formulacion(osorno, anio_con_lista, compromisos=1)
    compromiso = formulacion.compromisos.get()
    prometido = MedioComprometido.objects.create(
        compromiso=compromiso, descripcion="Acta", tipo="acta"
    )
    factibilidad = crear_informe(formulacion, "factibilidad")
    factibilidad.avances.get().medios.update(medio_comprometido=prometido)
    evaluacion = crear_informe(formulacion, "evaluacion", medios_por_avance=0)
    assert selectors.periodos_hasta("evaluacion", evaluacion.tipo_id) == [
        "factibilidad",
        "evaluacion",
    ]
    (avance,) = selectors.avances_para_editar(informe=evaluacion)
    assert avance.lista_medios == [(prometido, "en el Informe de factibilidad")]
    assert medios_faltantes(evaluacion) == []
    assert medios_faltantes(factibilidad) == []


def test_un_formulario_sin_avance_por_compromiso_no_pide_sus_medios(osorno, anio_con_lista):
    """A kind whose form does not report per compromiso delivers none of their medios: sending
    it asks for no justification of them."""
    from compromisos.models import MedioComprometido
    from compromisos.services import medios_faltantes

    formulacion = crear_formulacion(osorno, anio_con_lista, compromisos=1)
    prometido = MedioComprometido.objects.create(
        compromiso=formulacion.compromisos.get(), descripcion="Acta", tipo="acta"
    )
    propio = Plantilla.objects.create(codigo="propio", nombre="Propio", por_compromiso=False)
    TipoEntregable.objects.create(
        proceso=anio_con_lista, clave="propio", nombre="Propio", orden=3, formulario=propio
    )
    factibilidad = crear_informe(formulacion, "factibilidad", medios_por_avance=0)
    propio_informe = crear_informe(formulacion, "propio", medios_por_avance=0)
    assert medios_faltantes(factibilidad) == [prometido]
    assert medios_faltantes(propio_informe) == []


def test_la_bandeja_ofrece_los_entregables_del_anio(analista):
    c = cliente(analista)
    respuesta = c.get(reverse("validacion:bandeja"), {"anio": 2011})
    assert respuesta.status_code == 200
    periodos = dict(respuesta.context["filtro"].form.fields["periodo"].choices)
    assert list(periodos) == ["", "factibilidad", "programa_trabajo", "evaluacion"]
    # With no year chosen: the standard cycle, then the years' own kinds.
    respuesta = c.get(reverse("validacion:bandeja"))
    periodos = list(dict(respuesta.context["filtro"].form.fields["periodo"].choices))
    assert periodos[:5] == ["", "avance_1", "avance_2", "avance_3", "final"]
    assert "factibilidad" in periodos


class TestHitoDeOtroAnio:
    """A hito is the deadline of one of its own year's kinds: the Hito admin offers only those,
    and the model refuses another year's (issue 16)."""

    @pytest.fixture
    def dos_anios(self, anio_con_lista, admin):
        otro = Proceso.objects.create(anio=2031)
        ajeno = TipoEntregable.objects.create(
            proceso=otro,
            clave="ajeno",
            nombre="Entregable de 2031",
            formulario=Plantilla.objects.get(codigo="prueba"),
        )
        return anio_con_lista, ajeno

    def elegibles(self, respuesta) -> dict:
        campo = respuesta.context["adminform"].form.fields["entregable"]
        return {str(valor): str(etiqueta) for valor, etiqueta in campo.choices if valor}

    def test_la_pagina_del_hito_ofrece_solo_los_entregables_de_su_anio(self, admin, dos_anios):
        proceso, ajeno = dos_anios
        hito = proceso.hitos.get(nombre="Factibilidad GORE")
        c = cliente(admin)
        cambio = c.get(reverse("admin:compromisos_hito_change", args=[hito.pk]))
        assert set(self.elegibles(cambio).values()) == {"Informe de factibilidad", "Evaluación"}
        agregar = reverse("admin:compromisos_hito_add")
        del_anio = c.get(agregar, {"proceso": ajeno.proceso_id})
        assert list(self.elegibles(del_anio).values()) == ["Entregable de 2031"]
        # No year chosen yet: every kind, each with its year.
        todos = self.elegibles(c.get(agregar)).values()
        assert {"Entregable de 2031 (2031)", "Informe de factibilidad (2030)"} <= set(todos)

    def test_un_entregable_de_otro_anio_se_rechaza_sin_guardar(self, admin, dos_anios):
        proceso, ajeno = dos_anios
        hito = proceso.hitos.get(nombre="Factibilidad GORE")
        c = cliente(admin)
        url = reverse("admin:compromisos_hito_change", args=[hito.pk])
        datos = {
            "proceso": proceso.pk,
            "etapa": "formulacion",
            "nombre": "Factibilidad GORE",
            "fecha_inicio": "09-05-2030",
            "fecha_limite": "16-05-2030",
            "entregable": ajeno.pk,
        }
        respuesta = c.post(url, datos)
        assert respuesta.status_code == 200
        assert respuesta.context["adminform"].form.errors["entregable"]
        hito.refresh_from_db()
        assert hito.entregable.clave == "factibilidad"
        assert not Evento.objects.filter(accion="hito.modificar").exists()
        # Moving the hito to 2031 with 2031's kind is fine (the form's year decides).
        respuesta = c.post(
            url,
            {
                **datos,
                "proceso": ajeno.proceso_id,
                "fecha_limite": "16-05-2031",
                "fecha_inicio": "",
            },
        )
        assert respuesta.status_code == 302
        hito.refresh_from_db()
        assert hito.entregable == ajeno and hito.proceso_id == ajeno.proceso_id

    def test_el_modelo_rechaza_un_entregable_de_otro_anio(self, dos_anios):
        proceso, ajeno = dos_anios
        hito = Hito(
            proceso=proceso,
            etapa="otro",
            nombre="Cruce",
            fecha_limite=datetime.date(2030, 6, 1),
            entregable=ajeno,
        )
        with pytest.raises(ValidationError, match="es un entregable de 2031"):
            hito.full_clean()

    def test_fuera_de_la_administracion_no_se_abre(self, analista, dos_anios):
        analista.is_staff = True
        analista.save(update_fields=["is_staff"])
        respuesta = cliente(analista).get(reverse("admin:compromisos_hito_add"))
        assert respuesta.status_code == 403
