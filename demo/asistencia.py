"""The demo year's technical assistance, built through asistencia's services (seeds 000, 002).

A 2011-style plan moved to the demo year: the jornada de puesta en marcha (seed 002: 12 January
to 15 February), the mesa técnica de descentralización with the GORE (19, 20 and 27 April), the
consultora's training and a coordination with DIPRES (seed 000); a jornada planned for the
servicios late in the informe de avance 1 (still to be convened, to try it); consultas
answered and pending; contacts; the year's technical documents. Times, places and texts the
seeds do not give are the demo's and say so.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from asistencia import selectors, services
from asistencia.models import Actividad, TipoActividad
from bitacora.avisos import en_silencio
from demo.archivos import pdf_minimo
from demo.registro import OSORNO, SERVICIO2, usuarios_demo
from servicios.models import Servicio
from servicios.selectors import analistas_de


def _momento(dia: datetime.date, hora: int, minutos: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(dia, datetime.time(hora, minutos)))


def _pdf(nombre: str, texto: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(nombre, pdf_minimo(texto), content_type="application/pdf")


def asistencia_demo(*, anio: int) -> bool:
    """Build the year's assistance once; False when it already exists."""
    if Actividad.objects.filter(anio=anio).exists():
        return False
    with en_silencio():
        _construir(anio=anio)
    return True


