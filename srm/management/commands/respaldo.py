from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from srm import respaldo


class Command(BaseCommand):
    help = "Respalda la base de datos y los medios en una carpeta, con un manifiesto SHA-256."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--destino",
            help="carpeta nueva para el respaldo (por omisión respaldos/srm-<fecha y hora>)",
        )

    def handle(self, *args, destino: str | None = None, **opciones) -> None:
        carpeta = Path(destino or f"respaldos/srm-{timezone.localtime():%Y%m%d-%H%M%S}")
        try:
            manifiesto = respaldo.respaldar(carpeta)
        except FileExistsError as error:
            raise CommandError(f"La carpeta {carpeta} ya existe: elija otra.") from error
        except OSError as error:
            raise CommandError(f"No se pudo respaldar: {error}") from error
        total = sum(a["bytes"] for a in manifiesto["archivos"].values())
        self.stdout.write(
            f"Respaldo en {carpeta}: {len(manifiesto['archivos'])} archivos, {total} bytes "
            f"(base {manifiesto['motor']}, medios: {manifiesto['media']})."
        )
