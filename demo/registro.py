"""Demo users of every role, the servicios of the demo and each year's carteras."""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from compromisos.models import Proceso
from servicios.models import Cartera, Membresia, Servicio, TipoServicio

User = get_user_model()


CLAVE_DEMO = "demo"


OSORNO = "Gobernación Provincial de Osorno"


SERVICIO2 = "Gobernación Provincial de Llanquihue"


USUARIOS_DEMO = [
    # username, group, first name, last name
    ("admin", "admin", "Carolina", "Fuentes"),
    ("analista", "analista", "Rodrigo", "Sepúlveda"),
    ("servicio", "servicio", "Marcela", "Oyarzún"),
    ("servicio2", "servicio", "Patricio", "Vera"),
    ("consultora", "consultora", "Andrea", "Morales"),
    ("jefatura", "jefatura", "Jorge", "Valenzuela"),
]


def usuario_demo(username: str, grupo: str, nombre: str, apellido: str) -> "User":
    """A demo user with password «demo» in its group; left as it is when it exists."""
    usuario, creado = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": nombre,
            "last_name": apellido[:150],
            "email": f"{username}@demo.srm.invalid",
            "password": _clave_demo(),
            "is_staff": grupo == "admin",
        },
    )
    if creado:
        usuario.groups.add(Group.objects.get(name=grupo))
    return usuario


@functools.cache
def _clave_demo() -> str:
    # Hashing is deliberately slow: hash once for the hundreds of demo users at scale.
    return make_password(CLAVE_DEMO)


def usuarios_demo() -> dict[str, "User"]:
    return {username: usuario_demo(username, *datos) for username, *datos in USUARIOS_DEMO}


def servicios_demo(cantidad: int) -> list[Servicio]:
    """Osorno and Llanquihue first, then an even spread over the kinds of servicio."""
    primeros = sorted(
        Servicio.objects.filter(nombre__in=[OSORNO, SERVICIO2]), key=lambda s: s.nombre != OSORNO
    )
    if len(primeros) != 2:
        raise RuntimeError(
            "Faltan los datos de referencia: ejecute «manage.py loaddata servicios» primero."
        )
    resto_por_tipo = [
        list(
            Servicio.objects.filter(tipo=tipo, activo=True)
            .exclude(pk__in=[s.pk for s in primeros])
            .order_by("pk")
        )
        for tipo in TipoServicio.objects.order_by("orden")
    ]
    elegidos = primeros[:]
    while len(elegidos) < cantidad and any(resto_por_tipo):
        for lista in resto_por_tipo:
            if lista and len(elegidos) < cantidad:
                elegidos.append(lista.pop(0))
    return elegidos[:cantidad]


def encargados_demo(servicios: list[Servicio], usuarios: dict) -> dict[int, "User"]:
    """One encargado/a PMG per servicio: `servicio` and `servicio2` for the first two."""
    encargados = {servicios[0].pk: usuarios["servicio"], servicios[1].pk: usuarios["servicio2"]}
    for servicio in servicios[2:]:
        encargados[servicio.pk] = usuario_demo(
            f"encargado{servicio.pk}",
            "servicio",
            "Encargado/a PMG",
            servicio.sigla or servicio.nombre,
        )
    for servicio in servicios:
        Membresia.objects.get_or_create(usuario=encargados[servicio.pk], servicio=servicio)
    return encargados


def analistas_demo(cantidad_servicios: int, usuarios: dict) -> list["User"]:
    """The demo analista plus colleagues, about 30 servicios each, so carteras differ."""
    colegas = [
        usuario_demo(f"analista{numero}", "analista", "Analista", f"SUBDERE {numero}")
        for numero in range(2, max(2, cantidad_servicios // 30) + 2)
    ]
    return [usuarios["analista"], *colegas]


def analista_de(indice: int, analistas: list) -> "User":
    # The first servicios (Osorno, Llanquihue…) are in the demo analista's cartera; the last ones are not.
    if indice < 2:
        return analistas[0]
    return analistas[indice % len(analistas)]


def carteras_demo(proceso: Proceso, servicios: list[Servicio], analistas: list, consultora) -> None:
    existentes = set(Cartera.objects.filter(anio=proceso.anio).values_list("rol", "servicio_id"))
    nuevas = []
    for indice, servicio in enumerate(servicios):
        if (Cartera.Rol.ANALISTA, servicio.pk) not in existentes:
            nuevas.append(
                Cartera(
                    anio=proceso.anio,
                    rol=Cartera.Rol.ANALISTA,
                    servicio=servicio,
                    usuario=analista_de(indice, analistas),
                )
            )
        if (Cartera.Rol.CONSULTORA, servicio.pk) not in existentes:
            nuevas.append(
                Cartera(
                    anio=proceso.anio,
                    rol=Cartera.Rol.CONSULTORA,
                    servicio=servicio,
                    usuario=consultora,
                )
            )
    Cartera.objects.bulk_create(nuevas)
    for usuario in [*analistas, consultora]:
        # The permission door caches carteras per user object.
        usuario.__dict__.pop("_srm_cartera", None)