def _construir(*, anio: int) -> None:
    usuarios = usuarios_demo()
    analista, admin = usuarios["analista"], usuarios["admin"]
    osorno = Servicio.objects.get(nombre=OSORNO)
    llanquihue = Servicio.objects.get(nombre=SERVICIO2)
    del_pmg = selectors.servicios_elegibles(anio=anio)
    hoy = timezone.localdate()
    pasado = lambda dia: min(dia, hoy)  # noqa: E731 — a contact is never in the future

    # Seed 002: «Jornadas de puesta en marcha SSNN y GORES, 12 de enero al 15 de febrero».
    jornada = services.actividad_planificar(
        usuario=analista,
        anio=anio,
        tipo=TipoActividad.JORNADA,
        tema="Jornada de puesta en marcha PMG Descentralización (servicios y GORE)",
        inicio=_momento(datetime.date(anio, 1, 12), 9, 30),
        fin=_momento(datetime.date(anio, 1, 12), 13, 0),
        responsable=analista,
        servicios=del_pmg,
        criterio=f"PMG {anio} (todos los servicios)",
        lugar="SUBDERE, Teatinos 92, Santiago (lugar supuesto por la demostración)",
        materiales="Presentación del itinerario básico, requisitos técnicos del año",
    )
    convocados = {c.servicio_id: c for c in jornada.convocados.all()}
    inscritas = []
    for servicio, usuario, nombre in [
        (osorno, usuarios["servicio"], "Marcela Oyarzún"),
        (llanquihue, usuarios["servicio2"], "Patricio Vera"),
    ]:
        if servicio.pk in convocados:
            inscritas.append(
                services.inscripcion_crear(
                    convocado=convocados[servicio.pk],
                    nombre=nombre,
                    cargo="Encargado/a PMG",
                    usuario=usuario,
                )
            )
    # A demo built before 12 January takes no attendance yet.
    if timezone.localtime(jornada.inicio).date() <= hoy:
        services.asistencia_registrar(
            actividad=jornada, presentes=[i.pk for i in inscritas[:1]], usuario=analista
        )
    cerrado = services.acuerdo_crear(
        actividad=jornada,
        descripcion="Enviar el informe de factibilidad en el plazo del itinerario",
        responsable="Encargada PMG",
        plazo=datetime.date(anio, 3, 31),
        servicio=osorno if osorno.pk in convocados else None,
        usuario=analista,
    )
    services.acuerdo_crear(
        actividad=jornada,
        descripcion="Publicar la guía metodológica del informe de avance",
        responsable="Unidad de Monitoreo (SUBDERE)",
        plazo=datetime.date(anio, 2, 15),
        usuario=analista,
    )
    services.acta_enviar(
        actividad=jornada,
        acta="Se presentó el itinerario básico del año y los requisitos técnicos; "
        "se resolvieron dudas sobre el informe de factibilidad.",
        usuario=analista,
    )
    services.acuerdo_cerrar(
        acuerdo=cerrado, cierre="Informe de factibilidad recibido dentro de plazo.", usuario=admin
    )

    # Seed 002: «Instalación mesa técnica descentralización GORES 19, 20 y 27 de abril».
    gores = [s for s in del_pmg if s.tipo.nombre.lower().startswith("gobierno regional")]
    services.actividad_planificar(
        usuario=analista,
        anio=anio,
        tipo=TipoActividad.MESA_TECNICA,
        tema="Instalación de la mesa técnica de descentralización con los GORE",
        inicio=_momento(datetime.date(anio, 4, 20), 10),
        fin=_momento(datetime.date(anio, 4, 20), 13),
        responsable=analista,
        servicios=gores,
        criterio=f"PMG {anio} · Gobiernos regionales",
        enlace="https://videoconferencia.subdere.gob.cl/mesa-tecnica",
    )
    # Seed 000: the consultora's training and the coordination with DIPRES.
    for tipo, tema, dia in [
        (TipoActividad.CONSULTORA, "Capacitación a la consultora externa", (10, 5)),
        (TipoActividad.DIPRES, "Coordinación con la Secretaría Técnica DIPRES", (11, 16)),
    ]:
        services.actividad_planificar(
            usuario=analista,
            anio=anio,
            tipo=tipo,
            tema=tema,
            inicio=_momento(datetime.date(anio, *dia), 15),
            fin=_momento(datetime.date(anio, *dia), 17),
            responsable=analista,
            criterio="Sin servicios convocados",
            lugar="SUBDERE",
        )
    # Seed 004: extra help for servicios con bajo desempeño — those late in the informe 1.
    atrasados = selectors.servicios_atrasados(anio=anio, periodo="avance_1", hoy=hoy)
    if atrasados:
        services.actividad_planificar(
            usuario=analista,
            anio=anio,
            tipo=TipoActividad.VIDEOCONFERENCIA,
            tema="Apoyo a los servicios atrasados en el informe de avance 1",
            inicio=_momento(hoy + datetime.timedelta(days=7), 10),
            fin=_momento(hoy + datetime.timedelta(days=7), 11, 30),
            responsable=analista,
            servicios=atrasados,
            criterio=f"PMG {anio} · atrasados en el informe de avance 1",
            enlace="https://videoconferencia.subdere.gob.cl/apoyo",
        )

    # Consultas: one answered and published, one pending.
    contestada = services.consulta_crear(
        servicio=osorno,
        anio=anio,
        asunto="¿Cómo se justifica un medio de verificación que no se entregará?",
        texto="En el informe de avance falta el acta de una mesa regional que se postergó.",
        usuario=usuarios["servicio"],
    )
    analista_osorno = (analistas_de(osorno.pk, anio) or [analista])[0]
    services.consulta_escribir(
        consulta=contestada,
        texto="Escriba la justificación en el informe, en «medios faltantes», y adjunte la "
        "comunicación que posterga la mesa.",
        usuario=analista_osorno,
    )
    services.consulta_publicar(
        consulta=contestada,
        pregunta="¿Cómo se justifica un medio de verificación comprometido que no se entregará?",
        respuesta="En el informe, en «medios faltantes», con el documento que lo explique.",
        usuario=analista_osorno,
    )
    services.consulta_crear(
        servicio=llanquihue,
        anio=anio,
        asunto="Plazo del informe final",
        texto="¿El informe final puede enviarse con la validación de la consultora pendiente?",
        usuario=usuarios["servicio2"],
    )

    # Contacts of the analyst with its cartera.
    for servicio, canal, dia, tema, acuerdos in [
        (osorno, "llamada", (3, 20), "Dudas sobre el informe de factibilidad", ""),
        (osorno, "bilateral", (6, 10), "Revisión del programa de trabajo", "Ajustar hitos C02"),
        (llanquihue, "correo", (7, 8), "Medios faltantes del informe de avance 1", ""),
    ]:
        analista_servicio = (analistas_de(servicio.pk, anio) or [analista])[0]
        services.contacto_registrar(
            servicio=servicio,
            anio=anio,
            canal=canal,
            fecha=pasado(datetime.date(anio, *dia)),
            tema=tema,
            acuerdos=acuerdos,
            usuario=analista_servicio,
        )

    # Seed 000: «documentos técnicos Requisitos, Guías, Presentaciones y Comunicaciones».
    for tipo, titulo in [
        ("requisitos", f"Requisitos técnicos PMG Descentralización {anio}"),
        ("guia", "Guía metodológica del informe de avance"),
        ("presentacion", "Presentación de la jornada de puesta en marcha"),
        ("comunicacion", "Oficio de convocatoria a las jornadas de puesta en marcha"),
    ]:
        documento = services.documento_crear(
            anio=anio,
            tipo=tipo,
            titulo=titulo,
            descripcion="Documento de demostración (el archivo es un PDF de una página).",
            archivo=_pdf(f"{tipo}.pdf", f"{titulo} - demo {anio}"),
            usuario=analista,
        )
        services.documento_publicar(documento=documento, usuario=analista)
        if tipo == "guia":
            version = services.documento_version_agregar(
                documento=documento,
                archivo=_pdf("guia-v2.pdf", f"{titulo} v2 - demo {anio}"),
                nota="Corrige el ejemplo de medios faltantes",
                usuario=analista,
            )
            services.documento_abrir(version=version, usuario=usuarios["servicio"])
