from django.db import models
from django.db.models import Q


def check_choices(field: str, choices: type[models.Choices], *, name: str, blank: bool = False):
    """A CheckConstraint holding ``field`` to ``choices`` in the database itself.

    Django validates choices in forms only; a raw insert or an API bug would
    otherwise store a value no template or filter knows.
    """
    values = list(choices.values)
    if blank:
        values.append("")
    return models.CheckConstraint(condition=Q(**{f"{field}__in": values}), name=name)
