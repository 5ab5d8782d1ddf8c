"""Figures, dates and counts as read in Chile (srm/formato.py) and their template filters."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import timezone

from srm import formato


class TestNumero:
    @pytest.mark.parametrize(
        ("valor", "decimales", "esperado"),
        [
            (0, 0, "0"),
            (0, 1, "0,0"),
            (7, 0, "7"),
            (1234, 0, "1.234"),
            (1234567, 0, "1.234.567"),
            (1234.5, 1, "1.234,5"),
            (1234567.891, 2, "1.234.567,89"),
            (-1234.5, 1, "-1.234,5"),
            (-7, 0, "-7"),
            (Decimal("60.50"), 2, "60,50"),
            (Decimal("12.5"), 0, "13"),
            (42, 1, "42,0"),
        ],
    )
    def test_coma_decimal_y_punto_de_miles(self, valor, decimales, esperado):
        assert formato.numero(valor, decimales) == esperado

    @pytest.mark.parametrize(
        ("valor", "esperado"),
        # Halves round away from zero as written, not as a float stores them (2.675 is
        # 2.67499… in binary; Python's round and f-strings give 2,67 and 0,2 for 0.25).
        [(2.675, "2,68"), (0.125, "0,13"), (-0.125, "-0,13"), (99.995, "100,00")],
    )
    def test_redondea_la_mitad_hacia_arriba(self, valor, esperado):
        assert formato.numero(valor, 2) == esperado

    def test_un_negativo_que_redondea_a_cero_no_lleva_signo(self):
        assert formato.numero(-0.04, 1) == "0,0"

    @pytest.mark.parametrize("valor", [None, "", "abc", float("nan"), float("inf"), True])
    def test_sin_cifra_es_una_raya(self, valor):
        assert formato.numero(valor, 1) == "—"


class TestPorcentajes:
    def test_un_decimal_para_promedios_y_tasas_con_espacio_antes_del_signo(self):
        assert formato.porcentaje(42.46) == "42,5 %"
        assert formato.porcentaje(100) == "100,0 %"
        assert formato.porcentaje(0) == "0,0 %"
        assert formato.porcentaje(None) == "—"

    def test_entero_para_lo_que_una_persona_ingresa(self):
        assert formato.porcentaje(30, 0) == "30 %"

    def test_dos_decimales_para_los_ponderadores(self):
        assert formato.ponderador(Decimal("6")) == "6,00 %"
        assert formato.ponderador(Decimal("101.00")) == "101,00 %"

    def test_fraccion_de_uno(self):
        assert formato.fraccion(2 / 3) == "66,7 %"
        assert formato.fraccion(1) == "100,0 %"
        assert formato.fraccion(None) == "—"

    @pytest.mark.parametrize(
        "cantidades",
        [[1, 1, 1], [1, 2, 3, 4, 5, 6], [2, 1, 0], [7, 0, 0], [1, 1, 1, 1, 1, 1, 1], [999, 1]],
    )
    def test_las_partes_de_un_total_suman_cien(self, cantidades):
        partes = formato.porcentajes_que_suman(cantidades)
        assert round(sum(partes), 6) == 100
        # Each share is within one unit of the last decimal of its exact value.
        total = sum(cantidades)
        for parte, cantidad in zip(partes, cantidades, strict=True):
            assert abs(parte - 100 * cantidad / total) <= 0.1 + 1e-9

    def test_tercios_suman_cien_y_no_noventa_y_nueve_coma_nueve(self):
        assert formato.porcentajes_que_suman([1, 1, 1]) == [33.4, 33.3, 33.3]
        assert [round(100 * c / 3, 1) for c in [1, 1, 1]] == [33.3, 33.3, 33.3]

    def test_sin_total_no_hay_partes(self):
        assert formato.porcentajes_que_suman([0, 0]) == [None, None]
        assert formato.porcentajes_que_suman([]) == []


class TestFechas:
    def test_siempre_con_el_anio(self):
        assert formato.fecha(datetime.date(2026, 3, 1)) == "01-03-2026"
        assert formato.fecha(None) == "—"

    def test_un_momento_se_lee_en_hora_de_chile(self):
        # 02:30 UTC on 1 April is still 31 March in Santiago (UTC-3).
        momento = datetime.datetime(2026, 4, 1, 2, 30, tzinfo=datetime.UTC)
        assert formato.fecha(momento) == "31-03-2026"
        assert formato.fecha_hora(momento) == "31-03-2026 23:30"

    def test_django_escribe_las_fechas_sin_formato_como_en_chile(self):
        fecha = datetime.date(2026, 3, 31)
        momento = timezone.make_aware(datetime.datetime(2026, 3, 31, 14, 5))
        html = Template(
            "{{ fecha }} · {{ momento }} · {{ fecha|date:'SHORT_DATE_FORMAT' }}"
        ).render(Context({"fecha": fecha, "momento": momento}))
        assert html == "31-03-2026 · 31-03-2026 14:05 · 31-03-2026"

    def test_se_aceptan_fechas_escritas_como_en_chile_y_en_iso(self):
        campo = forms.DateField()
        assert campo.clean("31-03-2026") == datetime.date(2026, 3, 31)
        assert campo.clean("31/03/2026") == datetime.date(2026, 3, 31)
        assert campo.clean("2026-03-31") == datetime.date(2026, 3, 31)


class TestPlural:
    @pytest.mark.parametrize(
        ("cantidad", "esperado"),
        [
            (0, "0 observaciones"),
            (1, "1 observación"),
            (2, "2 observaciones"),
            (1250, "1.250 observaciones"),
            (-1, "-1 observación"),
        ],
    )
    def test_concuerda_con_la_cantidad(self, cantidad, esperado):
        assert formato.plural(cantidad, "observación", "observaciones") == esperado

    def test_segun_da_solo_la_palabra(self):
        assert formato.segun(1, "queda", "quedan") == "queda"
        assert formato.segun(3, "queda", "quedan") == "quedan"


class TestFiltros:
    def render(self, plantilla: str, **contexto) -> str:
        return Template("{% load srm_formato %}" + plantilla).render(Context(contexto))

    def test_filtros_de_cifras(self):
        html = self.render(
            "{{ a|numero }}|{{ b|numero:1 }}|{{ c|porcentaje }}|{{ d|porcentaje:0 }}|"
            "{{ e|ponderador }}|{{ f|fraccion }}|{{ g|porcentaje }}",
            a=15000,
            b=1234.56,
            c=42.46,
            d=30,
            e=Decimal("12.5"),
            f=0.5,
            g=None,
        )
        assert html == "15.000|1.234,6|42,5 %|30 %|12,50 %|50,0 %|—"

    def test_filtros_de_conteo(self):
        html = self.render(
            '{{ a|plural:"observación abierta,observaciones abiertas" }} · '
            '{{ b|plural:"servicio,servicios" }} · {{ a|segun:"queda,quedan" }}',
            a=1,
            b=2,
        )
        assert html == "1 observación abierta · 2 servicios · queda"

    def test_fechas(self):
        html = self.render("{{ f|fecha }} {{ m|fecha_hora }}", f=datetime.date(2026, 1, 5), m=None)
        assert html == "05-01-2026 —"


class FormularioDePrueba(forms.Form):
    codigo = forms.CharField(label="Código")
    meta = forms.IntegerField(label="Meta")


class TestResumenDeErrores:
    def render(self, **contexto) -> str:
        return Template("{% load srm_formato %}{% resumen_errores formulario filas %}").render(
            Context(contexto)
        )

    def test_lista_cada_error_con_enlace_a_su_campo_y_se_puede_enfocar(self):
        formulario = FormularioDePrueba({"codigo": "", "meta": "mucho"})
        Filas = forms.formset_factory(FormularioDePrueba, extra=0)
        filas = Filas({"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-codigo": "C1"})
        html = self.render(formulario=formulario, filas=filas)
        assert 'role="alert"' in html and 'tabindex="-1"' in html
        assert 'id="resumen-errores"' in html and "data-resumen-errores" in html
        assert "Hay 3 datos por corregir." in html
        assert (
            '<a class="alert-link" href="#id_codigo">Código: Este campo es obligatorio.</a>' in html
        )
        assert 'href="#id_meta">Meta: Introduzca un número entero.' in html
        assert 'href="#id_form-0-meta">Fila 1 · Meta: Este campo es obligatorio.' in html

    def test_un_error_en_singular(self):
        html = self.render(formulario=FormularioDePrueba({"codigo": "C1"}), filas=None)
        assert "Hay 1 dato por corregir." in html

    def test_nada_cuando_todo_es_valido_o_no_se_ha_enviado(self):
        assert self.render(formulario=FormularioDePrueba({"codigo": "C1", "meta": "3"})) == ""
        assert self.render(formulario=FormularioDePrueba()) == ""


def test_las_opciones_de_anio_son_las_del_bucle_de_la_plantilla():
    from compromisos.models import Proceso

    procesos = [Proceso(pk=pk, anio=anio) for pk, anio in ((3, 2026), (2, 2025), (1, 2011))]
    bucle = Template(
        '{% for opcion in procesos %}<option value="{{ opcion.anio }}"{% if opcion.pk == '
        "proceso.pk %} selected{% endif %}>{{ opcion.anio }}</option>{% endfor %}"
    )
    etiqueta = Template("{% load srm_formato %}{% opciones_de_anio procesos proceso %}")
    for elegido in (procesos[1], None):
        contexto = {"procesos": procesos, "proceso": elegido}
        assert etiqueta.render(Context(contexto)) == bucle.render(Context(contexto))
    assert 'value="2025" selected>' in etiqueta.render(
        Context({"procesos": procesos, "proceso": procesos[1]})
    )


# inicio/_pendientes.html's loop, as it was before filas_pendientes drew its rows.
BUCLE_PENDIENTES = """{% load srm_formato %}{% for pendiente in lista %}
    <tr>
      <td>{{ pendiente.anio }}</td>
      <td>{{ pendiente.servicio.nombre }}</td>
      <td><a href="{{ pendiente.url }}">{{ pendiente.documento }}</a></td>
      <td>{{ pendiente.que_hacer }}</td>
      <td>{% if pendiente.plazo %}{{ pendiente.plazo|date:"d-m-Y" }}{% if pendiente.vencido %} \
