"""The default change types and target groups (DESIGN §3), present in every installation."""

from django.db import migrations

CHANGE_TYPES = [
    (
        "collective-action",
        "Collective action leading to concrete improvement",
        "Kollektiv handling som ledde till konkret förbättring",
        "Acción colectiva que llevó a una mejora concreta",
        "People organised together and obtained a concrete improvement in their lives.",
        "Människor organiserade sig tillsammans och fick en konkret förbättring i sina liv.",
        "Personas que se organizaron juntas y lograron una mejora concreta en sus vidas.",
    ),
    (
        "economic-self-reliance",
        "Economic self-reliance",
        "Ekonomisk självständighet",
        "Autonomía económica",
        "Someone gained their own income, savings or means of making a living.",
        "Någon fick en egen inkomst, sparande eller försörjning.",
        "Alguien obtuvo ingresos propios, ahorros o un medio de vida.",
    ),
    (
        "participation-decision-making",
        "Participation in decision-making",
        "Deltagande i beslutsfattande",
        "Participación en la toma de decisiones",
        "People took part in, or influenced, decisions that concern them.",
        "Människor deltog i eller påverkade beslut som rör dem.",
        "Personas participaron en decisiones que les afectan o influyeron en ellas.",
    ),
    (
        "organisational-capacity",
        "Organisational capacity",
        "Organisatorisk kapacitet",
        "Capacidad organizativa",
        "An organisation became stronger: members, democracy, skills, finances or reach.",
        "En organisation blev starkare: medlemmar, demokrati, kunskap, ekonomi eller räckvidd.",
        "Una organización se fortaleció: miembros, democracia, habilidades, finanzas o alcance.",
    ),
    (
        "negative-unexpected",
        "Negative or unexpected change",
        "Negativ eller oväntad förändring",
        "Cambio negativo o inesperado",
        "Something changed for the worse, or in a way nobody planned.",
        "Något förändrades till det sämre, eller på ett sätt ingen hade planerat.",
        "Algo cambió para peor, o de una manera que nadie había previsto.",
    ),
    (
        "other",
        "Other",
        "Annat",
        "Otro",
        "A change that fits none of the other types.",
        "En förändring som inte passar någon av de andra typerna.",
        "Un cambio que no encaja en ninguno de los otros tipos.",
    ),
]

TARGET_GROUPS = [
    ("women", "Women", "Kvinnor", "Mujeres"),
    ("youth", "Young people", "Unga", "Jóvenes"),
    (
        "persons-with-disabilities",
        "Persons with disabilities",
        "Personer med funktionsnedsättning",
        "Personas con discapacidad",
    ),
    ("indigenous-peoples", "Indigenous peoples", "Urfolk", "Pueblos indígenas"),
    (
        "other-marginalised",
        "Other marginalised groups",
        "Andra marginaliserade grupper",
        "Otros grupos marginados",
    ),
]


def create_defaults(apps, schema_editor):
    ChangeType = apps.get_model("progress", "ChangeType")
    TargetGroup = apps.get_model("progress", "TargetGroup")
    for ordering, (code, en, sv, es, d_en, d_sv, d_es) in enumerate(CHANGE_TYPES, start=1):
        ChangeType.objects.update_or_create(
            code=code,
            defaults={
                "name_en": en,
                "name_sv": sv,
                "name_es": es,
                "description_en": d_en,
                "description_sv": d_sv,
                "description_es": d_es,
                "ordering": ordering * 10,
            },
        )
    for ordering, (code, en, sv, es) in enumerate(TARGET_GROUPS, start=1):
        TargetGroup.objects.update_or_create(
            code=code,
            defaults={"name_en": en, "name_sv": sv, "name_es": es, "ordering": ordering * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("progress", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
