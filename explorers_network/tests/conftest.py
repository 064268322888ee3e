import pytest

from explorers_network.models import Explorer, Topic
from explorers_network.services import explorer_confirm, explorer_join


@pytest.fixture
def topics(db):
    return [
        Topic.objects.create(name="Mining revenue", slug="mining-revenue"),
        Topic.objects.create(name="Energy communities", slug="energy-communities"),
    ]


@pytest.fixture
def make_explorer(db, django_capture_on_commit_callbacks):
    """An explorer who joined through the service; confirmed (active) unless told otherwise."""

    def make(email="eva@example.org", *, language="en", country="CO", interests=(), status="active", name=None):
        with django_capture_on_commit_callbacks(execute=True):
            explorer_join(
                name=name or email.split("@")[0].title(),
                email=email,
                country=country,
                interests=list(interests),
                language=language,
            )
        explorer = Explorer.objects.get(email=email)
        if status == "active":
            explorer_confirm(explorer=explorer)
        elif status == "unsubscribed":
            from explorers_network.models import ConsentEvent
            from explorers_network.services import explorer_confirm as confirm
            from explorers_network.services import explorer_unsubscribe

            confirm(explorer=explorer)
            explorer_unsubscribe(explorer=explorer, source=ConsentEvent.Source.UNSUBSCRIBE_PAGE)
        explorer.refresh_from_db()
        return explorer

    return make
