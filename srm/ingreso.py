"""Login throttling: whose address a request comes from, and the lockout per account.

django-axes counts failures per (username, address). Two things make that count hold:

- The address is REMOTE_ADDR unless `SRM_PROXIES_CONFIABLES` says how many reverse proxies
  stand in front of the app; only then is X-Forwarded-For read, and only the entry the nearest
  trusted proxy wrote (the N-th from the right). Entries further left are whatever the client
  sent, so a client cannot choose its own address and get five new tries.
- An account is also locked after `SRM_INTENTOS_POR_CUENTA` failures from any addresses, so
  spraying addresses through a proxy does not help either. That limit is higher than the
  per-address one: someone who mistypes from another address is not locked out by an attacker
  who tried five times.
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def direccion_cliente(request: HttpRequest) -> str | None:
    """The client's address as the nearest trusted proxy saw it (AXES_CLIENT_IP_CALLABLE)."""
    directa = request.META.get("REMOTE_ADDR")
    proxies = settings.SRM_PROXIES_CONFIABLES
    if proxies <= 0:
        return directa
    saltos = [s.strip() for s in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(saltos) < proxies:
        return directa
    try:
        return str(ipaddress.ip_address(saltos[-proxies]))
    except ValueError:
        return directa


class ManejadorIngreso(AxesDatabaseHandler):
    """Axes' database handler, plus a lockout per account across all addresses."""

    def get_failures(self, request, credentials=None) -> int:
        por_direccion = super().get_failures(request, credentials)
        usuario = get_client_username(request, credentials)
        if not usuario:
            return por_direccion
        por_cuenta = (
            AccessAttempt.objects.filter(
                username=usuario, attempt_time__gte=get_cool_off_threshold(request)
            ).aggregate(total=Sum("failures_since_start"))["total"]
            or 0
        )
        # Axes compares one number with AXES_FAILURE_LIMIT: the account's failures are scaled
        # so that they reach that limit exactly at SRM_INTENTOS_POR_CUENTA.
        limite = get_failure_limit(request, credentials)
        return max(por_direccion, por_cuenta * limite // settings.SRM_INTENTOS_POR_CUENTA)
