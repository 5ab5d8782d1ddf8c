"""The event log page in Excel: the same rows and sentences, with the filters that chose them."""

from typing import Any

from django.utils import timezone

from bitacora import acciones
from srm.excel import Columna, LibroExcel, Membrete

COLUMNAS = [
    Columna("Fecha y hora (Chile)", ancho=18, tipo="fecha_hora"),
    Columna("Persona", ancho=28),
    Columna("Acción", ancho=50),
    Columna("Detalle", ancho=50),
    Columna("Sobre", ancho=45),
    Columna("Servicio", ancho=45),
    Columna("Año", ancho=8, tipo="entero"),
    Columna("Código de la acción", ancho=26),
]


def nombre(usuario: Any) -> str:
    """A person's full name as the pages show it; "Sistema" for what no one did."""
    if usuario is None:
        return "Sistema"
    return usuario.get_full_name() or usuario.username


def fila(evento: Any) -> list[Any]:
    return [
        evento.momento,
        nombre(evento.usuario),
        acciones.describir(evento.accion),
        acciones.detallar(evento.accion, evento.detalle),
        evento.descripcion_objeto,
        evento.servicio.nombre if evento.servicio else "",
        evento.anio,
        evento.accion,
    ]


def libro(filtro: Any) -> LibroExcel:
    """A Filtros sheet (what was asked, when) and the Registro sheet with every matching row;
    both open with the letterhead that says what the file holds (srm.excel.Membrete)."""
    datos = filtro.form.cleaned_data if filtro.is_valid() else {}
    formulario = filtro.form
    elegidos = []
    for clave, campo in formulario.fields.items():
        valor = datos.get(clave)
        if valor in (None, "", False):
            texto = "Todos"
        elif clave == "persona":
            texto = nombre(valor)
        elif clave == "accion":
            texto = acciones.describir(valor)
        elif clave == "seguridad":
            texto = "Sí"
        else:
            texto = valor if not hasattr(valor, "strftime") else valor.strftime("%d-%m-%Y")
        elegidos.append([str(campo.label), str(texto)])
    generado = timezone.now()
    resultado = LibroExcel(
        Membrete(
            titulo="Registro de eventos",
            anio=datos.get("anio") or None,
            filtros=tuple(
                f"{campo}: {texto}"
                for campo, texto in elegidos
                if texto != "Todos" and campo != "Año"
            ),
            generado_en=generado,
        )
    )
    elegidos.append(["Generado (Chile)", timezone.localtime(generado).strftime("%d-%m-%Y %H:%M")])
    resultado.hoja("Filtros", [Columna("Filtro", ancho=20), Columna("Valor", ancho=60)], elegidos)
    resultado.hoja("Registro", COLUMNAS, (fila(evento) for evento in filtro.qs.iterator(2000)))
    return resultado
