"""The Django form of a template: one set of fields per question, validated by its tipo.

Table questions post their rows as numbered fields with a hidden row count: the page always
shows one empty row more than the saved ones, each row with a «Quitar» box, so rows are added
and removed with the form's own buttons (no script needed) and nothing typed is lost.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from formularios.models import Plantilla, Pregunta, Respuesta, Seccion
from formularios.services import FILAS_MAXIMAS, arbol, preguntas_en_orden
from srm.widgets import estilo_bootstrap, marcar_errores

LARGO_TEXTO = 20000
LARGO_CELDA = 1000
SI_NO = [("si", "Sí"), ("no", "No")]


def _lista(opciones: list[str]) -> str:
    opciones = [f"«{o}»" for o in opciones]
    if len(opciones) < 2:
        return "".join(opciones)
    return f"{', '.join(opciones[:-1])} o {opciones[-1]}"


def _texto(etiqueta: str, requerido: bool = False) -> forms.CharField:
    return forms.CharField(
        label=etiqueta,
        required=requerido,
        max_length=LARGO_TEXTO,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": f"Escriba como máximo {LARGO_TEXTO:,} caracteres.".replace(",", ".")
        },
    )


def _nombre(pregunta: Pregunta) -> str:
    """How the error summary names a question: its number and title (or its text's start)."""
    return f"{pregunta.numero} {pregunta.titulo or pregunta.texto[:80]}".strip() or "Respuesta"


def campo_valor(pregunta: Pregunta) -> forms.Field | None:
    """The field of a question's value by its tipo (None: it asks only for the parts)."""
    etiqueta = _nombre(pregunta)
    if pregunta.tipo == Pregunta.Tipo.TEXTO:
        return _texto(etiqueta)
    if pregunta.tipo == Pregunta.Tipo.PORCENTAJE:
        mensaje = "Escriba un porcentaje: un número entero entre 0 y 100."
        return forms.IntegerField(
            label=f"{etiqueta} (%)",
            required=False,
            min_value=0,
            max_value=100,
            widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
            error_messages={"invalid": mensaje, "min_value": mensaje, "max_value": mensaje},
        )
    if pregunta.tipo == Pregunta.Tipo.SI_NO:
        return forms.ChoiceField(
            label=etiqueta,
            required=False,
            choices=SI_NO,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": "Responda «Sí» o «No»."},
        )
    if pregunta.tipo == Pregunta.Tipo.OPCION:
        opciones = [str(o) for o in pregunta.opciones]
        return forms.ChoiceField(
            label=etiqueta,
            required=False,
            choices=[(o, o) for o in opciones],
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": f"Elija una de las opciones: {_lista(opciones)}."},
        )
    return None


class FilaTabla:
    """One row of a table question as the template draws it: its cells and its «Quitar» box."""

    def __init__(self, numero: int, celdas: list, quitar) -> None:
        self.numero = numero
        self.celdas = celdas
        self.quitar = quitar


class FormularioLlenado(forms.Form):
    """The questions of a template, with the saved answers as initial values.

    `secciones` (formularios.services.arbol) may be passed when the caller already read the
    tree; each question of it gets `campo`, `campo_desarrollo`, `campo_recomendaciones` and,
    for a table, `filas` (bound fields) for the template to draw.
    """

    def __init__(
        self,
        data: Any = None,
        *,
        plantilla: Plantilla,
        respuestas: dict[int, Respuesta] | None = None,
        secciones: list[Seccion] | None = None,
        prefix: str = "formulario",
        atributos: dict[str, str] | None = None,
    ) -> None:
        super().__init__(data, prefix=prefix)
        self.plantilla = plantilla
        self.secciones = secciones if secciones is not None else arbol(plantilla)
        self.preguntas = preguntas_en_orden(self.secciones)
        respuestas = respuestas or {}
        self._filas: dict[int, int] = {}
        for pregunta in self.preguntas:
            respuesta = respuestas.get(pregunta.pk)
            antes = set(self.fields)
            self._agregar_campos(pregunta, respuesta)
            if pregunta.ayuda:
                # The question's help (drawn as #ayuda-<pk>) is read with each of its fields.
                for nombre in set(self.fields) - antes:
                    self.fields[nombre].widget.attrs["aria-describedby"] = f"ayuda-{pregunta.pk}"
        for campo in self.fields.values():
            campo.widget.attrs.update(atributos or {})
        estilo_bootstrap(self.fields)
        for campo in self.fields.values():
            if isinstance(campo.widget, forms.RadioSelect):
                campo.widget.attrs["class"] = "form-check-input"
        self._enlazar()

    # --- building ---------------------------------------------------------------------------

    def _agregar_campos(self, pregunta: Pregunta, respuesta: Respuesta | None) -> None:
        base = f"p{pregunta.pk}"
        valor = respuesta.valor if respuesta is not None else None
        if pregunta.tipo == Pregunta.Tipo.TABLA:
            self._agregar_tabla(pregunta, valor if isinstance(valor, list) else [])
        else:
            campo = campo_valor(pregunta)
            if campo is not None:
                if pregunta.tipo == Pregunta.Tipo.SI_NO and isinstance(valor, bool):
                    campo.initial = "si" if valor else "no"
                else:
                    campo.initial = valor
                self.fields[base] = campo
        if pregunta.con_desarrollo:
            self.fields[f"{base}_desarrollo"] = _texto(
                f"{_nombre(pregunta)} · {pregunta.etiqueta_desarrollo}"
            )
            self.fields[f"{base}_desarrollo"].initial = respuesta.desarrollo if respuesta else ""
        if pregunta.con_recomendaciones:
            self.fields[f"{base}_recomendaciones"] = _texto(
                f"{_nombre(pregunta)} · {pregunta.etiqueta_recomendaciones}"
            )
            self.fields[f"{base}_recomendaciones"].initial = (
                respuesta.recomendaciones if respuesta else ""
            )

    def _filas_enviadas(self, pregunta: Pregunta) -> int | None:
        if not self.is_bound:
            return None
        try:
            filas = int(self.data.get(self.add_prefix(f"p{pregunta.pk}_filas"), ""))
        except (TypeError, ValueError):
            return None
        return max(0, min(filas, FILAS_MAXIMAS + 1))

    def _agregar_tabla(self, pregunta: Pregunta, guardadas: list) -> None:
        base = f"p{pregunta.pk}"
        columnas = pregunta.columnas or ["Valor"]
        filas = self._filas_enviadas(pregunta)
        if filas is None:
            # The saved rows and one empty row to add another.
            filas = min(len(guardadas), FILAS_MAXIMAS) + 1
        self._filas[pregunta.pk] = filas
        self.fields[f"{base}_filas"] = forms.IntegerField(
            widget=forms.HiddenInput, initial=filas, required=False
        )
        for i in range(filas):
            fila = guardadas[i] if i < len(guardadas) and isinstance(guardadas[i], list) else []
            for j, columna in enumerate(columnas):
                campo = forms.CharField(
                    label=f"{_nombre(pregunta)} · {columna}, fila {i + 1}",
                    required=False,
                    max_length=LARGO_CELDA,
                    error_messages={
                        "max_length": f"Escriba como máximo {LARGO_CELDA:,} caracteres.".replace(
                            ",", "."
                        )
                    },
                )
                campo.initial = str(fila[j]) if j < len(fila) and fila[j] is not None else ""
                self.fields[f"{base}_f{i}_c{j}"] = campo
            self.fields[f"{base}_f{i}_quitar"] = forms.BooleanField(
                label=f"Quitar la fila {i + 1}", required=False
            )

    def _enlazar(self) -> None:
        """Bound fields on each question, for the template."""
        for pregunta in self.preguntas:
            base = f"p{pregunta.pk}"
            pregunta.campo = self[base] if base in self.fields else None
            pregunta.campo_desarrollo = (
                self[f"{base}_desarrollo"] if f"{base}_desarrollo" in self.fields else None
            )
            pregunta.campo_recomendaciones = (
                self[f"{base}_recomendaciones"]
                if f"{base}_recomendaciones" in self.fields
                else None
            )
            if pregunta.tipo == Pregunta.Tipo.TABLA:
                columnas = pregunta.columnas or ["Valor"]
                pregunta.columnas_tabla = columnas
                pregunta.campo_filas = self[f"{base}_filas"]
                pregunta.filas = [
                    FilaTabla(
                        i + 1,
                        [self[f"{base}_f{i}_c{j}"] for j in range(len(columnas))],
                        self[f"{base}_f{i}_quitar"],
                    )
                    for i in range(self._filas[pregunta.pk])
                ]

    # --- validating -------------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        datos = super().clean()
        for pregunta in self.preguntas:
            if pregunta.tipo != Pregunta.Tipo.TABLA:
                continue
            filas = self._filas_de(pregunta, datos)
            if len(filas) > FILAS_MAXIMAS:
                self.add_error(
                    None,
                    ValidationError(
                        f"{pregunta}: la tabla admite como máximo {FILAS_MAXIMAS} filas."
                    ),
                )
        return datos

    def full_clean(self) -> None:
        super().full_clean()
        marcar_errores(self)

    def _filas_de(self, pregunta: Pregunta, datos: dict[str, Any]) -> list[list[str]]:
        base = f"p{pregunta.pk}"
        columnas = len(pregunta.columnas or ["Valor"])
        filas = []
        for i in range(self._filas[pregunta.pk]):
            if datos.get(f"{base}_f{i}_quitar"):
                continue
            celdas = [(datos.get(f"{base}_f{i}_c{j}") or "").strip() for j in range(columnas)]
            if any(celdas):
                filas.append(celdas)
        return filas

    def _vino_en_el_envio(self, pregunta: Pregunta) -> bool:
        base = self.add_prefix(f"p{pregunta.pk}")
        return any(nombre == base or nombre.startswith(f"{base}_") for nombre in self.data)

    def respuestas(self) -> dict[int, dict[str, Any]]:
        """The answers to save (formularios.services.respuestas_guardar), by question id."""
        datos = self.cleaned_data
        salida: dict[int, dict[str, Any]] = {}
        for pregunta in self.preguntas:
            base = f"p{pregunta.pk}"
            if not self._vino_en_el_envio(pregunta):
                # A question the page did not show (added meanwhile): its answer stays as is.
                continue
            if pregunta.tipo == Pregunta.Tipo.TABLA:
                valor: Any = self._filas_de(pregunta, datos) or None
            elif pregunta.tipo == Pregunta.Tipo.SI_NO:
                valor = {"si": True, "no": False}.get(datos.get(base) or "")
            elif pregunta.tipo == Pregunta.Tipo.SOLO_PARTES:
                valor = None
            else:
                valor = datos.get(base)
                if valor == "":
                    valor = None
            salida[pregunta.pk] = {
                "valor": valor,
                "desarrollo": datos.get(f"{base}_desarrollo") or "",
                "recomendaciones": datos.get(f"{base}_recomendaciones") or "",
            }
        return salida
