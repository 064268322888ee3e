"""Sections that an app above adds to a page of an app below it, without the page importing it.

The page's app declares a `django.dispatch.Signal` (in its `signals.py`) and sends it with the
record and the user; an app above connects a receiver (in its `receivers.py`, from
`AppConfig.ready`) that returns the sections it adds. So the stakeholder page shows the
coalitions an actor belongs to while `stakeholders` never names a coalitions model, and a page
keeps working, without those sections, in a project without the app above.
"""

from dataclasses import dataclass, field

from django.dispatch import Signal
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class PageSection:
    """One block of a page: the template that draws it and that template's context."""

    template: str
    context: dict = field(default_factory=dict)

    def render(self, request: HttpRequest) -> SafeString:
        return render_to_string(self.template, self.context, request=request)


def page_sections(signal: Signal, request: HttpRequest, **kwargs) -> list[SafeString]:
    """Every section the receivers of `signal` add, drawn, in the order the apps are installed."""
    sections = []
    for _receiver, returned in signal.send(sender=None, request=request, user=request.user, **kwargs):
        sections += [section.render(request) for section in returned or ()]
    return sections
