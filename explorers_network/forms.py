from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import RowsChoiceField, ValidatedModelForm, formfield_for, offer_only
from countries.names import country_choices

from .consent import consent_text
from .models import COUNTRY_CHOICES, Campaign, ContactRequest, ContactRequestNote, Explorer, Topic

BLANK_COUNTRY = [("", _("Choose a country"))]


def country_choices_or_blank() -> list[tuple[str, str]]:
    return BLANK_COUNTRY + country_choices()


class JoinForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    country = forms.ChoiceField(label=_("Country"), choices=country_choices_or_blank)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    role = forms.CharField(label=_("Role"), max_length=200, required=False)
    interests = RowsChoiceField(
        label=_("Interests"), queryset=Topic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=Explorer.Language.choices)
    consent = forms.BooleanField(label=_("I agree"), required=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Evaluated per request so the text is in the visitor's language.
        self.fields["consent"].label = consent_text()


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=BLANK_COUNTRY + COUNTRY_CHOICES)
    email = forms.EmailField(label=_("Email"))
    message = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea)
    # The honeypot: hidden by CSS, left empty by people, filled in by bots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)


class CampaignForm(forms.ModelForm):
    audience_countries = forms.MultipleChoiceField(
        label=_("Countries"),
        choices=country_choices,
        required=False,
        help_text=_("Leave empty for every country."),
    )

    class Meta:
        model = Campaign
        fields = ["subject", "body", "language", "audience_countries", "audience_interests"]
        widgets = {"audience_interests": forms.CheckboxSelectMultiple}
        formfield_callback = formfield_for


class CampaignSendForm(forms.Form):
    when = forms.DateTimeField(
        label=_("Send at"),
        required=False,
        help_text=_("Leave empty to send now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


def staff_accounts() -> QuerySet:
    """Active admins and program staff: who may own a contact request (the model's rule narrows it)."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(role__in=["admin", "staff"]))
        .order_by("first_name", "last_name", "username")
    )


class ContactRequestForm(ValidatedModelForm):
    """Where a request stands and who answers it; the owners offered are the request's own team."""

    class Meta:
        model = ContactRequest
        fields = ["status", "owner"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = staff_accounts()
        owner.label_from_instance = lambda user: user.get_full_name() or user.username
        offer_only(owner, self.instance.owners_among(owner.queryset))


class ContactRequestNoteForm(ValidatedModelForm):
    class Meta:
        model = ContactRequestNote
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"body": _("Seen by staff only, never by the sender.")}


class ContactRequestReplyForm(ValidatedModelForm):
    """The reply is saved as a draft first; sending it is a separate, confirmed step."""

    class Meta:
        model = ContactRequest
        fields = ["reply_draft"]
        widgets = {"reply_draft": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reply_draft"].required = True
