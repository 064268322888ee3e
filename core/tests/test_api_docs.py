"""The schema and the Swagger UI docs: open without signing in, served offline, within the strict CSP."""

import re

import pytest
from django.contrib.staticfiles import finders


def test_schema_documents_every_error_status_a_client_can_get(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "403", "429"} <= codes, (method, path)
            if method in {"post", "put", "patch"}:
                assert {"400", "415"} <= codes, (method, path)
            if "{id}" in path:
                assert "404" in codes, (method, path)
            if method == "delete":
                assert "409" in codes, (method, path)
    assert schema["components"]["schemas"]["Error"]["required"] == ["code", "detail", "status"]


def test_docs_page_uses_only_local_script_and_style_files(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html and " style=" not in html
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all('src="/' in attributes for attributes in scripts)  # no inline JS, no CDN
    assert "http://" not in html and "https://" not in html
    for path in re.findall(r'(?:src|href)="/static/([^"]+)"', html):
        assert finders.find(path), path
    init = client.get("/api/v1/docs/?script=")
    assert init.status_code == 200 and init["Content-Type"].startswith("application/javascript")
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_docs_render_in_a_browser_without_csp_violations(browser_page):
    violations = []
    browser_page.on("console", lambda message: message.type == "error" and violations.append(message.text))
    browser_page.goto("/api/v1/docs/")
    # Swagger UI parses the whole schema (about 0.5 MB) before it draws the first section.
    browser_page.locator(".opblock-tag", has_text="assessments").first.wait_for(timeout=45_000)
    assert browser_page.get_by_text("Local Coalitions API").first.is_visible()
    assert [v for v in violations if "Content Security Policy" in v] == []
