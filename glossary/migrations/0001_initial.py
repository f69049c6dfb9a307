from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Entry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("slug", models.SlugField(max_length=60, unique=True)),
                (
                    "title",
                    models.CharField(help_text="How the entry is headed for readers, e.g. '500'.", max_length=100),
                ),
                ("explanation", models.TextField(help_text="Plain text shown to readers.")),
                (
                    "terms",
                    models.TextField(
                        help_text="Every spelling that means this, one per line, in any language (e.g. 500, 500s, refusers)."
                    ),
                ),
            ],
            options={"ordering": ["title"], "verbose_name_plural": "entries"},
        ),
    ]
