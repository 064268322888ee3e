"""Which records files may be attached to, and who may attach them.

Attachments sit low in the layers (just above core), so the apps above can show the panel on
their record pages; they cannot name those apps' models. Each app registers its attachable
models from its `AppConfig.ready`, as it registers its personal data:

    register("coalitions.Engagement", partner_targets=engagements_a_partner_may_attach_to)

Who sees an attachment and who may change it is asked of the target model's own queryset
(`visible_to(user)`, `editable_by(user)`), so its access rules stay where they are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from django.apps import apps
from django.db import models


@dataclasses.dataclass(frozen=True)
class Attachable:
    """A model whose records may carry files."""

    label: str
    #: The records a partner user may attach files to (through the API); none when not given.
    partner_targets: Callable[[models.QuerySet, object], models.QuerySet] | None = None

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)

    def records_a_partner_may_attach_to(self, user) -> models.QuerySet:
        records = self.model._default_manager.visible_to(user)
        if self.partner_targets is None or not getattr(user, "is_partner", False):
            return records.none()
        return self.partner_targets(records, user)


_ATTACHABLE: dict[str, Attachable] = {}


def register(
    label: str, *, partner_targets: Callable[[models.QuerySet, object], models.QuerySet] | None = None
) -> None:
    """Let files be attached to the records of `label` ("app.Model"); `partner_targets(records, user)`
    narrows the partner's visible records to those they may attach files to."""
    _ATTACHABLE[label.lower()] = Attachable(label=label, partner_targets=partner_targets)


def attachables() -> list[Attachable]:
    return list(_ATTACHABLE.values())


def attachable(label: str) -> Attachable | None:
    """The registered model of `label` ("app.model", any case), or None."""
    return _ATTACHABLE.get(label.lower())


def attachable_for(model: type[models.Model]) -> Attachable | None:
    return attachable(model._meta.label)
