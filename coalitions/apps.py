from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoalitionsConfig(AppConfig):
    name = "coalitions"
    verbose_name = _("Coalitions")

    def ready(self) -> None:
        from attachments.registry import register

        from . import receivers  # noqa: F401

        # Evidence files: partners attach them to the engagements and outcomes their organisation
        # recorded and to the commitments it owns (in their own coalitions: `visible_to` first).
        register("coalitions.Engagement", partner_targets=_recorded_by_partner)
        register("coalitions.Commitment", partner_targets=_owned_by_partner)
        register("coalitions.Outcome", partner_targets=_recorded_by_partner)
        register("coalitions.LearningNote")


def _recorded_by_partner(records, user):
    return records.filter(recorded_by__organisation_id=user.organisation_id)


def _owned_by_partner(records, user):
    return records.filter(owner_id=user.organisation_id)
