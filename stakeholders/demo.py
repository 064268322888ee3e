"""Demo stakeholders and the ties between them, so the directory and the network have something to show.

Idempotent: rows are found by natural keys (country and name; source, target and kind), so a
second run changes nothing and stakeholders that another demo module created are reused.
"""

from countries.models import Country, Region

from .models import Contact, Relationship, Stakeholder

S = Stakeholder.Sector

#: (country, name, acronym, sector, level, region code or None)
ACTORS = [
    ("CO", "Ministerio de Minas y Energía", "MinEnergía", S.NATIONAL_GOVERNMENT, "national", None),
    ("CO", "Alcaldía de Uribia", "", S.SUBNATIONAL_GOVERNMENT, "local", "CO-LAG"),
    ("CO", "Alcaldía de Riohacha", "", S.SUBNATIONAL_GOVERNMENT, "local", "CO-LAG"),
    ("CO", "Gobernación de La Guajira", "", S.SUBNATIONAL_GOVERNMENT, "subnational", "CO-LAG"),
    ("CO", "Fundación Energía Wayuu", "FEW", S.CIVIL_SOCIETY, "subnational", "CO-LAG"),
    ("CO", "Asociación de Autoridades Wayuu", "", S.INDIGENOUS, "local", "CO-LAG"),
    ("CO", "Cooperativa Solar del Cesar", "", S.PRIVATE, "subnational", "CO-CES"),
    ("CO", "Carbones del Corredor", "", S.EXTRACTIVE_ENERGY, "subnational", "CO-CES"),
    ("CO", "Universidad de La Guajira", "Uniguajira", S.ACADEMIA, "subnational", "CO-LAG"),
    ("CO", "Red Nacional de Transparencia", "", S.CIVIL_SOCIETY, "national", None),
    ("CO", "Contraloría Departamental", "", S.OVERSIGHT, "subnational", "CO-CES"),
    ("CO", "Radio Comunitaria Uribia Estéreo", "", S.MEDIA, "local", "CO-LAG"),
    ("PE", "Gobierno Regional de Moquegua", "GORE Moquegua", S.SUBNATIONAL_GOVERNMENT, "subnational", "PE-MOQ"),
    ("PE", "Ministerio de Economía y Finanzas", "MEF", S.NATIONAL_GOVERNMENT, "national", None),
    ("PE", "Asociación Moquegua Transparente", "", S.CIVIL_SOCIETY, "subnational", "PE-MOQ"),
    ("PE", "Minera del Sur", "", S.EXTRACTIVE_ENERGY, "subnational", "PE-MOQ"),
    ("PE", "Cámara de Comercio de Moquegua", "", S.PRIVATE, "subnational", "PE-MOQ"),
    ("PE", "Junta de Usuarios de Agua de Moquegua", "", S.COMMUNITY, "local", "PE-MOQ"),
    ("PE", "Universidad Nacional de Moquegua", "UNAM", S.ACADEMIA, "subnational", "PE-MOQ"),
    ("PE", "Gobierno Regional de Cajamarca", "", S.SUBNATIONAL_GOVERNMENT, "subnational", "PE-CAJ"),
]

#: (source, target, kind, strength)
TIES = [
    ("Ministerio de Minas y Energía", "Gobernación de La Guajira", "funding", 3),
    ("Ministerio de Minas y Energía", "Carbones del Corredor", "influence", 2),
    ("Gobernación de La Guajira", "Alcaldía de Uribia", "collaboration", 2),
    ("Gobernación de La Guajira", "Alcaldía de Riohacha", "collaboration", 2),
    ("Alcaldía de Uribia", "Asociación de Autoridades Wayuu", "alliance", 2),
    ("Fundación Energía Wayuu", "Asociación de Autoridades Wayuu", "alliance", 3),
    ("Fundación Energía Wayuu", "Universidad de La Guajira", "collaboration", 2),
    ("Fundación Energía Wayuu", "Red Nacional de Transparencia", "membership", 1),
    ("Universidad de La Guajira", "Cooperativa Solar del Cesar", "collaboration", 2),
    ("Cooperativa Solar del Cesar", "Alcaldía de Riohacha", "alliance", 1),
    ("Carbones del Corredor", "Asociación de Autoridades Wayuu", "conflict", 3),
    ("Carbones del Corredor", "Contraloría Departamental", "conflict", 1),
    ("Red Nacional de Transparencia", "Contraloría Departamental", "collaboration", 2),
    ("Radio Comunitaria Uribia Estéreo", "Asociación de Autoridades Wayuu", "alliance", 2),
    ("Ministerio de Economía y Finanzas", "Gobierno Regional de Moquegua", "funding", 3),
    ("Minera del Sur", "Gobierno Regional de Moquegua", "influence", 3),
    ("Minera del Sur", "Junta de Usuarios de Agua de Moquegua", "conflict", 3),
    ("Asociación Moquegua Transparente", "Gobierno Regional de Moquegua", "collaboration", 2),
    ("Asociación Moquegua Transparente", "Universidad Nacional de Moquegua", "alliance", 2),
    ("Cámara de Comercio de Moquegua", "Minera del Sur", "alliance", 2),
    ("Cámara de Comercio de Moquegua", "Asociación Moquegua Transparente", "collaboration", 1),
    ("Universidad Nacional de Moquegua", "Junta de Usuarios de Agua de Moquegua", "collaboration", 2),
    ("Gobierno Regional de Moquegua", "Gobierno Regional de Cajamarca", "collaboration", 1),
]

CONTACTS = [
    ("Alcaldía de Uribia", "Ana Pérez", "Secretaria de Planeación", "ana.perez@example.org"),
    ("Fundación Energía Wayuu", "José Epieyú", "Director", "jose@example.org"),
    ("Asociación Moquegua Transparente", "Luis Rojas", "Coordinador", "luis@example.org"),
]


def load(stdout) -> None:
    countries = {country.code: country for country in Country.objects.filter(code__in=["CO", "PE"])}
    by_name: dict[str, Stakeholder] = {}
    for code, name, acronym, sector, level, region_code in ACTORS:
        stakeholder, created = Stakeholder.objects.get_or_create(
            country=countries[code], name=name, defaults={"acronym": acronym, "sector": sector, "level": level}
        )
        if created and region_code:
            stakeholder.regions.add(Region.objects.get(code=region_code))
        by_name[name] = stakeholder
    for source, target, kind, strength in TIES:
        Relationship.objects.get_or_create(
            source=by_name[source], target=by_name[target], kind=kind, defaults={"strength": strength}
        )
    for stakeholder, name, position, email in CONTACTS:
        Contact.objects.get_or_create(
            stakeholder=by_name[stakeholder], name=name, defaults={"position": position, "email": email}
        )
    stdout.write(f"Stakeholders demo: {len(ACTORS)} actors, {len(TIES)} relationships.")
