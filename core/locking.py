"""Optimistic locking: a save based on a stale copy is refused, not applied.

Models that use it carry a ``version`` integer. A form or API client sends
back the version it loaded; ``take_next_version`` compares it with the row
inside the caller's transaction and either bumps it or raises EditConflict.
"""

from django.db import models, transaction


class EditConflict(Exception):
    """Someone else saved the record after this copy of it was loaded."""

    def __init__(self, instance: models.Model, expected: int, current: int):
        self.instance = instance
        self.expected = expected
        self.current = current
        super().__init__(f"{instance._meta.verbose_name} was changed (version {current}, you had {expected}).")


def take_next_version(instance: models.Model, expected: int) -> None:
    """Lock the row, check its version is ``expected`` and move ``instance`` to the next.

    Call it inside ``transaction.atomic()`` before saving ``instance``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_next_version() must run inside a transaction.")
    current = type(instance)._default_manager.select_for_update().values_list("version", flat=True).get(pk=instance.pk)
    if current != expected:
        raise EditConflict(instance, expected, current)
    instance.version = current + 1
