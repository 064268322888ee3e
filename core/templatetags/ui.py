"""Template tags shared by every page: navigation links, sortable column headers, page links,
texts kept in two languages."""

import functools

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.inclusion_tag("includes/bilingual_text.html")
def bilingual_text(obj, field: str, css_class: str = "prose") -> dict:
    """`obj`'s `field` in the active language (`core.bilingual`); when it exists only in the other
    language, that text marked with its `lang` and a note saying so."""
    from core.bilingual import text_in_language

    return {"text": text_in_language(obj, field), "css_class": css_class}


@functools.cache
def _reversed(url_name: str, urlconf: str, prefix: str) -> str:
    return reverse(url_name, urlconf=urlconf)


def _url(url_name: str) -> str:
    """The address of a view without arguments: the same for every request of a process, given its URLconf
    and script prefix, so reversed once per process (every page shows the navigation's links)."""
    return _reversed(url_name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@register.simple_tag(takes_context=True)
def nav_link(context: template.Context, url_name: str, label: str, section: str) -> str:
    """A main-navigation link, marked aria-current="page" when the page belongs to `section`."""
    url = _url(url_name)
    current = context.get("nav_section")
    if current is None:
        request = context.get("request")
        path = request.path if request else ""
        current = section if (path == url if url == "/" else path.startswith(url)) else None
    if current == section:
        return format_html('<a href="{}" aria-current="page">{}</a>', url, label)
    return format_html('<a href="{}">{}</a>', url, label)


@register.simple_tag(takes_context=True)
def sort_link(context: template.Context, field: str, label: str, param: str = "sort") -> str:
    """A column header link that sorts by `field`, toggling to descending when already ascending.

    Keeps every other query parameter (the filters) and drops `page`, since a new order
    starts again at the first page.
    """
    request = context["request"]
    current = request.GET.get(param, "")
    params = request.GET.copy()
    params.pop("page", None)
    if current == field:
        params[param] = f"-{field}"
        state, arrow = "ascending", " ▲"
    elif current == f"-{field}":
        params[param] = field
        state, arrow = "descending", " ▼"
    else:
        params[param] = field
        state, arrow = "", ""
    title = _("Sort by %(column)s") % {"column": label}
    if state:
        return format_html(
            '<a href="?{}" class="sort-link" data-sort="{}" title="{}">{}<span aria-hidden="true">{}</span></a>',
            params.urlencode(),
            state,
            title,
            label,
            arrow,
        )
    return format_html('<a href="?{}" class="sort-link" title="{}">{}</a>', params.urlencode(), title, label)


@register.simple_tag(takes_context=True)
def aria_sort(context: template.Context, field: str, param: str = "sort") -> str:
    """The aria-sort value for a <th>: ascending, descending or none."""
    current = context["request"].GET.get(param, "")
    if current == field:
        return "ascending"
    if current == f"-{field}":
        return "descending"
    return "none"


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, number: int, param: str = "page", anchor: str = "") -> str:
    """The current URL's query string with `param` set to the page `number` (filters kept)."""
    params = context["request"].GET.copy()
    params[param] = number
    return f"?{params.urlencode()}{f'#{anchor}' if anchor else ''}"
