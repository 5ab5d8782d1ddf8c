"""Compromisos that hang off no Descentralización line: attach what can be, list the rest."""

from django.core.management.base import BaseCommand

from compromisos.services import compromisos_vincular_linea


class Command(BaseCommand):
    help = (
        "Vincula los compromisos sin sistema con la línea Descentralización de su formulación "
        "e informa las formulaciones que no la tienen (no se borra nada)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--anio", type=int, help="Solo las formulaciones de este año.")

    def handle(self, *args, anio: int | None = None, **options) -> None:
        resultado = compromisos_vincular_linea(anio=anio)
        self.stdout.write(
            f"Compromisos vinculados a la línea Descentralización: {resultado['vinculados']}."
        )
        sin_linea = resultado["sin_linea"]
        if not sin_linea:
            self.stdout.write(
                self.style.SUCCESS("Todos los compromisos cuelgan de su línea Descentralización.")
            )
            return
        self.stdout.write(
            self.style.WARNING(
                f"Formulaciones con compromisos y sin línea Descentralización: {len(sin_linea)}. "
                "Los compromisos siguen guardados en su formulación; agregue el sistema "
                "Descentralización a la formulación (o vincule su línea al catálogo con "
                "`vincular_catalogo`) y vuelva a ejecutar este comando."
            )
        )
        for formulacion, codigos in sin_linea:
            self.stdout.write(
                f"  {formulacion.proceso.anio} · {formulacion.servicio} · formulación "
                f"#{formulacion.pk}: {', '.join(codigos)}"
            )
