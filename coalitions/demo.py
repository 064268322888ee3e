"""Demo data for the coalition domain, from the program's own description (shared/seed).

Public institutions are real; every person is fictitious. Rows are found by natural keys
(get_or_create), so a second run changes nothing. Dates are relative to the day of the
first run so the dashboard has something due.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from coalitions.models import (
    Assessment,
    Coalition,
    Commitment,
    Engagement,
    Initiative,
    LearningNote,
    Membership,
    Outcome,
)
from countries.models import Country, Region
from stakeholders.models import Contact, Relationship, Stakeholder

DEMO_PASSWORD = "demo"  # noqa: S105 - development-only accounts, documented in the README

S = Stakeholder.Sector
# (key, name, acronym, sector, level, kind, region codes, description)
STAKEHOLDERS = {
    "CO": [
        (
            "minenergia",
            "Ministerio de Minas y Energía",
            "MinEnergía",
            S.NATIONAL_GOVERNMENT,
            "national",
            "organisation",
            [],
            "Leads the national Energy Communities policy.",
        ),
        (
            "upme",
            "Unidad de Planeación Minero Energética",
            "UPME",
            S.NATIONAL_GOVERNMENT,
            "national",
            "organisation",
            [],
            "Energy planning unit attached to the ministry.",
        ),
        (
            "ipse",
            "Instituto de Planificación y Promoción de Soluciones Energéticas",
            "IPSE",
            S.NATIONAL_GOVERNMENT,
            "national",
            "organisation",
            ["CO-LAG"],
            "Energy solutions for non-interconnected zones.",
        ),
        (
            "gob-guajira",
            "Gobernación de La Guajira",
            "",
            S.SUBNATIONAL_GOVERNMENT,
            "subnational",
            "organisation",
            ["CO-LAG"],
            "Departmental government of La Guajira.",
        ),
        (
            "gob-cesar",
            "Gobernación del Cesar",
            "",
            S.SUBNATIONAL_GOVERNMENT,
            "subnational",
            "organisation",
            ["CO-CES"],
            "Departmental government of Cesar.",
        ),
        (
            "alc-uribia",
            "Alcaldía de Uribia",
            "",
            S.SUBNATIONAL_GOVERNMENT,
            "local",
            "organisation",
            ["CO-LAG"],
            "Municipal government of Uribia.",
        ),
        (
            "alc-riohacha",
            "Alcaldía de Riohacha",
            "",
            S.SUBNATIONAL_GOVERNMENT,
            "local",
            "organisation",
            ["CO-LAG"],
            "Municipal government of Riohacha.",
        ),
        (
            "alc-valledupar",
            "Alcaldía de Valledupar",
            "",
            S.SUBNATIONAL_GOVERNMENT,
            "local",
            "organisation",
            ["CO-CES"],
            "Municipal government of Valledupar.",
        ),
        (
            "alc-becerril",
            "Alcaldía de Becerril",
            "",
            S.SUBNATIONAL_GOVERNMENT,
            "local",
            "organisation",
            ["CO-CES"],
            "Municipality in Cesar's mining corridor.",
        ),
        (
            "contraloria-co",
            "Contraloría General de la República",
            "CGR",
            S.OVERSIGHT,
            "national",
            "organisation",
            [],
            "Supreme audit institution.",
        ),
        (
            "defensoria-co",
            "Defensoría del Pueblo",
            "",
            S.OVERSIGHT,
            "national",
            "organisation",
            ["CO-LAG", "CO-CES"],
            "Ombudsman; follows social conflicts in the mining corridor.",
        ),
        (
            "transparencia-co",
            "Transparencia por Colombia",
            "",
            S.CIVIL_SOCIETY,
            "national",
            "organisation",
            [],
            "National chapter of Transparency International.",
        ),
        (
            "foro-nacional",
            "Foro Nacional por Colombia",
            "",
            S.CIVIL_SOCIETY,
            "national",
            "organisation",
            ["CO-CES"],
            "Civil society think tank on participation.",
        ),
        (
            "fundacion-sol-wayuu",
            "Fundación Sol Wayuu",
            "FSW",
            S.CIVIL_SOCIETY,
            "subnational",
            "organisation",
            ["CO-LAG"],
            "Local NGO supporting solar projects with Wayuu communities (fictitious).",
        ),
        (
            "jac-becerril",
            "Junta de Acción Comunal La Esperanza",
            "",
            S.COMMUNITY,
            "local",
            "organisation",
            ["CO-CES"],
            "Neighbourhood council in Becerril (fictitious).",
        ),
        (
            "wayuu-autoridades",
            "Asociación de Autoridades Tradicionales Wayuu Alta Guajira",
            "",
            S.INDIGENOUS,
            "local",
            "organisation",
            ["CO-LAG"],
            "Traditional authorities of Wayuu rancherías (fictitious association).",
        ),
        (
            "red-mujeres-solares",
            "Red de Mujeres Solares de Uribia",
            "",
            S.INDIGENOUS,
            "local",
            "informal_group",
            ["CO-LAG"],
            "Wayuu women trained to maintain solar systems (fictitious).",
        ),
        (
            "ser-colombia",
            "SER Colombia - Asociación de Energías Renovables",
            "SER",
            S.PRIVATE,
            "national",
            "organisation",
            [],
            "Renewable energy business association.",
        ),
        (
            "solar-caribe",
            "Soluciones Solares del Caribe S.A.S.",
            "",
            S.PRIVATE,
            "subnational",
            "organisation",
            ["CO-LAG", "CO-CES"],
            "Solar installer (fictitious).",
        ),
        (
            "cerrejon",
            "Cerrejón",
            "",
            S.EXTRACTIVE_ENERGY,
            "subnational",
            "organisation",
            ["CO-LAG"],
            "Coal mining company in La Guajira.",
        ),
        (
            "drummond",
            "Drummond Ltd. Colombia",
            "",
            S.EXTRACTIVE_ENERGY,
            "subnational",
            "organisation",
            ["CO-CES"],
            "Coal mining company in Cesar.",
        ),
        (
            "air-e",
            "Air-e",
            "",
            S.EXTRACTIVE_ENERGY,
            "subnational",
            "organisation",
            ["CO-LAG"],
            "Electricity distributor for the Caribbean coast.",
        ),
        (
            "uniguajira",
            "Universidad de La Guajira",
            "",
            S.ACADEMIA,
            "subnational",
            "organisation",
            ["CO-LAG"],
            "Public university in Riohacha.",
        ),
        (
            "upc",
            "Universidad Popular del Cesar",
            "UPC",
            S.ACADEMIA,
            "subnational",
            "organisation",
            ["CO-CES"],
            "Public university in Valledupar.",
        ),
        (
            "giz-co",
            "GIZ Colombia",
            "GIZ",
            S.INTERNATIONAL,
            "international",
            "organisation",
            [],
            "German development cooperation.",
        ),
        (
            "diocesis-riohacha",
            "Diócesis de Riohacha",
            "",
            S.OTHER,
            "subnational",
            "organisation",
            ["CO-LAG"],
            "Catholic diocese; trusted mediator with Wayuu communities.",
        ),
        (
            "el-pilon",
            "El Pilón",
            "",
            S.MEDIA,
            "subnational",
            "organisation",
            ["CO-CES"],
            "Regional newspaper in Valledupar.",
        ),
        (
            "maria-epieyu",
            "María Epieyú",
            "",
            S.INDIGENOUS,
            "local",
            "person",
            ["CO-LAG"],
            "Wayuu community leader (fictitious person).",
        ),
        (
            "carlos-mendoza",
            "Carlos Mendoza",
            "",
            S.SUBNATIONAL_GOVERNMENT,
            "local",
            "person",
            ["CO-CES"],
            "Planning secretary (fictitious person).",
        ),
    ],
    "PE": [
        (
            "mef",
            "Ministerio de Economía y Finanzas",
            "MEF",
            S.NATIONAL_GOVERNMENT,
            "national",
            "organisation",
            [],
            "Transfers the mining canon to regions and municipalities.",
        ),
        (
            "minem",
            "Ministerio de Energía y Minas",
            "MINEM",
            S.NATIONAL_GOVERNMENT,
            "national",
            "organisation",
            [],
            "Mining and energy ministry.",
        ),
        (
            "ceplan",
            "Centro Nacional de Planeamiento Estratégico",
            "CEPLAN",
            S.NATIONAL_GOVERNMENT,
            "national",
            "organisation",
            [],
            "Guides regional development plans.",
        ),
        (
            "gore-moquegua",
            "Gobierno Regional de Moquegua",
            "GORE Moquegua",
            S.SUBNATIONAL_GOVERNMENT,
            "subnational",
            "organisation",
            ["PE-MOQ"],
            "Regional government; executes canon-funded investment.",
        ),
        (
            "gore-cajamarca",
            "Gobierno Regional de Cajamarca",
            "GORE Cajamarca",
            S.SUBNATIONAL_GOVERNMENT,
            "subnational",
            "organisation",
            ["PE-CAJ"],
            "Regional government of Cajamarca.",
        ),
        (
            "mp-mariscal-nieto",
            "Municipalidad Provincial de Mariscal Nieto",
            "",
            S.SUBNATIONAL_GOVERNMENT,
            "local",
            "organisation",
            ["PE-MOQ"],
            "Provincial municipality (Moquegua city).",
        ),
        (
            "mp-ilo",
            "Municipalidad Provincial de Ilo",
            "",
            S.SUBNATIONAL_GOVERNMENT,
            "local",
            "organisation",
            ["PE-MOQ"],
            "Provincial municipality of Ilo.",
        ),
        (
            "mp-cajamarca",
            "Municipalidad Provincial de Cajamarca",
            "",
            S.SUBNATIONAL_GOVERNMENT,
            "local",
            "organisation",
            ["PE-CAJ"],
            "Provincial municipality of Cajamarca.",
        ),
        (
            "contraloria-pe",
            "Contraloría General de la República del Perú",
            "",
            S.OVERSIGHT,
            "national",
            "organisation",
            [],
            "Supreme audit institution.",
        ),
        (
            "consejo-moquegua",
            "Consejo Regional de Moquegua",
            "",
            S.OVERSIGHT,
            "subnational",
            "organisation",
            ["PE-MOQ"],
            "Regional council overseeing the regional government.",
        ),
        (
            "propuesta-ciudadana",
            "Grupo Propuesta Ciudadana",
            "GPC",
            S.CIVIL_SOCIETY,
            "national",
            "organisation",
            ["PE-MOQ", "PE-CAJ"],
            "Monitors extractive revenue and its use.",
        ),
        (
            "mesa-moquegua",
            "Mesa de Concertación para la Lucha contra la Pobreza de Moquegua",
            "MCLCP",
            S.CIVIL_SOCIETY,
            "subnational",
            "organisation",
            ["PE-MOQ"],
            "State and civil society dialogue space.",
        ),
        (
            "grufides",
            "Grufides",
            "",
            S.CIVIL_SOCIETY,
            "subnational",
            "organisation",
            ["PE-CAJ"],
            "Cajamarca NGO on environment and water.",
        ),
        (
            "junta-usuarios-moquegua",
            "Junta de Usuarios de Agua de Moquegua",
            "",
            S.COMMUNITY,
            "local",
            "organisation",
            ["PE-MOQ"],
            "Irrigation water users' board.",
        ),
        (
            "rondas-cajamarca",
            "Rondas Campesinas de Cajamarca",
            "",
            S.INDIGENOUS,
            "local",
            "organisation",
            ["PE-CAJ"],
            "Peasant patrols and community organisation.",
        ),
        (
            "camara-moquegua",
            "Cámara de Comercio e Industria de Moquegua",
            "",
            S.PRIVATE,
            "subnational",
            "organisation",
            ["PE-MOQ"],
            "Regional business association.",
        ),
        (
            "snmpe",
            "Sociedad Nacional de Minería, Petróleo y Energía",
            "SNMPE",
            S.PRIVATE,
            "national",
            "organisation",
            [],
            "National extractive industry association.",
        ),
        (
            "southern",
            "Southern Peru Copper Corporation",
            "Southern Perú",
            S.EXTRACTIVE_ENERGY,
            "subnational",
            "organisation",
            ["PE-MOQ"],
            "Copper mining company (Cuajone).",
        ),
        (
            "quellaveco",
            "Anglo American Quellaveco",
            "",
            S.EXTRACTIVE_ENERGY,
            "subnational",
            "organisation",
            ["PE-MOQ"],
            "Copper mine in Moquegua.",
        ),
        (
            "yanacocha",
            "Minera Yanacocha",
            "",
            S.EXTRACTIVE_ENERGY,
            "subnational",
            "organisation",
            ["PE-CAJ"],
            "Gold mining company in Cajamarca.",
        ),
        (
            "unam",
            "Universidad Nacional de Moquegua",
            "UNAM",
            S.ACADEMIA,
            "subnational",
            "organisation",
            ["PE-MOQ"],
            "Public university.",
        ),
        (
            "unc",
            "Universidad Nacional de Cajamarca",
            "UNC",
            S.ACADEMIA,
            "subnational",
            "organisation",
            ["PE-CAJ"],
            "Public university.",
        ),
        (
            "cooperacion-suiza",
            "Cooperación Suiza - SECO",
            "SECO",
            S.INTERNATIONAL,
            "international",
            "organisation",
            [],
            "Swiss economic cooperation; subnational public finance.",
        ),
        (
            "prensa-regional",
            "Prensa Regional",
            "",
            S.MEDIA,
            "subnational",
            "organisation",
            ["PE-MOQ"],
            "Regional newspaper in Moquegua.",
        ),
        (
            "rosa-quispe",
            "Rosa Quispe",
            "",
            S.CIVIL_SOCIETY,
            "local",
            "person",
            ["PE-MOQ"],
            "Social listening facilitator (fictitious person).",
        ),
        (
            "jorge-chavez",
            "Jorge Chávez Medina",
            "",
            S.SUBNATIONAL_GOVERNMENT,
            "subnational",
            "person",
            ["PE-CAJ"],
            "Regional planning manager (fictitious person).",
        ),
    ],
    "PH": [
        (
            "dilg",
            "Department of the Interior and Local Government",
            "DILG",
            S.NATIONAL_GOVERNMENT,
            "national",
            "organisation",
            [],
            "Oversees local government units.",
        ),
        (
            "denr",
            "Department of Environment and Natural Resources",
            "DENR",
            S.NATIONAL_GOVERNMENT,
            "national",
            "organisation",
            [],
            "Environment and natural resources.",
        ),
        (
            "mgb",
            "Mines and Geosciences Bureau",
            "MGB",
            S.NATIONAL_GOVERNMENT,
            "national",
            "organisation",
            [],
            "Mining regulator under DENR.",
        ),
        (
            "ph-eiti",
            "Philippine Extractive Industries Transparency Initiative",
            "PH-EITI",
            S.OVERSIGHT,
            "national",
            "organisation",
            [],
            "Multi-stakeholder transparency initiative.",
        ),
        (
            "coa",
            "Commission on Audit",
            "COA",
            S.OVERSIGHT,
            "national",
            "organisation",
            [],
            "Supreme audit institution.",
        ),
        (
            "benguet-lgu",
            "Provincial Government of Benguet",
            "",
            S.SUBNATIONAL_GOVERNMENT,
            "subnational",
            "organisation",
            ["PH-BEN"],
            "Province with a long mining history.",
        ),
        (
            "bantay-kita",
            "Bantay Kita",
            "",
            S.CIVIL_SOCIETY,
            "national",
            "organisation",
            [],
            "Coalition for extractive industry transparency.",
        ),
        (
            "ncip",
            "National Commission on Indigenous Peoples",
            "NCIP",
            S.NATIONAL_GOVERNMENT,
            "national",
            "organisation",
            [],
            "Protects indigenous peoples' rights.",
        ),
        (
            "chamber-mines-ph",
            "Chamber of Mines of the Philippines",
            "COMP",
            S.PRIVATE,
            "national",
            "organisation",
            [],
            "Mining industry association.",
        ),
        (
            "ateneo-sog",
            "Ateneo School of Government",
            "ASOG",
            S.ACADEMIA,
            "national",
            "organisation",
            [],
            "Public policy school.",
        ),
        (
            "pcij",
            "Philippine Center for Investigative Journalism",
            "PCIJ",
            S.MEDIA,
            "national",
            "organisation",
            [],
            "Investigative journalism centre.",
        ),
        (
            "ibaloi-council",
            "Ibaloi Elders Council of Itogon",
            "",
            S.INDIGENOUS,
            "local",
            "informal_group",
            ["PH-BEN"],
            "Indigenous elders (fictitious group).",
        ),
    ],
}

# (key, name, country, level, phase, public, region codes, lead, objective)
INITIATIVES = [
    (
        "co-ce",
        "Comunidades Energéticas",
        "CO",
        "national",
        "coalition_building",
        True,
        ["CO-LAG", "CO-CES"],
        "minenergia",
        "Self-governed community energy projects that bring affordable, clean energy to the communities of the coal corridor.",
    ),
    (
        "pe-moq",
        "Plan de Desarrollo Regional Concertado de Moquegua",
        "PE",
        "subnational",
        "implementation",
        True,
        ["PE-MOQ"],
        "gore-moquegua",
        "Mining canon revenue is invested in the regional development plan's objectives, with citizens following its use.",
    ),
    (
        "pe-caj",
        "Plan de Desarrollo Regional Concertado de Cajamarca",
        "PE",
        "subnational",
        "coalition_building",
        False,
        ["PE-CAJ"],
        "gore-cajamarca",
        "Better use of mining revenue and water management in Cajamarca's development plan.",
    ),
    (
        "ph-epa",
        "Philippines entry-point analysis",
        "PH",
        "national",
        "entry_point_analysis",
        False,
        [],
        None,
        "Find the governance processes where engaging diverse stakeholders could add most value.",
    ),
]

# (key, initiative, name, level, status, public, region codes, parent, goal, formed days ago)
COALITIONS = [
    (
        "co-national",
        "co-ce",
        "Coalición Nacional de Comunidades Energéticas",
        "national",
        "active",
        True,
        [],
        None,
        "Make the national Energy Communities programme work for the Caribbean coal corridor.",
        420,
    ),
    (
        "co-guajira",
        "co-ce",
        "Coalición La Guajira por la Energía Comunitaria",
        "local",
        "active",
        True,
        ["CO-LAG"],
        "co-national",
        "Solar energy communities run by Wayuu rancherías in Uribia and Riohacha.",
        300,
    ),
    (
        "co-cesar",
        "co-ce",
        "Coalición Cesar por la Transición Energética",
        "local",
        "forming",
        False,
        ["CO-CES"],
        "co-national",
        "Energy communities in the mining municipalities of Cesar as coal declines.",
        120,
    ),
    (
        "pe-moq-cl",
        "pe-moq",
        "Comunidad de Aprendizaje de Moquegua",
        "subnational",
        "active",
        True,
        ["PE-MOQ"],
        None,
        "Civil society, business, mining companies and government learn together to spend the canon on the plan's objectives.",
        500,
    ),
    (
        "pe-caj-agua",
        "pe-caj",
        "Coalición Cajamarca por el Agua y el Canon",
        "subnational",
        "forming",
        False,
        ["PE-CAJ"],
        None,
        "Water management projects funded by mining revenue, agreed with the rondas and the regional government.",
        90,
    ),
]

R = Membership.Role
# coalition -> [(stakeholder, role, joined days ago, left days ago or None)]
MEMBERS = {
    "co-national": [
        ("minenergia", R.CONVENER, 420, None),
        ("upme", R.MEMBER, 400, None),
        ("ser-colombia", R.MEMBER, 380, None),
        ("transparencia-co", R.FACILITATOR, 420, None),
        ("giz-co", R.OBSERVER, 350, None),
        ("ipse", R.MEMBER, 360, None),
        ("foro-nacional", R.MEMBER, 330, 60),
    ],
    "co-guajira": [
        ("fundacion-sol-wayuu", R.FACILITATOR, 300, None),
        ("gob-guajira", R.MEMBER, 290, None),
        ("alc-uribia", R.CHAMPION, 280, None),
        ("wayuu-autoridades", R.CONVENER, 300, None),
        ("red-mujeres-solares", R.MEMBER, 200, None),
        ("solar-caribe", R.MEMBER, 250, None),
        ("uniguajira", R.MEMBER, 240, None),
        ("cerrejon", R.OBSERVER, 180, None),
        ("maria-epieyu", R.CHAMPION, 300, None),
        ("air-e", R.MEMBER, 150, 40),
    ],
    "co-cesar": [
        ("gob-cesar", R.CONVENER, 120, None),
        ("alc-becerril", R.MEMBER, 110, None),
        ("jac-becerril", R.MEMBER, 100, None),
        ("upc", R.FACILITATOR, 120, None),
        ("drummond", R.OBSERVER, 90, None),
        ("carlos-mendoza", R.MEMBER, 80, None),
    ],
    "pe-moq-cl": [
        ("gore-moquegua", R.MEMBER, 500, None),
        ("mesa-moquegua", R.CONVENER, 500, None),
        ("propuesta-ciudadana", R.FACILITATOR, 480, None),
        ("camara-moquegua", R.MEMBER, 450, None),
        ("southern", R.MEMBER, 420, None),
        ("quellaveco", R.MEMBER, 400, None),
        ("unam", R.MEMBER, 380, None),
        ("junta-usuarios-moquegua", R.MEMBER, 300, None),
        ("mp-ilo", R.MEMBER, 280, None),
        ("consejo-moquegua", R.OBSERVER, 260, None),
        ("rosa-quispe", R.CHAMPION, 400, None),
        ("mp-mariscal-nieto", R.MEMBER, 450, 100),
    ],
    "pe-caj-agua": [
        ("grufides", R.CONVENER, 90, None),
        ("rondas-cajamarca", R.MEMBER, 85, None),
        ("gore-cajamarca", R.MEMBER, 80, None),
        ("unc", R.FACILITATOR, 90, None),
        ("yanacocha", R.OBSERVER, 60, None),
        ("jorge-chavez", R.MEMBER, 60, None),
    ],
}

# initiative -> [(stakeholder, (power, capabilities, interest, stance) first, same then)]; first is 180 days ago, then 20.
ASSESSMENTS = {
    "co-ce": [
        ("minenergia", (5, 5, 5, 2), (5, 5, 5, 2)),
        ("upme", (4, 4, 3, 1), (4, 4, 4, 1)),
        ("gob-guajira", (4, 3, 2, -1), (4, 3, 4, 1)),
        ("gob-cesar", (4, 3, 2, 0), (4, 3, 3, 1)),
        ("alc-uribia", (3, 2, 3, 0), (3, 2, 5, 2)),
        ("alc-valledupar", (3, 3, 2, 0), (3, 3, 2, 0)),
        ("cerrejon", (5, 5, 2, -2), (5, 5, 3, -1)),
        ("drummond", (5, 5, 1, -2), (5, 5, 2, -1)),
        ("air-e", (4, 4, 2, -1), (4, 4, 2, -2)),
        ("wayuu-autoridades", (3, 2, 5, 1), (3, 2, 5, 2)),
        ("fundacion-sol-wayuu", (2, 3, 5, 2), (2, 3, 5, 2)),
        ("solar-caribe", (2, 3, 4, 1), (2, 4, 5, 2)),
        ("ser-colombia", (3, 4, 4, 1), (3, 4, 4, 1)),
        ("uniguajira", (2, 3, 3, 0), (2, 3, 4, 1)),
        ("contraloria-co", (4, 3, 2, 0), (4, 3, 2, 0)),
        ("el-pilon", (2, 2, 2, 0), (2, 2, 3, 0)),
    ],
    "pe-moq": [
        ("gore-moquegua", (5, 3, 3, 0), (5, 3, 4, 1)),
        ("mef", (5, 5, 2, 0), (5, 5, 2, 0)),
        ("southern", (5, 5, 3, -1), (5, 5, 3, 0)),
        ("quellaveco", (4, 5, 3, 0), (4, 5, 4, 1)),
        ("mesa-moquegua", (3, 3, 5, 2), (3, 3, 5, 2)),
        ("propuesta-ciudadana", (2, 4, 5, 2), (2, 4, 5, 2)),
        ("camara-moquegua", (3, 3, 3, 0), (3, 3, 4, 1)),
        ("consejo-moquegua", (3, 2, 2, -1), (3, 2, 3, 0)),
        ("mp-ilo", (3, 2, 3, 0), (3, 2, 4, 1)),
        ("junta-usuarios-moquegua", (2, 2, 4, 0), (2, 2, 5, 1)),
        ("contraloria-pe", (4, 4, 2, 0), (4, 4, 2, 0)),
        ("unam", (2, 3, 3, 1), (2, 3, 3, 1)),
    ],
    "pe-caj": [
        ("gore-cajamarca", (4, 3, 2, -1), (4, 3, 3, 0)),
        ("yanacocha", (5, 5, 2, -1), (5, 5, 2, -1)),
        ("rondas-cajamarca", (3, 2, 5, -1), (3, 2, 5, 0)),
        ("grufides", (2, 3, 5, 1), (2, 3, 5, 2)),
        ("unc", (2, 3, 3, 0), (2, 3, 4, 1)),
        ("mp-cajamarca", (3, 2, 2, 0), (3, 2, 3, 0)),
    ],
    "ph-epa": [
        ("dilg", (5, 4, 3, 0), (5, 4, 4, 1)),
        ("mgb", (4, 4, 2, 0), (4, 4, 2, 0)),
        ("bantay-kita", (2, 3, 5, 2), (2, 3, 5, 2)),
        ("chamber-mines-ph", (4, 4, 2, -1), (4, 4, 2, -1)),
        ("ph-eiti", (3, 3, 4, 1), (3, 3, 5, 2)),
    ],
}

K = Relationship.Kind
RELATIONSHIPS = [
    ("minenergia", "upme", K.MEMBERSHIP, 3),
    ("minenergia", "ipse", K.FUNDING, 3),
    ("giz-co", "fundacion-sol-wayuu", K.FUNDING, 2),
    ("fundacion-sol-wayuu", "wayuu-autoridades", K.ALLIANCE, 3),
    ("fundacion-sol-wayuu", "red-mujeres-solares", K.COLLABORATION, 3),
    ("cerrejon", "wayuu-autoridades", K.CONFLICT, 3),
    ("cerrejon", "gob-guajira", K.INFLUENCE, 2),
    ("alc-uribia", "wayuu-autoridades", K.COLLABORATION, 2),
    ("solar-caribe", "ser-colombia", K.MEMBERSHIP, 2),
    ("air-e", "alc-riohacha", K.CONFLICT, 2),
    ("drummond", "alc-becerril", K.INFLUENCE, 3),
    ("jac-becerril", "drummond", K.CONFLICT, 2),
    ("upc", "gob-cesar", K.COLLABORATION, 2),
    ("transparencia-co", "contraloria-co", K.COLLABORATION, 1),
    ("defensoria-co", "wayuu-autoridades", K.ALLIANCE, 2),
    ("maria-epieyu", "wayuu-autoridades", K.MEMBERSHIP, 3),
    ("carlos-mendoza", "alc-becerril", K.MEMBERSHIP, 3),
    ("el-pilon", "gob-cesar", K.INFLUENCE, 1),
    ("mef", "gore-moquegua", K.FUNDING, 3),
    ("mef", "gore-cajamarca", K.FUNDING, 3),
    ("southern", "gore-moquegua", K.INFLUENCE, 3),
    ("quellaveco", "mesa-moquegua", K.COLLABORATION, 2),
    ("propuesta-ciudadana", "mesa-moquegua", K.ALLIANCE, 3),
    ("consejo-moquegua", "gore-moquegua", K.CONFLICT, 2),
    ("junta-usuarios-moquegua", "southern", K.CONFLICT, 3),
    ("cooperacion-suiza", "gore-moquegua", K.FUNDING, 2),
    ("rondas-cajamarca", "yanacocha", K.CONFLICT, 3),
    ("grufides", "rondas-cajamarca", K.ALLIANCE, 3),
    ("unc", "gore-cajamarca", K.COLLABORATION, 2),
    ("rosa-quispe", "mesa-moquegua", K.MEMBERSHIP, 3),
    ("jorge-chavez", "gore-cajamarca", K.MEMBERSHIP, 3),
    ("snmpe", "southern", K.MEMBERSHIP, 2),
    ("bantay-kita", "ph-eiti", K.COLLABORATION, 3),
    ("chamber-mines-ph", "mgb", K.INFLUENCE, 2),
    ("denr", "mgb", K.MEMBERSHIP, 3),
    ("ncip", "ibaloi-council", K.COLLABORATION, 2),
    ("pcij", "bantay-kita", K.ALLIANCE, 1),
]

# (coalition, owner, description, due in days (negative: past), status, evidence)
COMMITMENTS = [
    (
        "co-guajira",
        "fundacion-sol-wayuu",
        "Survey rooftops and loads in five rancherías of Uribia",
        -30,
        "done",
        "Survey report shared in the June workshop.",
    ),
    ("co-guajira", "alc-uribia", "Register the first energy community with the Ministry", 10, "in_progress", ""),
    (
        "co-guajira",
        "solar-caribe",
        "Quote solar kits and maintenance training for 120 households",
        -5,
        "in_progress",
        "",
    ),
    ("co-guajira", "uniguajira", "Train 20 Wayuu women as solar technicians", 45, "planned", ""),
    (
        "co-national",
        "minenergia",
        "Publish the simplified registration guide for energy communities",
        12,
        "in_progress",
        "",
    ),
    (
        "co-national",
        "transparencia-co",
        "Map public funding lines for energy communities",
        -60,
        "done",
        "Published on the coalition's shared drive.",
    ),
    ("co-cesar", "gob-cesar", "Convene the first co-creation workshop in Becerril", 7, "planned", ""),
    ("co-cesar", "upc", "Baseline of energy poverty in three mining municipalities", 60, "planned", ""),
    ("pe-moq-cl", "gore-moquegua", "Publish canon-funded project execution quarterly", -15, "in_progress", ""),
    ("pe-moq-cl", "propuesta-ciudadana", "Social listening report on water projects", 5, "in_progress", ""),
    (
        "pe-moq-cl",
        "camara-moquegua",
        "Propose three productive projects aligned with the plan",
        -90,
        "done",
        "Proposals submitted to the regional council.",
    ),
    (
        "pe-moq-cl",
        "southern",
        "Share water-use data for the Torata basin",
        -20,
        "dropped",
        "Company withdrew the offer pending legal review.",
    ),
    ("pe-caj-agua", "grufides", "Agree the water priorities with the rondas", 14, "planned", ""),
    ("pe-caj-agua", "gore-cajamarca", "List canon-funded water projects since 2020", -3, "planned", ""),
]

# (coalition or None, initiative or None, kind, title, days ago, participants, follow-up in days or None, summary)
ENGAGEMENTS = [
    (
        "co-guajira",
        None,
        "workshop",
        "Taller de co-creación en Uribia",
        40,
        [
            "fundacion-sol-wayuu",
            "alc-uribia",
            "wayuu-autoridades",
            "red-mujeres-solares",
            "solar-caribe",
            "maria-epieyu",
        ],
        -2,
        "Communities chose solar kits managed by the women's network; the mayor offered a municipal counterpart.",
    ),
    (
        "co-guajira",
        None,
        "field_visit",
        "Visita a rancherías de Alta Guajira",
        25,
        ["fundacion-sol-wayuu", "maria-epieyu"],
        3,
        "Checked rooftops and water pumps.",
    ),
    (
        "co-guajira",
        None,
        "meeting",
        "Reunión con Cerrejón sobre la transición",
        15,
        ["cerrejon", "fundacion-sol-wayuu", "gob-guajira"],
        20,
        "The company will consider co-funding maintenance.",
    ),
    (
        "co-national",
        None,
        "dialogue",
        "Diálogo nacional de comunidades energéticas",
        70,
        ["minenergia", "upme", "ser-colombia", "transparencia-co", "giz-co"],
        None,
        "National and local actors agreed on the registration bottlenecks to solve first.",
    ),
    (
        "co-national",
        None,
        "call",
        "Llamada de seguimiento con UPME",
        8,
        ["upme", "transparencia-co"],
        6,
        "Data on registered communities by department.",
    ),
    (
        "co-cesar",
        None,
        "meeting",
        "Reunión de arranque en Valledupar",
        100,
        ["gob-cesar", "upc", "alc-becerril", "jac-becerril"],
        -10,
        "Agreed to form a coalition.",
    ),
    (
        None,
        "co-ce",
        "meeting",
        "Reunión con la Defensoría sobre conflictos en el corredor",
        55,
        ["defensoria-co"],
        None,
        "Briefing on social conflicts.",
    ),
    (
        "pe-moq-cl",
        None,
        "workshop",
        "Taller de la comunidad de aprendizaje: canon y plan",
        35,
        ["gore-moquegua", "mesa-moquegua", "propuesta-ciudadana", "camara-moquegua", "quellaveco", "rosa-quispe"],
        -1,
        "Compared canon-funded projects with the plan's objectives; water projects lag behind.",
    ),
    (
        "pe-moq-cl",
        None,
        "dialogue",
        "Diálogo sobre escucha social del agua",
        12,
        ["junta-usuarios-moquegua", "southern", "rosa-quispe", "mesa-moquegua"],
        9,
        "Tensions on water use discussed openly.",
    ),
    (
        "pe-moq-cl",
        None,
        "email",
        "Envío del informe trimestral de ejecución",
        3,
        ["gore-moquegua"],
        None,
        "Execution report received.",
    ),
    (
        "pe-caj-agua",
        None,
        "field_visit",
        "Visita a las rondas de Bambamarca",
        30,
        ["rondas-cajamarca", "grufides"],
        0,
        "Rondas open to a water dialogue.",
    ),
    (
        None,
        "ph-epa",
        "call",
        "Scoping call with Bantay Kita",
        20,
        ["bantay-kita"],
        15,
        "Possible entry points: EITI subnational reporting, mining LGU shares.",
    ),
    (
        None,
        "ph-epa",
        "meeting",
        "Meeting with DILG local governance team",
        10,
        ["dilg"],
        None,
        "Interest in local revenue transparency.",
    ),
]

# (coalition, change type, description, days ago, actors, significance, contribution)
OUTCOMES = [
    (
        "co-guajira",
        "policy",
        "The municipality of Uribia allocated counterpart funds for solar energy communities in its 2026 budget.",
        20,
        ["alc-uribia"],
        "First municipal budget line for energy communities in La Guajira.",
        "The coalition's workshop produced the proposal the council approved.",
    ),
    (
        "co-guajira",
        "relationship",
        "Wayuu traditional authorities and the solar installer agreed on a maintenance contract run by local women.",
        10,
        ["wayuu-autoridades", "solar-caribe"],
        "Local ownership of maintenance.",
        "Facilitated by the coalition's dialogue.",
    ),
    (
        "co-national",
        "practice",
        "The Ministry simplified the registration form for energy communities.",
        45,
        ["minenergia"],
        "Removes a barrier named by local coalitions.",
        "Local coalitions' evidence was presented in the national dialogue.",
    ),
    (
        "pe-moq-cl",
        "behaviour",
        "The regional government began publishing canon-funded project execution every quarter.",
        30,
        ["gore-moquegua"],
        "Citizens can follow the canon's use.",
        "Requested by the community of learning.",
    ),
    (
        "pe-moq-cl",
        "relationship",
        "Water users and a mining company met for the first time in a facilitated dialogue.",
        12,
        ["junta-usuarios-moquegua", "southern"],
        "Opens a channel in a long conflict.",
        "The coalition convened and facilitated.",
    ),
]

# (title, coalition or None, initiative or None, shared with coalitions, body)
LEARNING_NOTES = [
    (
        "Local counterpart funds unlock national programmes",
        "co-guajira",
        None,
        ["co-national", "co-cesar"],
        "What we tried: asking the mayor for a small counterpart before approaching the ministry. What happened: the ministry prioritised Uribia. Next: replicate in Becerril.",
    ),
    (
        "Women-led maintenance keeps systems running",
        "co-guajira",
        None,
        ["pe-moq-cl"],
        "Systems maintained by the women's network had fewer failures. Next: document the training curriculum.",
    ),
    (
        "Publishing execution data changes the conversation",
        "pe-moq-cl",
        None,
        ["pe-caj-agua", "co-national"],
        "Quarterly data moved discussions from suspicion to priorities. Next: add plan objectives to each project line.",
    ),
    (
        "Entry points: follow the money to the LGU",
        None,
        "ph-epa",
        [],
        "Mining LGU shares are a concrete process where EITI data meets local planning.",
    ),
]


def load(stdout) -> None:
    today = timezone.localdate()

    def days_ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    countries = {c.code: c for c in Country.objects.filter(code__in=["CO", "PE", "PH"])}
    for code, summary in {
        "CO": "Coalition-building around the national Energy Communities initiative and local coalitions in La Guajira and Cesar.",
        "PE": "A new model of subnational governance that uses mining revenue better in regional development plans, starting in Moquegua and Cajamarca.",
        "PH": "An analysis of entry points where the program could add value on critical governance challenges.",
    }.items():
        Country.objects.filter(code=code, summary="").update(summary=summary)
    Country.objects.filter(code__in=["CO", "PE"], status=Country.Status.EXPLORING).update(status=Country.Status.ACTIVE)
    regions = {r.code: r for r in Region.objects.filter(country__code__in=["CO", "PE", "PH"])}

    actors: dict[str, Stakeholder] = {}
    for code, rows in STAKEHOLDERS.items():
        for key, name, acronym, sector, level, kind, region_codes, description in rows:
            actor, created = Stakeholder.objects.get_or_create(
                country=countries[code],
                name=name,
                defaults={
                    "acronym": acronym,
                    "sector": sector,
                    "level": level,
                    "kind": kind,
                    "description": description,
                },
            )
            if created:
                actor.regions.set([regions[c] for c in region_codes])
            actors[key] = actor
    for person, organisation in (
        ("maria-epieyu", "wayuu-autoridades"),
        ("carlos-mendoza", "alc-becerril"),
        ("rosa-quispe", "mesa-moquegua"),
        ("jorge-chavez", "gore-cajamarca"),
    ):
        Stakeholder.objects.filter(pk=actors[person].pk, organisation=None).update(organisation=actors[organisation])

    for key, name, position, email, phone in (
        (
            "alc-uribia",
            "Luz Marina Ipuana",
            "Secretaria de Planeación",
            "planeacion@uribia.example.org",
            "+57 300 555 0101",
        ),
        ("fundacion-sol-wayuu", "Andrés Pushaina", "Coordinador", "andres@solwayuu.example.org", "+57 301 555 0102"),
        ("gob-cesar", "Diana Castro", "Asesora de energía", "diana.castro@cesar.example.org", ""),
        (
            "gore-moquegua",
            "Patricia Flores",
            "Gerente de Planeamiento",
            "pflores@moquegua.example.org",
            "+51 953 555 010",
        ),
        ("mesa-moquegua", "Rosa Quispe", "Facilitadora", "rosa@mesa-moquegua.example.org", "+51 953 555 011"),
        ("bantay-kita", "Joy Santos", "Program officer", "joy@bantaykita.example.org", ""),
    ):
        Contact.objects.get_or_create(
            stakeholder=actors[key],
            name=name,
            defaults={
                "position": position,
                "email": email,
                "phone": phone,
                "preferred_language": "en" if key == "bantay-kita" else "es",
                "consent_given_at": timezone.now(),
                "consent_source": "Signed attendance form",
            },
        )

    for source, target, kind, strength in RELATIONSHIPS:
        Relationship.objects.get_or_create(
            source=actors[source], target=actors[target], kind=kind, defaults={"strength": strength}
        )

    initiatives: dict[str, Initiative] = {}
    for key, name, code, level, phase, public, region_codes, lead, objective in INITIATIVES:
        initiative, created = Initiative.objects.get_or_create(
            country=countries[code],
            name=name,
            defaults={
                "level": level,
                "phase": phase,
                "is_public": public,
                "lead": actors.get(lead) if lead else None,
                "shared_objective": objective,
                "starts_on": days_ago(600),
            },
        )
        if created:
            initiative.regions.set([regions[c] for c in region_codes])
        initiatives[key] = initiative

    coalitions: dict[str, Coalition] = {}
    for key, initiative, name, level, status, public, region_codes, parent, goal, formed in COALITIONS:
        coalition, created = Coalition.objects.get_or_create(
            initiative=initiatives[initiative],
            name=name,
            defaults={
                "level": level,
                "status": status,
                "is_public": public,
                "parent": coalitions.get(parent),
                "shared_goal": goal,
                "formed_on": days_ago(formed),
            },
        )
        if created:
            coalition.regions.set([regions[c] for c in region_codes])
        coalitions[key] = coalition

    for coalition, rows in MEMBERS.items():
        for stakeholder, role, joined, left in rows:
            Membership.objects.get_or_create(
                coalition=coalitions[coalition],
                stakeholder=actors[stakeholder],
                joined_on=days_ago(joined),
                defaults={"role": role, "left_on": days_ago(left) if left is not None else None},
            )

    User = get_user_model()
    staff = {}
    for username, role, team, organisation, superuser in (
        ("admin", "admin", [], None, True),
        ("staff-co", "staff", ["CO"], None, False),
        ("staff-pe", "staff", ["PE"], None, False),
        ("staff-ph", "staff", ["PH"], None, False),
        # Members of one coalition each: a Colombian and a Peruvian civil society organisation.
        ("partner-co", "partner", [], "fundacion-sol-wayuu", False),
        ("partner-pe", "partner", [], "propuesta-ciudadana", False),
    ):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "organisation": actors.get(organisation) if organisation else None,
                "is_superuser": superuser,
                "is_staff": superuser,
                "email": f"{username}@example.org",
                "first_name": username.split("-")[0].title(),
                "preferred_language": "en" if username in ("admin", "staff-ph") else "es",
            },
        )
        if created:
            # The demo password exists only where DEBUG is on: a production database never gets it.
            if settings.DEBUG:
                user.set_password(DEMO_PASSWORD)
            else:
                user.set_unusable_password()
            user.save(update_fields=["password"])
            user.country_teams.set([countries[code] for code in team])
        staff[username] = user
    recorder = {"CO": staff["staff-co"], "PE": staff["staff-pe"], "PH": staff["staff-ph"]}

    for initiative, rows in ASSESSMENTS.items():
        for stakeholder, *rounds in rows:
            for when, (power, capabilities, interest, stance) in zip((180, 20), rounds, strict=True):
                Assessment.objects.get_or_create(
                    stakeholder=actors[stakeholder],
                    initiative=initiatives[initiative],
                    assessed_on=days_ago(when),
                    defaults={
                        "power": power,
                        "capabilities": capabilities,
                        "interest": interest,
                        "stance": stance,
                        "assessed_by": recorder[initiatives[initiative].country.code],
                        "rationale": "Assessed by the country team after interviews and the co-creation workshop.",
                    },
                )

    for coalition, owner, description, due, status, evidence in COMMITMENTS:
        Commitment.objects.get_or_create(
            coalition=coalitions[coalition],
            description=description,
            defaults={
                "owner": actors[owner],
                "due_on": today + datetime.timedelta(days=due),
                "status": status,
                "evidence": evidence,
            },
        )

    for coalition, initiative, kind, title, ago, participants, follow_up, summary in ENGAGEMENTS:
        context = coalitions[coalition].initiative if coalition else initiatives[initiative]
        engagement, created = Engagement.objects.get_or_create(
            title=title,
            occurred_on=days_ago(ago),
            defaults={
                "coalition": coalitions.get(coalition),
                "initiative": initiatives.get(initiative) if initiative else context,
                "kind": kind,
                "summary": summary,
                "follow_up_on": today + datetime.timedelta(days=follow_up) if follow_up is not None else None,
                "follow_up": "Send the agreements to every participant." if follow_up is not None else "",
                "recorded_by": recorder[context.country.code],
            },
        )
        if created:
            engagement.participants.set([actors[p] for p in participants])

    for coalition, change_type, description, ago, changed, significance, contribution in OUTCOMES:
        outcome, created = Outcome.objects.get_or_create(
            coalition=coalitions[coalition],
            description=description,
            defaults={
                "change_type": change_type,
                "observed_on": days_ago(ago),
                "significance": significance,
                "contribution": contribution,
                "recorded_by": recorder[coalitions[coalition].initiative.country.code],
            },
        )
        if created:
            outcome.actors.set([actors[a] for a in changed])

    for title, coalition, initiative, shared_with, body in LEARNING_NOTES:
        country = (coalitions[coalition].initiative if coalition else initiatives[initiative]).country.code
        note, created = LearningNote.objects.get_or_create(
            title=title,
            defaults={
                "coalition": coalitions.get(coalition),
                "initiative": initiatives.get(initiative) if initiative else coalitions[coalition].initiative,
                "body": body,
                "author": recorder[country],
            },
        )
        if created:
            note.shared_with.set([coalitions[c] for c in shared_with])

    stdout.write(f"{Stakeholder.objects.count()} stakeholders, {Coalition.objects.count()} coalitions loaded.")
