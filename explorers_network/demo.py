"""Demo explorers in every state, their topics and consent history, and a draft campaign. Idempotent."""

from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from .consent import CURRENT_CONSENT_VERSION, consent_text
from .models import Campaign, ConsentEvent, Explorer, Topic

TOPICS = [
    ("Mining revenue", "mining-revenue"),
    ("Energy communities", "energy-communities"),
    ("Water management", "water-management"),
    ("Social listening", "social-listening"),
    ("Subnational governance", "subnational-governance"),
]

# (name, email, country, language, status, topic slugs)
EXPLORERS = [
    ("Lucía Mendoza", "lucia.mendoza@example.org", "CO", "es", "active", ["energy-communities"]),
    ("Andrés Epieyú", "andres.epieyu@example.org", "CO", "es", "active", ["energy-communities", "social-listening"]),
    ("Camila Torres", "camila.torres@example.org", "CO", "es", "active", ["subnational-governance"]),
    ("Juan Pablo Ríos", "jp.rios@example.org", "CO", "en", "active", ["mining-revenue"]),
    ("Mariana Quispe", "mariana.quispe@example.org", "PE", "es", "active", ["mining-revenue", "water-management"]),
    ("Rosa Huamán", "rosa.huaman@example.org", "PE", "es", "active", ["water-management"]),
    ("Diego Salazar", "diego.salazar@example.org", "PE", "es", "active", ["mining-revenue"]),
    ("Carmen Flores", "carmen.flores@example.org", "PE", "en", "active", ["social-listening"]),
    ("Maria Santos", "maria.santos@example.org", "PH", "en", "active", ["mining-revenue", "subnational-governance"]),
    ("Jose Reyes", "jose.reyes@example.org", "PH", "en", "active", ["subnational-governance"]),
    ("Ana Dela Cruz", "ana.delacruz@example.org", "PH", "en", "active", ["water-management"]),
    ("Kwame Mensah", "kwame.mensah@example.org", "GH", "en", "active", ["mining-revenue"]),
    ("Amina Diallo", "amina.diallo@example.org", "SN", "en", "active", ["subnational-governance"]),
    ("Sofía Benítez", "sofia.benitez@example.org", "MX", "es", "active", ["energy-communities"]),
    ("Tomás Acosta", "tomas.acosta@example.org", "CL", "es", "active", ["mining-revenue", "water-management"]),
    ("Hannah Berg", "hannah.berg@example.org", "DE", "en", "active", ["social-listening"]),
    ("Pedro Gómez", "pedro.gomez@example.org", "CO", "es", "pending", ["energy-communities"]),
    ("Elena Vargas", "elena.vargas@example.org", "PE", "es", "pending", ["mining-revenue"]),
    ("Ramon Bautista", "ramon.bautista@example.org", "PH", "en", "pending", []),
    ("Valentina Cruz", "valentina.cruz@example.org", "CO", "es", "unsubscribed", ["social-listening"]),
    ("Peter Okafor", "peter.okafor@example.org", "NG", "en", "unsubscribed", ["mining-revenue"]),
    ("Laura Medina", "laura.medina@example.org", "PE", "es", "active", ["subnational-governance"]),
]

ACTIONS = {
    "pending": ["grant"],
    "active": ["grant", "confirm"],
    "unsubscribed": ["grant", "confirm", "withdraw"],
}
SOURCES = {"grant": "join_form", "confirm": "confirmation_link", "withdraw": "unsubscribe_page"}


def load(stdout) -> None:
    topics = {slug: Topic.objects.get_or_create(slug=slug, defaults={"name": name})[0] for name, slug in TOPICS}
    now = timezone.now()
    created = 0
    for name, email, country, language, status, slugs in EXPLORERS:
        explorer, is_new = Explorer.objects.get_or_create(
            email=email,
            defaults={
                "name": name,
                "country": country,
                "preferred_language": language,
                "status": status,
                "confirmed_at": now if status != "pending" else None,
                "consent_text_version": CURRENT_CONSENT_VERSION,
                "consent_given_at": now,
                "consent_source": "join_form",
            },
        )
        if not is_new:
            continue
        created += 1
        explorer.interests.set([topics[slug] for slug in slugs])
        with translation.override(language):
            text = consent_text()
        for action in ACTIONS[status]:
            ConsentEvent.objects.create(
                explorer=explorer,
                action=action,
                text_version=CURRENT_CONSENT_VERSION if action == "grant" else "",
                text=text if action == "grant" else "",
                language=language,
                source=SOURCES[action],
            )
    author = get_user_model().objects.filter(username="staff-co").first()
    campaign, _new = Campaign.objects.get_or_create(
        subject="Invitation: learning exchange on mining revenue, Moquegua and Cajamarca",
        defaults={
            "language": "en",
            "body": (
                "Dear explorers,\n\n"
                "We invite you to an online **learning exchange** on how regions use mining revenue "
                "in their development plans.\n\n"
                "- What worked in Moquegua\n- What Cajamarca is trying next\n\n"
                "Reply to this mail to reserve a place."
            ),
            "created_by": author,
        },
    )
    campaign.audience_interests.add(topics["mining-revenue"])
    stdout.write(f"Explorers network: {created} new explorers, {Explorer.objects.count()} in all; 1 draft campaign.")
