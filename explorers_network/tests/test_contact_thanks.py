"""The contact form's thank-you page is no dead end: it leads home and to the program's country pages."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_thank_you_page_links_onward_to_home_and_the_country_pages(client, world):
    world.pe.status = "closed"
    world.pe.save()
    html = client.get("/contact/thanks/").content.decode()
    assert 'href="/"' in html
    assert "Our work in Colombia" in html
    assert "Our work in Peru" not in html  # the program's work there has closed
    assert 'href="/network/join/"' in html
