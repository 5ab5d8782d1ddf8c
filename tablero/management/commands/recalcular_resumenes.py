from django.core.management.base import BaseCommand
from django.db import transaction

from tablero import cache, resumenes


class Command(BaseCommand):
    help = (
        "Recalcula los totales por formulación e informe que suma el tablero (se mantienen "
        "solos al guardar; esto sirve tras cargar datos con SQL o restaurar un respaldo)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--anio", type=int, action="append", help="Solo este año (repetible).")

    def handle(self, *args, anio, **options):
        with transaction.atomic():
            formulaciones, informes = resumenes.reconstruir(anios=anio)
        cache.invalidar()
        self.stdout.write(f"Recalculados: {formulaciones} formulaciones y {informes} informes.")
