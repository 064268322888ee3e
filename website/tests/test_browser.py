"""An anonymous visitor on the public site in a real browser (Debian's Chromium through Playwright)."""

import pytest

from coalitions.models import Coalition, Initiative
from coalitions.tests.test_browser import watch_csp
from core.testing import closes_connections

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@closes_connections
def test_a_visitor_reads_the_home_in_spanish_and_opens_a_country_page(browser_page, world, artifact):
    Initiative.objects.filter(pk=world.pe_initiative.pk).update(is_public=True)
    Coalition.objects.filter(pk=world.pe_coalition.pk).update(is_public=True)
    page = browser_page
    errors = watch_csp(page)
    page.goto("/")
    assert page.get_by_role("heading", name="Local Coalitions for Local Solutions", level=1).is_visible()
    page.get_by_label("Language").select_option("es")  # submits itself (site.js): wait for the Spanish page
    page.get_by_role("heading", name="Coaliciones locales para soluciones locales", level=1).wait_for()
    page.screenshot(path=artifact("public-home-es.png"), full_page=True)
    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Perú").click()
    page.get_by_role("heading", name="Nuestro trabajo en Perú", level=1).wait_for()
    assert page.get_by_role("heading", name=world.pe_coalition.name).is_visible()
    assert page.get_by_text("Asociación Moquegua Transparente").is_visible()
    page.get_by_role("link", name="Únete a los Governance Explorers").first.click()
    page.wait_for_url("**/network/join/")
    assert errors == []
