"""Every staff list page (a page that builds a FilterSet) offers its rows for download through
`templates/includes/export_links.html`, and each link answers a table with the page's filters."""

import codecs
import io
import re
from html import unescape

from openpyxl import load_workbook

from .filtersets import pages_by_filterset


def list_pages(admin) -> list[str]:
    return sorted({url for urls in pages_by_filterset(admin).values() for url in urls if not url.endswith(".csv")})


def export_links(html: str) -> list[str]:
    """The hrefs of the page's export links (the include's block)."""
    blocks = re.findall(r'<span class="export-links">(.*?)</a>\s*</span>', html, re.S)
    return [unescape(href) for block in blocks for href in re.findall(r'href="([^"]+)"', block + "</a>")]


def test_every_list_page_has_export_links_that_keep_its_filters(world, admin_client):
    pages = list_pages(world.admin)
    assert len(pages) >= 4
    missing = []
    for url in pages:
        response = admin_client.get(url, {"q": "a"})
        assert response.status_code == 200, url
        if not response["Content-Type"].startswith("text/html"):
            continue  # a download that builds the list's FilterSet itself
        links = export_links(response.content.decode())
        if len(links) < 3:
            missing.append(url)
            continue
        for link in links:
            assert "q=a" in link, (url, link)
            download = admin_client.get(link)
            assert download.status_code == 200, (url, link, download.content[:200])
            body = b"".join(download.streaming_content) if download.streaming else download.content
            if "format=xlsx" in link:
                load_workbook(io.BytesIO(body), read_only=True)
            else:
                assert body.startswith(codecs.BOM_UTF8), (url, link)
    assert not missing, f"list pages without export links: {missing}"
