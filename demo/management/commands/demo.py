import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.asistencia import asistencia_demo
from demo.calidad import calidad_demo
from demo.construir import construir_demo
from demo.formularios import formulario_dgop_demo
from demo.metas import USUARIOS_METAS, construir_metas
from demo.registro import USUARIOS_DEMO, usuarios_demo


class Command(BaseCommand):
    help = (
        "Crea un año de demostración con usuarios de cada rol (clave «demo»). "
        "Con --servicios y --anios construye volúmenes grandes para medir rendimiento. "
        "Si los datos ya existen, no los duplica."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anio", type=int, default=timezone.localdate().year, help="Año en curso de la demo."
        )
        parser.add_argument(
            "--servicios",
            type=int,
            default=12,
            help="Cantidad de servicios (12 por omisión; 150 a escala).",
        )
        parser.add_argument(
            "--anios", type=int, default=1, help="Cantidad de años hacia atrás (10 a escala)."
        )
        parser.add_argument(
            "--forzar",
            action="store_true",
            help="Permite crear la demo sin DEBUG (p. ej. en un servidor de capacitación).",
        )
        parser.add_argument(
            "--semilla", type=int, default=2011, help="Semilla del azar, para datos reproducibles."
        )

    def handle(self, *args, anio, servicios, anios, semilla, forzar, verbosity, **options):
        if not (settings.DEBUG or settings.TESTING or forzar):
            raise CommandError(
                "La demo crea usuarios con clave «demo»: solo se ejecuta en desarrollo (DEBUG=1) "
                "o con --forzar en un servidor de capacitación, nunca en producción."
            )
        if servicios < 2 or anios < 1:
            raise CommandError("Se necesitan al menos 2 servicios y 1 año.")
        inicio = time.monotonic()
        informar = self.stdout.write if verbosity >= 1 else (lambda mensaje: None)
        try:
            resumen = construir_demo(
                anio=anio,
                cantidad_servicios=servicios,
                cantidad_anios=anios,
                semilla=semilla,
                informar=informar,
            )
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        asistencia_demo(anio=anio)
        construir_metas(anio=anio, informar=informar)
        # The GORE quality system (calidad app): 2011 and 2012 of the 15 GORE, once.
        calidad_demo(usuarios=usuarios_demo(), semilla=semilla)
        # 2007 (PMG Gestión Territorial): seed 003's DGOP answers on their Formulario Etapa N°4.
        formulario_dgop_demo()
        if verbosity >= 1:
            if resumen.anios_existentes:
                self.stdout.write(
                    f"Ya existían datos de demostración para {', '.join(map(str, resumen.anios_existentes))}; no se duplicaron."
                )
            if resumen.anios_creados:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Demo creada en {time.monotonic() - inicio:.1f} s: {resumen.servicios} servicios, "
                        f"{resumen.compromisos} compromisos, {resumen.informes} informes, {resumen.medios} medios, "
                        f"{resumen.transiciones} transiciones, "
                        f"{resumen.iniciativas_validadas} iniciativas validadas."
                    )
                )
            self.stdout.write(
                "Usuarios de demostración (clave «demo»): "
                + ", ".join(u for u, *_ in [*USUARIOS_DEMO, *USUARIOS_METAS])
                + ", evaluador y gore (calidad GORE)"
            )
