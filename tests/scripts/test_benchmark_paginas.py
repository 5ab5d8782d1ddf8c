"""scripts/benchmark_paginas.py on the small demo: every page answers its role, in both modes,
and the split's lower bound is the floor plus what this page's data and template add. Not a
timing test."""

import sys

import pytest
from django.core.management import call_command

from tests.celery_real import RAIZ

sys.path.insert(0, str(RAIZ / "scripts"))
import benchmark_paginas  # noqa: E402

pytestmark = pytest.mark.django_db

PAGINAS = [
    "bandeja (por omisión)",
    "revisión de un informe",
    "reportes",
    "servicio: informe",
    "servicio: formulación",
    "inicio de jefatura",
]


def test_mide_cada_pagina_con_su_rol_en_los_dos_modos(referencias, monkeypatch, capsys):
    call_command("demo", verbosity=0)
    for modo in ([], ["--desglose"]):
        monkeypatch.setattr(sys, "argv", ["benchmark_paginas.py", "--veces", "2", *modo])
        benchmark_paginas.main()  # asserts every page answered 200
        salida = capsys.readouterr().out
        for pagina in [benchmark_paginas.PISO, *PAGINAS]:
            assert pagina in salida, pagina
        assert ("meta deja" in salida) == bool(modo)


def test_el_minimo_suma_al_piso_lo_que_la_pagina_agrega(capsys):
    piso = benchmark_paginas.Desglose(
        total=3.0, sql=0.5, crudo=0.2, plantilla=1.0, consultas_en_plantilla=1
    )
    pagina = benchmark_paginas.Desglose(
        total=15.0, sql=3.0, crudo=1.2, plantilla=4.0, consultas_en_plantilla=0
    )
    assert pagina.resto == pytest.approx(8.0)
    razones = benchmark_paginas.tabla_desglose({benchmark_paginas.PISO: piso, "página": pagina})
    # 3.0 + (1.2 - 0.2) + (4.0 - 1.0) = 7.0 ms; the goal leaves the view 3 × 3.0 - 7.0 = 2.0
    assert razones["página"] == pytest.approx((5.0, 7.0 / 3.0))
    linea = next(
        x for x in capsys.readouterr().out.splitlines() if x.split()[:2] == ["página", "15.0"]
    )
    assert linea.split()[-2:] == ["6.5", "2.0"]  # its Python beyond the floor's (8.0 - 1.5)


def test_desglose_no_va_por_http(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["benchmark_paginas.py", "--desglose", "--gunicorn", "8123"])
    with pytest.raises(SystemExit):
        benchmark_paginas.main()
