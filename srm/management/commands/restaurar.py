import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from srm import respaldo


class Command(BaseCommand):
    help = (
        "Restaura un respaldo de `respaldo` en la base y los medios configurados, "
        "tras verificar cada archivo contra su manifiesto."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--origen", required=True, help="carpeta del respaldo")
        parser.add_argument(
            "--solo-verificar", action="store_true", help="verificar el manifiesto sin restaurar"
        )

    def handle(self, *args, origen: str, solo_verificar: bool = False, **opciones) -> None:
        carpeta = Path(origen)
        try:
            if solo_verificar:
                manifiesto = respaldo.verificar(carpeta)
            else:
                manifiesto = respaldo.restaurar(carpeta)
        except respaldo.RespaldoInvalido as error:
            raise CommandError(str(error)) from error
        except subprocess.CalledProcessError as error:
            raise CommandError(f"pg_restore falló: {error.stderr.strip()}") from error
        accion = "verificado" if solo_verificar else "restaurado"
        self.stdout.write(
            f"Respaldo del {manifiesto['creado']} {accion}: "
            f"{len(manifiesto['archivos'])} archivos coinciden con su SHA-256."
        )
