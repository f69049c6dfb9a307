"""The desk's starting vocabulary. Editors extend it in the admin."""

from django.db import migrations

ENTRIES = [
    (
        "code-200",
        "200",
        "Soldiers' radio and phone code for the dead, from the Soviet-era 'cargo 200' for bodies sent home.",
        ["200", "200s", "cargo 200", "груз 200", "двухсотый", "двухсотые", "двохсотий", "двохсоті"],
    ),
    (
        "code-300",
        "300",
        "Code for the wounded, used alongside 200 when units report their losses.",
        ["300", "300s", "трехсотый", "трёхсотый", "трехсотые", "трьохсотий", "трьохсоті"],
    ),
    (
        "code-500",
        "500",
        "Code for soldiers who refuse to fight or to go back to the front; a '500' may face prosecution.",
        [
            "500",
            "500s",
            "refusers",
            "refuser",
            "refuseniks",
            "refusing to fight",
            "refuse to fight",
            "пятисотый",
            "пятисотые",
            "отказник",
            "отказники",
            "п'ятисотий",
            "відмовник",
            "відмовники",
        ],
    ),
    (
        "barrier-troops",
        "Barrier troops",
        "Units placed behind the front line to stop their own side retreating, if need be by opening fire on it. "
        "Also called blocking or barrage units.",
        [
            "barrier troops",
            "barrier units",
            "blocking units",
            "blocking detachments",
            "blocking troops",
            "barrage units",
            "barrage troops",
            "заградотряд",
            "заградотряды",
            "заградительные отряды",
            "загороджувальні загони",
        ],
    ),
    (
        "order-227",
        "Order 227",
        "Stalin's 1942 'not a step back' order, which set up penal units and blocking detachments in the Red Army.",
        ["order 227", "not a step back", "ни шагу назад", "ні кроку назад"],
    ),
]


def load(apps, schema_editor):
    Entry = apps.get_model("glossary", "Entry")
    for slug, title, explanation, terms in ENTRIES:
        Entry.objects.update_or_create(
            slug=slug, defaults={"title": title, "explanation": explanation, "terms": "\n".join(terms)}
        )


class Migration(migrations.Migration):
    dependencies = [("glossary", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
