"""Raw SQL for PostgreSQL-only features (trigram and full-text indexes).

SQLite, the zero-setup default, has no such indexes: its fallbacks scan instead.
"""


def on_postgresql(statements: list[str]):
    """A RunPython function that executes ``statements`` on PostgreSQL and does nothing elsewhere."""

    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply
