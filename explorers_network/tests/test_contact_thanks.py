"""The contact form's thank-you page is no dead end: it leads home and to the program's country pages."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_thank_you_page_links_onward_to_home_and_the_country_pages(client, world):
    world.co.status = "active"
    world.co.save()
    html = client.get("/contact/thanks/").content.decode()
    assert 'href="/"' in html
    assert 'href="/work/co/"' in html
    assert 'href="/work/pe/"' not in html  # only where the program works
