"""What the apps above `stakeholders` may add to its pages (see `core.pages`)."""

from django.dispatch import Signal

#: Sent by a stakeholder's page with `request`, `user` and `stakeholder`; a receiver returns the
#: `core.pages.PageSection`s it adds (coalitions: memberships, assessments, engagements).
stakeholder_page = Signal()