<span class="badge text-bg-danger">Vencido</span>{% elif not pendiente.plazo_propio %} \
<span class="small text-body-secondary">(plazo del servicio{% if pendiente.desde %}; enviado el \
{{ pendiente.desde|date:"d-m-Y" }}{% endif %})</span>{% endif %}{% else %}—{% endif %}</td>
      <td>{% if pendiente.objeto %}{% estado pendiente.objeto %}{% else %}—{% endif %}</td>
    </tr>
    {% endfor %}"""


def test_las_filas_de_pendientes_son_las_del_bucle_de_la_plantilla():
    from asistencia.models import Consulta
    from compromisos.models import InformeAvance
    from compromisos.selectors import Pendiente
    from servicios.models import Servicio

    hoy = timezone.localdate()
    raro = Servicio(nombre="Servicio <b>«Ñuble» & 'otros'</b>")
    # 02:30 UTC is still the previous day in Santiago: the date is the local one.
    enviado = datetime.datetime(2026, 3, 2, 2, 30, tzinfo=datetime.UTC)
    lista = [
        Pendiente(
            anio=2026,
            servicio=raro,
            documento="Informe <final> 2026",
            url="/x/?a=1&b=2",
            objeto=InformeAvance(estado="en_revision"),
            que_hacer="Revisar \"ya\" & 'bien'",
            plazo=hoy - datetime.timedelta(days=3),
            desde=enviado,
            plazo_propio=False,
        ),
        Pendiente(
            anio=2025,
            servicio=raro,
            documento="Formulación 2025",
            url="/f/",
            objeto=None,
            que_hacer="Tomar en revisión",
            plazo=hoy + datetime.timedelta(days=3),
            plazo_propio=False,
        ),
        Pendiente(
            anio=2026,
            servicio=raro,
            documento="Consulta",
            url="/c/",
            objeto=Consulta(estado="pendiente"),
            que_hacer="Responder",
            plazo=hoy - datetime.timedelta(days=1),
            desde=enviado,
        ),
        Pendiente(
            anio=2026, servicio=raro, documento="Sin plazo", url="/s/", objeto=None, que_hacer="-"
        ),
    ]
    bucle = Template(BUCLE_PENDIENTES).render(Context({"lista": lista}))
    etiqueta = Template("{% load srm_formato %}{% filas_pendientes lista %}").render(
        Context({"lista": lista})
    )
    assert etiqueta == bucle
    assert "enviado el 01-03-2026" in etiqueta and "Vencido" in etiqueta
