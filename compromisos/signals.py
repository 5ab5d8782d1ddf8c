"""Signals of the compromisos app, for writes that Django's model signals do not announce."""

from django.dispatch import Signal

# An informe's avances were created with bulk_create (no post_save per row).
# Sent with `informe`, inside the transaction that created them.
avances_creados = Signal()
