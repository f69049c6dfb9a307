"""Reference list of regions: Ukraine's oblasts and the Russian border regions."""

from django.db import migrations
from django.utils.text import slugify

UKRAINE = [
    "Cherkasy", "Chernihiv", "Chernivtsi", "Crimea", "Dnipropetrovsk", "Donetsk",
    "Ivano-Frankivsk", "Kharkiv", "Kherson", "Khmelnytskyi", "Kirovohrad", "Kyiv",
    "Kyiv City", "Luhansk", "Lviv", "Mykolaiv", "Odesa", "Poltava", "Rivne",
    "Sevastopol", "Sumy", "Ternopil", "Vinnytsia", "Volyn", "Zakarpattia",
    "Zaporizhzhia", "Zhytomyr",
]
RUSSIA = ["Belgorod", "Bryansk", "Kursk", "Rostov", "Voronezh"]


def create_regions(apps, schema_editor):
    Region = apps.get_model("claims", "Region")
    for country, names in (("UA", UKRAINE), ("RU", RUSSIA)):
        for name in names:
            Region.objects.get_or_create(slug=slugify(name), defaults={"name": name, "country": country})


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_roles")]

    operations = [migrations.RunPython(create_regions, migrations.RunPython.noop)]
