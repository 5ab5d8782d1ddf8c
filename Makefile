# SRM: `make run` sets everything up and serves the app; `make test` runs the whole suite.
PYTHON_SISTEMA ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The links of the mails point at the address `make run` serves (unless set in the environment).
SRM_URL_BASE ?= http://127.0.0.1:$(PORT)
export DEBUG ?= 1

.PHONY: run test lint preparar datos sistema sistema-pruebas respaldo restaurar

run: sistema $(VENV)/.base datos
	@echo ""
	@echo "=================================================================="
	@echo " SRM listo en http://127.0.0.1:$(PORT)"
	@echo " Usuarios de demostración (clave: demo):"
	@echo "   admin       Administración (Unidad de Monitoreo)"
	@echo "   analista    Analista SUBDERE"
	@echo "   servicio    Gobernación Provincial de Osorno"
	@echo "   servicio2   Gobernación Provincial de Llanquihue"
	@echo "   consultora  Consultora externa"
	@echo "   jefatura    Jefatura de División"
	@echo " Detenga el servidor con Ctrl+C."
	@echo "=================================================================="
	SRM_URL_BASE=$(SRM_URL_BASE) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: sistema sistema-pruebas $(VENV)/.pruebas
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.pruebas
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# Backup of the database and the media with a SHA-256 manifest (README, «Respaldos»).
respaldo: $(VENV)/.base
	$(PY) manage.py respaldo $(if $(DESTINO),--destino $(DESTINO))

restaurar: $(VENV)/.base
	@test -n "$(ORIGEN)" || (echo "Indique la carpeta: make restaurar ORIGEN=respaldos/srm-..."; exit 2)
	$(PY) manage.py restaurar --origen $(ORIGEN)

datos: $(VENV)/.base
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddata regiones tipos_servicio ministerios servicios nombres_anteriores programa_marco_2011 universo_2011 cumplimiento_2011 formulacion_osorno_2011 entregables_2011 feriados
# 2007 (PMG Gestión Territorial): its deliverables, one on the Formulario Etapa N°4 of seed 003.
	$(PY) manage.py loaddata formulario_gestion_territorial_etapa4 entregables_2007
# (loaddata does not go through the services: the tablero's totals of 2011 are rebuilt.)
	$(PY) manage.py recalcular_resumenes --anio 2011
# Two years: the previous one closed (validated, ratified: its cumplimiento and tramo show)
# and the current one under way.
	$(PY) manage.py demo --anios 2

sistema:
	@scripts/verificar_sistema.sh base

sistema-pruebas:
	@scripts/verificar_sistema.sh pruebas

$(VENV)/.base: pyproject.toml
	test -x $(PY) || $(PYTHON_SISTEMA) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.pruebas: pyproject.toml $(VENV)/.base
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@
