"""The partner's forms: the fields a partner may write, each choice scoped with `visible_to`.

What a partner may send is what the API accepts from them (`core.access`): the status and
evidence of a commitment their organisation owns, and engagements and outcomes in their own
coalitions (the coalition is the page's, never a choice). Outcomes use the staff form as it is
(`coalitions.forms.OutcomeForm`: its coalition is the instance's).
"""

from django import forms

from coalitions.forms import EngagementForm
from coalitions.models import Coalition, Commitment
from core.access import PARTNER_MAY_UPDATE
from core.forms import ValidatedModelForm

#: The order the commitment's fields show in; a field added to the rule and not here fails at start-up.
PROGRESS_ORDER = ("status", "evidence")


class CommitmentProgressForm(ValidatedModelForm):
    """The fields of a commitment its owner may change: exactly the API's `PARTNER_MAY_UPDATE`."""

    class Meta:
        model = Commitment
        fields = sorted(PARTNER_MAY_UPDATE["commitment"], key=PROGRESS_ORDER.index)
        widgets = {"evidence": forms.Textarea(attrs={"rows": 3})}


class EngagementLogForm(EngagementForm):
    """The staff engagement form without the coalition and initiative: the page's coalition is the one."""

    # The portal offers only what the API lets a partner write (`test_portal_writes`).
    all_members = None

    class Meta(EngagementForm.Meta):
        fields = [name for name in EngagementForm.Meta.fields if name not in ("coalition", "initiative", "all_members")]

    def __init__(self, *args, user, coalition: Coalition, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # The coalition's current members are suggested as participants.
        self.fields["participants"].widget.suggest_values = {"coalition": coalition.pk}
