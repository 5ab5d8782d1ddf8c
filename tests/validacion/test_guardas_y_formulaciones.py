"""Issue 13, points 1 and 3: formulaciones reviewed like informes (observaciones by round on the
whole, a línea or a compromiso; the bandeja), the confirmation of aprobar and observar,
approving over pending remarks, and the DIPRES registration date."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bitacora.models import Evento
from compromisos.models import Compromiso, InformeAvance
from compromisos.services import formulacion_guardar
from tests.conftest import cliente, crear_informe
from validacion import validacion_final
from validacion.models import Observacion, ValidacionServicio
from validacion.services import (
    TransicionNoPermitida,
    observacion_crear,
    observacion_responder,
    revision_transicionar,
)

pytestmark = pytest.mark.django_db

URLS_PROBADAS = {"validacion:formulacion_revisar", "validacion:formulacion_observacion_crear"}


@pytest.fixture
def en_revision(formulacion_osorno, encargado, analista):
    formulacion = revision_transicionar(
        objeto=formulacion_osorno, accion="enviar", usuario=encargado
    )
    return revision_transicionar(objeto=formulacion, accion="tomar", usuario=analista)


def transicionar(c, documento, accion, **datos):
    nombre = (
        "validacion:informe_transicionar"
        if isinstance(documento, InformeAvance)
        else "validacion:formulacion_transicionar"
    )
    # The version the page shows, as the form's hidden field carries it (issue 14).
    datos.setdefault("version", type(documento).objects.get(pk=documento.pk).version)
    return c.post(reverse(nombre, args=[documento.pk, accion]), datos, follow=True)


class TestPermisosDeLaRevisionDeFormulacion:
    def test_anonimo_va_al_ingreso(self, en_revision):
        for nombre in URLS_PROBADAS:
            respuesta = cliente().post(reverse(nombre, args=[en_revision.pk]))
            assert respuesta.status_code == 302 and "/ingresar/" in respuesta["Location"]

    def test_subdere_lee_la_revision_y_el_servicio_no(self, en_revision, jefatura, encargado):
        url = reverse("validacion:formulacion_revisar", args=[en_revision.pk])
        assert cliente(jefatura).get(url).status_code == 200
        assert cliente(encargado).get(url).status_code == 403

    def test_otro_servicio_recibe_404(self, en_revision, encargado_otro):
        for nombre in URLS_PROBADAS:
            assert (
                cliente(encargado_otro).post(reverse(nombre, args=[en_revision.pk])).status_code
                == 404
            )

    @pytest.mark.parametrize("persona", ["jefatura", "analista_otro", "encargado"])
    def test_solo_el_analista_de_la_cartera_observa(self, request, en_revision, persona):
        respuesta = cliente(request.getfixturevalue(persona)).post(
            reverse("validacion:formulacion_observacion_crear", args=[en_revision.pk]),
            {"texto": "Revise."},
        )
        assert respuesta.status_code == 403
        assert not Observacion.objects.exists()

    def test_get_en_la_accion_post_recibe_405(self, en_revision, analista):
        url = reverse("validacion:formulacion_observacion_crear", args=[en_revision.pk])
        assert cliente(analista).get(url).status_code == 405


class TestRevisionDeFormulacion:
    def test_observaciones_por_linea_compromiso_y_general_respondidas_por_el_servicio(
        self, en_revision, analista, encargado
    ):
        c = cliente(analista)
        linea = en_revision.lineas.get()
        compromiso = en_revision.compromisos.order_by("codigo").first()
        url = reverse("validacion:formulacion_observacion_crear", args=[en_revision.pk])
        c.post(url, {"texto": "Suba la etapa del sistema.", "linea": linea.pk})
        c.post(url, {"texto": "Precise la meta.", "compromiso": compromiso.pk})
        c.post(url, {"texto": "Falta el sistema SIAC."})
        observaciones = {o.texto: o for o in Observacion.objects.all()}
        assert observaciones["Suba la etapa del sistema."].linea == linea
        assert observaciones["Precise la meta."].compromiso == compromiso
        general = observaciones["Falta el sistema SIAC."]
        assert (general.linea, general.compromiso, general.informe, general.ronda) == (
            None,
            None,
            None,
            1,
        )
        pagina = c.get(reverse("validacion:formulacion_revisar", args=[en_revision.pk]))
        assert "Sistema Descentralización" in pagina.content.decode()

        transicionar(c, en_revision, "observar", confirmado="1")
        en_revision.refresh_from_db()
        assert en_revision.estado == "observado"

        servicio = cliente(encargado)
        detalle = servicio.get(reverse("compromisos:formulacion_detalle", args=[en_revision.pk]))
        assert "Precise la meta." in detalle.content.decode()
        assert "Responder a esta observación" in detalle.content.decode()
        respuesta = servicio.post(
            reverse("validacion:observacion_responder", args=[general.pk]),
            {"texto": "Agregado."},
        )
        assert respuesta["Location"].startswith(
            reverse("compromisos:formulacion_detalle", args=[en_revision.pk])
        )
        general.refresh_from_db()
        assert general.estado == "respondida"

    def test_las_lineas_se_reemplazan_y_la_observacion_conserva_su_objeto(
        self, programa_2026, en_revision, analista, encargado
    ):
        linea = en_revision.lineas.get()
        observacion_crear(formulacion=en_revision, texto="Revise.", usuario=analista, linea=linea)
        formulacion = revision_transicionar(objeto=en_revision, accion="observar", usuario=analista)
        formulacion_guardar(
            formulacion=formulacion,
            lineas=[
                {
                    # Chosen from the year's catalogue, which brings marco, área and name.
                    "sistema_catalogo": linea.sistema_catalogo,
                    "etapa": 2,
                    "prioridad": "ALTA",
                    "ponderador": "100.00",
                }
            ],
            exenciones=[],
            usuario=encargado,
        )
        observacion = Observacion.objects.get()
        assert observacion.linea is None and observacion.sobre == "Sistema Descentralización"

    def test_la_observacion_de_otra_formulacion_se_rechaza(
        self, en_revision, analista, formulacion_llanquihue
    ):
        ajeno = formulacion_llanquihue.compromisos.first()
        with pytest.raises(Exception, match="no pertenece"):
            observacion_crear(
                formulacion=en_revision, texto="x", usuario=analista, compromiso=ajeno
            )

    def test_la_formulacion_enviada_entra_en_la_bandeja_con_los_mismos_filtros(
        self, en_revision, analista, proceso
    ):
        c = cliente(analista)
        bandeja = c.get(reverse("validacion:bandeja")).content.decode()
        assert reverse("validacion:formulacion_revisar", args=[en_revision.pk]) in bandeja
        from compromisos.models import Proceso

        otro = Proceso.objects.create(anio=proceso.anio + 1)
        otro_anio = c.get(reverse("validacion:bandeja"), {"anio": otro.pk}).content.decode()
        assert reverse("validacion:formulacion_revisar", args=[en_revision.pk]) not in otro_anio
        por_nombre = c.get(reverse("validacion:bandeja"), {"q": "Llanquihue"}).content.decode()
        assert reverse("validacion:formulacion_revisar", args=[en_revision.pk]) not in por_nombre

    def test_tomar_formulaciones_desde_la_bandeja(self, formulacion_osorno, encargado, analista):
        enviada = revision_transicionar(
            objeto=formulacion_osorno, accion="enviar", usuario=encargado
        )
        respuesta = cliente(analista).post(
            reverse("validacion:bandeja_tomar"), {"formulaciones": [enviada.pk]}, follow=True
        )
        assert "1 formulación en revisión" in respuesta.content.decode()
        enviada.refresh_from_db()
        assert enviada.estado == "en_revision"


class TestConfirmacion:
    @pytest.mark.parametrize("accion", ["aprobar", "observar"])
    def test_el_primer_clic_pide_confirmacion_y_no_cambia_nada(self, en_revision, analista, accion):
        observacion_crear(formulacion=en_revision, texto="Revise.", usuario=analista)
        respuesta = transicionar(cliente(analista), en_revision, accion)
        contenido = respuesta.content.decode()
        assert respuesta.status_code == 200
        assert 'name="confirmado" value="1"' in contenido
        assert f'name="version" value="{en_revision.version}"' in contenido
        en_revision.refresh_from_db()
        assert en_revision.estado == "en_revision"

    def test_la_confirmacion_se_niega_a_quien_no_puede(self, en_revision, jefatura):
        assert transicionar(cliente(jefatura), en_revision, "aprobar").status_code == 403

    def test_tomar_no_pide_confirmacion(self, formulacion_osorno, encargado, analista):
        enviada = revision_transicionar(
            objeto=formulacion_osorno, accion="enviar", usuario=encargado
        )
        transicionar(cliente(analista), enviada, "tomar")
        enviada.refresh_from_db()
        assert enviada.estado == "en_revision"


class TestAprobarConObservacionesPendientes:
    @pytest.fixture
    def reenviada(self, en_revision, analista, encargado):
        observacion = observacion_crear(
            formulacion=en_revision, texto="Falta el sistema SIAC.", usuario=analista
        )
        formulacion = revision_transicionar(objeto=en_revision, accion="observar", usuario=analista)
        observacion_responder(observacion=observacion, texto="Agregado.", usuario=encargado)
        formulacion = revision_transicionar(objeto=formulacion, accion="enviar", usuario=encargado)
        return revision_transicionar(objeto=formulacion, accion="tomar", usuario=analista)

    def test_sin_motivo_no_se_aprueba_y_lo_dice(self, reenviada, analista):
        respuesta = transicionar(cliente(analista), reenviada, "aprobar", confirmado="1")
        contenido = respuesta.content.decode()
        assert "Queda 1 observación sin resolver" in contenido
        # The sentence agrees with the count all the way.
        assert "Márquela como resuelta o indique el motivo para cerrarla al aprobar" in contenido
        assert "Motivo para cerrar las observaciones sin resolver" in contenido
        reenviada.refresh_from_db()
        assert reenviada.estado == "en_revision"
        with pytest.raises(TransicionNoPermitida, match="sin resolver"):
            revision_transicionar(objeto=reenviada, accion="aprobar", usuario=analista)

    def test_con_motivo_se_cierran_registradas_y_se_aprueba(self, reenviada, analista):
        transicionar(
            cliente(analista),
            reenviada,
            "aprobar",
            confirmado="1",
            motivo_cierre="El SIAC quedó en la línea 2.",
        )
        reenviada.refresh_from_db()
        assert reenviada.estado == "aprobado"
        observacion = Observacion.objects.get()
        assert (observacion.estado, observacion.motivo_cierre) == (
            "resuelta",
            "El SIAC quedó en la línea 2.",
        )
        evento = Evento.objects.get(accion="observacion.cerrar")
        assert evento.detalle == {"motivo": "El SIAC quedó en la línea 2."}
        assert evento.usuario == analista

    def test_resueltas_una_a_una_se_aprueba_sin_motivo(self, reenviada, analista):
        c = cliente(analista)
        c.post(reverse("validacion:observacion_resolver", args=[Observacion.objects.get().pk]))
        transicionar(c, reenviada, "aprobar", confirmado="1")
        reenviada.refresh_from_db()
        assert reenviada.estado == "aprobado"
        assert not Evento.objects.filter(accion="observacion.cerrar").exists()


class TestFechaDipres:
    @pytest.fixture
    def ratificada(self, formulacion_osorno, encargado, analista, consultora):
        formulacion = formulacion_osorno
        for accion, usuario in [("enviar", encargado), ("tomar", analista)]:
            formulacion = revision_transicionar(objeto=formulacion, accion=accion, usuario=usuario)
        formulacion = revision_transicionar(objeto=formulacion, accion="aprobar", usuario=analista)
        final = crear_informe(formulacion, "final")
        for accion, usuario in [("enviar", encargado), ("tomar", analista), ("aprobar", analista)]:
            final = revision_transicionar(objeto=final, accion=accion, usuario=usuario)
        for compromiso in Compromiso.objects.filter(formulacion=formulacion):
            validacion_final.iniciativa_validar(
                compromiso=compromiso,
                resultado="cumple",
                fundamento="Acreditado.",
                medios=[],
                usuario=consultora,
            )
        validacion_final.validacion_enviar(formulacion=formulacion, usuario=consultora)
        hace_diez_dias = timezone.now() - datetime.timedelta(days=10)
        validacion_final.validacion_ratificar(
            formulacion=formulacion, usuario=analista, momento=hace_diez_dias
        )
        return formulacion

    def registrar(self, c, formulacion, fecha):
        return c.post(
            reverse("validacion:validacion_accion", args=[formulacion.pk, "dipres"]),
            {"fecha": fecha.isoformat()},
            follow=True,
        )

    def test_una_fecha_futura_se_rechaza(self, ratificada, analista):
        manana = timezone.localdate() + datetime.timedelta(days=1)
        respuesta = self.registrar(cliente(analista), ratificada, manana)
        assert "no puede ser futura" in respuesta.content.decode()
        assert ValidacionServicio.objects.get().registrada_dipres_en is None

    def test_una_fecha_anterior_a_la_ratificacion_se_rechaza(self, ratificada, analista):
        antes = timezone.localdate() - datetime.timedelta(days=11)
        respuesta = self.registrar(cliente(analista), ratificada, antes)
        assert "anterior a la ratificación" in respuesta.content.decode()
        assert ValidacionServicio.objects.get().registrada_dipres_en is None

    def test_la_correccion_guarda_la_fecha_anterior_en_el_registro(self, ratificada, analista):
        c = cliente(analista)
        primera = timezone.localdate() - datetime.timedelta(days=5)
        segunda = timezone.localdate() - datetime.timedelta(days=3)
        self.registrar(c, ratificada, primera)
        pagina = self.registrar(c, ratificada, segunda).content.decode()
        assert "Corregir fecha de registro en DIPRES" in pagina
        assert ValidacionServicio.objects.get().registrada_dipres_en == segunda
        registro = Evento.objects.filter(accion__endswith="_dipres").order_by("pk")
        assert [e.accion for e in registro] == [
            "validacion.registrar_dipres",
            "validacion.corregir_dipres",
        ]
        correccion = registro.last()
        assert correccion.detalle["anterior"] == primera.isoformat()
        assert correccion.detalle["fecha"] == segunda.isoformat()
        assert (correccion.desde, correccion.hacia) == (primera.isoformat(), segunda.isoformat())
