"""Match the formulación lines written as free text to the programa marco of their year."""

from django.core.management.base import BaseCommand

from compromisos.services import lineas_vincular


class Command(BaseCommand):
    help = (
        "Vincula las líneas y exenciones de formulación escritas como texto con el sistema del "
        "programa marco de su año e informa las que no encuentran sistema (no se borra nada)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--anio", type=int, help="Solo las formulaciones de este año.")

    def handle(self, *args, anio: int | None = None, **options) -> None:
        resultado = lineas_vincular(anio=anio)
        self.stdout.write(f"Filas vinculadas al catálogo: {len(resultado['vinculadas'])}.")
        sin_catalogo = resultado["sin_catalogo"]
        if not sin_catalogo:
            self.stdout.write(self.style.SUCCESS("Todas las filas tienen su sistema del catálogo."))
            return
        self.stdout.write(
            self.style.WARNING(
                f"Filas sin sistema en el programa marco de su año: {len(sin_catalogo)}. "
                "Siguen guardadas con su texto; agregue el sistema al catálogo del año o "
                "corrija la fila, y vuelva a ejecutar este comando."
            )
        )
        for fila in sin_catalogo:
            formulacion = fila.formulacion
            self.stdout.write(
                f"  {formulacion.proceso.anio} · {formulacion.servicio} · "
                f"{fila._meta.verbose_name} #{fila.pk}: «{fila.marco} · {fila.area} · "
                f"{fila.sistema}»"
            )
