"""Every rule of every model, tried through each way to write: all refuse it, with the model's message.

The table is generated from the models: a row for every named constraint of every project
model (`Model._meta.constraints`) and for every rule the models check in `clean()`
(`CLEAN_RULES`), so a new constraint or rule without a row fails
`test_every_constraint_and_clean_rule_has_a_row`. A row gives the values that break the rule,
on top of a valid new row (the API body of `api_resources`) or of an existing row to change.
Each is tried through

- the model itself (`full_clean()` with its many-to-many values: what every path runs);
- the staff page that creates or edits that model, where there is one;
- the API, where an endpoint writes it;
- the admin, where the model's admin page may write it;

and each must refuse it with the row's message, writing nothing. A path is left out only with
the reason no such write exists there.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken, Invitation, SavedFilter
from coalitions.models import Assessment, Coalition, Engagement, Initiative, LearningNote, Membership
from core.access import REFERENCE_DATA
from core.validation import full_clean
from countries.models import Municipality, Region
from explorers_network.models import Campaign, ConsentEvent, ContactRequest, Explorer
from imports.models import ImportProfile
from notifications.models import Notification, Preference
from outbox.models import Delivery, Suppression
from planning.models import BudgetExecution, DevelopmentPlan, EntryPoint, PlanObjective, ResourceFlow
from results.models import Indicator, IndicatorValue
from stakeholders.models import Relationship, Stakeholder, Tag
from trends.models import CoalitionHealthSnapshot, NetworkSnapshot, ReportRun

from .api_resources import RESOURCES, ROUTERS, _plan
from .test_architecture import ALLOWED

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2026, 1, 10, 10, 0, tzinfo=datetime.UTC)
#: Why a path is left out, when that is the same for every rule of a model.
NO_PAGE = "no staff page writes this model"
NO_API = "no API endpoint writes this model"
NO_ADMIN = "its admin page does not write it"
#: Attachments are written from a multipart upload (attachments/tests test it), never a JSON body.
ATTACHMENT_UPLOAD = "a multipart upload, tested in attachments/tests"
#: Snapshots are written by trends.services alone; the API serves them read-only.
SNAPSHOT_READ_ONLY = {"api": "a read-only resource: trends.services takes the snapshots"}
MONTH = datetime.date(2026, 3, 1)


@dataclass(frozen=True)
class Invalid:
    """A write that breaks one rule: `values` on top of a valid new row, or of the row `change` returns."""

    model: type[models.Model]
    values: Callable[[SimpleNamespace], dict[str, Any]]
    message: str | Callable[[SimpleNamespace], str] | None
    change: Callable[[SimpleNamespace], models.Model] | None = None
    #: Paths left out, each with its reason.
    without: dict[str, str] = field(default_factory=dict)
    #: For a constraint another rule always answers first (a field's choices): what does.
    shadowed_by: str = ""


def person(w) -> Stakeholder:
    return Stakeholder.objects.create(country=w.co, name="Ana Epiayú", kind="person", sector="community", level="local")


def local_coalition(w) -> Coalition:
    return Coalition.objects.create(
        initiative=w.co_initiative, name="Coalición Uribia", level="local", shared_goal="Solar", parent=w.co_coalition
    )


def account_with_email(w, email: str) -> str:
    w.partner_pe.email = email
    w.partner_pe.save()
    return email


def municipality(country: str, code: str) -> Municipality:
    return Municipality.objects.get(country__code=country, code=code)


def existing(model, **values) -> dict:
    """Create a row with these values, and break the rule with the same ones."""
    model.objects.create(**values)
    return {}


def peruvian_objective(w) -> PlanObjective:
    plan = DevelopmentPlan.objects.create(
        country=w.pe, region=w.moquegua, name="PDRC Moquegua", start_year=2021, end_year=2030
    )
    return PlanObjective.objects.create(plan=plan, code="OER1", title="Agua")


def membership(w) -> Membership:
    return w.co_coalition.memberships.get(stakeholder=w.co_mayor)


def colombian_objective(w) -> PlanObjective:
    return PlanObjective.objects.create(plan=_plan(w), code="OE9", title="Energía")


#: The rules the models check in `clean()`: those the database cannot hold.
CLEAN_RULES: dict[str, Invalid] = {
    "stakeholder_tags_of_its_country": Invalid(
        Stakeholder,
        lambda w: {"tags": [Tag.objects.create(country=w.pe, name="Canon")]},
        "Tags must be of the stakeholder's country.",
        without={
            "form": "the form takes tag names and makes the tags in the stakeholder's own country",
            "api": "the API's tags are read-only",
        },
    ),
    "savedfilter_shared_with_own_team": Invalid(
        "accounts.SavedFilter",
        lambda w: {"owner": w.staff_pe, "shared_with_country": w.co},
        "You can share a filter only with a country team you belong to.",
    ),
    "importprofile_shared_with_own_team": Invalid(
        "imports.ImportProfile",
        lambda w: {"owner": w.staff_pe, "shared_with_country": w.co},
        "You can share a profile only with a country team you belong to.",
    ),
    "importprofile_maps_to_the_kinds_columns": Invalid(
        "imports.ImportProfile",
        lambda w: {"mapping": {"monto": "amount_in_dollars"}},
        "Unknown columns: amount_in_dollars.",
    ),
    "attachment_target_is_attachable": Invalid(
        "attachments.Attachment",
        lambda w: {"target_type": ContentType.objects.get_for_model(Region), "target_id": w.guajira.pk},
        "Files cannot be attached to this kind of record.",
        without={"api": ATTACHMENT_UPLOAD},
    ),
    "attachment_target_exists": Invalid(
        "attachments.Attachment",
        lambda w: {"target_id": 999999},
        "The record does not exist.",
        without={"api": ATTACHMENT_UPLOAD},
    ),
    "region_parent_in_its_country": Invalid(
        Region, lambda w: {"parent": w.moquegua}, "The parent region must be in the same country."
    ),
    "stakeholder_regions_in_its_country": Invalid(
        Stakeholder, lambda w: {"regions": [w.guajira, w.moquegua]}, "These regions are not in Colombia: Moquegua."
    ),
    "municipality_region_in_its_country": Invalid(
        Municipality, lambda w: {"region": w.moquegua}, "The region must be in the municipality's country."
    ),
    "stakeholder_municipality_in_its_country": Invalid(
        Stakeholder,
        lambda w: {"municipality": municipality("PE", "180301")},
        "The municipality must be in the stakeholder's country.",
    ),
    "stakeholder_municipality_in_its_regions": Invalid(
        Stakeholder,
        lambda w: {"regions": [Region.objects.get(code="CO-CES")], "municipality": municipality("CO", "44847")},
        "Uribia is not in Cesar.",
    ),
    "resourceflow_municipality_in_its_region": Invalid(
        ResourceFlow,
        lambda w: {"region": w.guajira, "municipality": municipality("CO", "20001")},
        "Valledupar is not in La Guajira.",
    ),
    "stakeholder_organisation_is_an_organisation": Invalid(
        Stakeholder,
        lambda w: {"organisation": person(w)},
        "The organisation must be an organisation, not a person or an informal group.",
    ),
    "initiative_regions_in_its_country": Invalid(
        Initiative, lambda w: {"regions": [w.moquegua]}, "These regions are not in Colombia: Moquegua."
    ),
    "initiative_lead_of_its_country": Invalid(
        Initiative, lambda w: {"lead": w.pe_org}, "The lead must be an actor of the initiative's country."
    ),
    "assessment_actor_of_the_initiatives_country": Invalid(
        Assessment,
        lambda w: {"stakeholder": w.pe_org},
        "Only actors of the initiative's country can be assessed in it.",
    ),
    "coalition_regions_in_its_initiatives_country": Invalid(
        Coalition, lambda w: {"regions": [w.moquegua]}, "These regions are not in Colombia: Moquegua."
    ),
    "coalition_not_under_its_own_local_coalition": Invalid(
        Coalition,
        lambda w: {"parent": local_coalition(w)},
        "A coalition cannot be linked under one of its own local coalitions.",
        change=lambda w: w.co_coalition,
    ),
    "commitment_owner_of_the_country_or_a_member": Invalid(
        "coalitions.Commitment",
        lambda w: {"owner": w.pe_company},
        "The owner must be an actor of the coalition's country or one of its members.",
    ),
    "engagement_coalition_of_its_initiative": Invalid(
        Engagement, lambda w: {"initiative": w.pe_initiative}, "This coalition belongs to another initiative."
    ),
    "learningnote_coalition_of_its_initiative": Invalid(
        LearningNote, lambda w: {"initiative": w.pe_initiative}, "This coalition belongs to another initiative."
    ),
    "entrypoint_regions_in_its_country": Invalid(
        EntryPoint, lambda w: {"regions": [w.moquegua]}, "These regions are not in Colombia: Moquegua."
    ),
    "entrypoint_actors_in_its_country": Invalid(
        EntryPoint,
        lambda w: {"stakeholders": [w.co_mayor, w.pe_org]},
        "These actors are not in Colombia: Asociación Moquegua Transparente.",
    ),
    "entrypoint_selected_only_with_its_initiative": Invalid(
        EntryPoint, lambda w: {"status": "selected"}, "Use the select action: it creates the initiative."
    ),
    "developmentplan_region_in_its_country": Invalid(
        DevelopmentPlan, lambda w: {"region": w.moquegua}, "The region is not in the plan's country."
    ),
    "budgetexecution_objective_of_a_plan_of_its_region_and_year": Invalid(
        BudgetExecution,
        lambda w: {"objective": peruvian_objective(w)},
        "The plan objective must be one of a plan of this region that covers the fiscal year.",
    ),
    "resourceflow_months_beside_a_yearly_total": Invalid(
        ResourceFlow,
        lambda w: {
            "month": 4,
            **existing(ResourceFlow, region=w.guajira, fiscal_year=2025, source="mining_royalties", amount=1),
        },
        "This region already has a yearly total of this source for that year: record the year either as one "
        "total or as months, not both.",
    ),
    "resourceflow_yearly_total_beside_months": Invalid(
        ResourceFlow,
        lambda w: {
            "month": None,
            **existing(ResourceFlow, region=w.guajira, fiscal_year=2025, month=2, source="mining_royalties", amount=1),
        },
        "This region already has monthly rows of this source for that year: record the year either as one "
        "total or as months, not both.",
    ),
    "indicator_region_in_its_owners_country": Invalid(
        Indicator,
        lambda w: {"region": w.moquegua},
        "The region must be in the country of the indicator's plan, initiative or coalition.",
    ),
    "contactrequest_owner_of_its_country_team": Invalid(
        ContactRequest,
        lambda w: {"owner": w.staff_pe},
        "The owner must be on the staff of the request's country team.",
        change=lambda w: ContactRequest.objects.create(
            name="Rita", email="rita@example.org", country="CO", message="Hola", ip_hash="x"
        ),
    ),
    "invitation_not_for_an_existing_account": Invalid(
        "accounts.Invitation",
        lambda w: {"email": account_with_email(w, "rosa@example.org")},
        "An account with this address exists already.",
    ),
}

CONSENT = "consent fields change only through the consent services (issue 11: consent through the ledger)"

#: One row per named constraint, by name.
CONSTRAINTS: dict[str, Invalid] = {
    "tag_unique_name_per_country": Invalid(
        "stakeholders.Tag",
        lambda w: {**existing(Tag, country=w.co, name="Minería"), "name": "MINERIA"},
        "This country already has this tag.",
    ),
    "savedfilter_unique_name_per_page": Invalid(
        "accounts.SavedFilter",
        lambda w: existing(SavedFilter, owner=w.staff_co, name="Mayors", path="stakeholders:stakeholder_list"),
        "You already saved a filter with this name on this page.",
    ),
    "importprofile_unique_name_per_kind": Invalid(
        "imports.ImportProfile",
        lambda w: existing(ImportProfile, owner=w.staff_co, kind="flows", name="SGR mensual"),
        "You already saved a profile with this name for this kind of file.",
    ),
    "attachment_type_allowed": Invalid(
        "attachments.Attachment",
        lambda w: {"mime_type": "application/x-msdownload"},
        "Files of this type cannot be attached.",
        without={"api": ATTACHMENT_UPLOAD},
    ),
    "country_code_iso_alpha2": Invalid(
        "countries.Country", lambda w: {"code": "xq"}, "The country code must be two capital letters (ISO 3166-1)."
    ),
    "region_unique_name_in_parent": Invalid(
        Region,
        lambda w: existing(Region, country=w.co, name="Manaure", kind="municipality", parent=w.guajira),
        "A region with this name already exists in that parent region.",
    ),
    "region_unique_top_level_name": Invalid(
        Region,
        lambda w: {"parent": None, "name": w.guajira.name},
        "A top-level region with this name already exists in the country.",
    ),
    "region_not_own_parent": Invalid(
        Region, lambda w: {"parent": w.guajira}, "A region cannot be its own parent.", change=lambda w: w.guajira
    ),
    "stakeholder_not_own_organisation": Invalid(
        Stakeholder,
        lambda w: {"organisation": w.co_org},
        "A stakeholder cannot be its own organisation.",
        change=lambda w: w.co_org,
    ),
    "contact_consent_has_source": Invalid(
        "stakeholders.Contact",
        lambda w: {"consent_given_at": WHEN, "consent_source": ""},
        "Say how consent was given.",
    ),
    "relationship_no_self_link": Invalid(
        Relationship,
        lambda w: {"source": w.co_mayor, "target": w.co_mayor},
        "A stakeholder cannot have a relationship with itself.",
    ),
    "relationship_unique_source_target_kind": Invalid(
        Relationship,
        lambda w: existing(Relationship, source=w.co_mayor, target=w.co_org, kind="conflict"),
        "This relationship already exists.",
    ),
    "relationship_strength_1_3": Invalid(Relationship, lambda w: {"strength": 4}, "Strength must be between 1 and 3."),
    "user_partner_has_organisation": Invalid(
        "accounts.User",
        lambda w: {"role": "partner", "organisation": None},
        "A partner user needs an organisation, and only partners have one.",
        change=lambda w: w.staff_pe,
    ),
    "apitoken_unique_name_per_user": Invalid(
        "accounts.ApiToken",
        lambda w: existing(ApiToken, user=w.partner_co, name="Sync", token_key="fedcba987654321", digest="d" * 128),
        "You already have a token with this name.",
    ),
    "invitation_partner_into_an_organisation": Invalid(
        "accounts.Invitation",
        lambda w: {"role": "partner", "organisation": None, "country": w.co},
        "Choose the organisation the person works for.",
    ),
    "invitation_colleague_into_a_country_team": Invalid(
        "accounts.Invitation",
        lambda w: {"role": "staff", "organisation": None, "country": None},
        "Choose the country team your colleague joins.",
    ),
    "invitation_one_pending_per_email": Invalid(
        "accounts.Invitation",
        lambda w: existing(
            Invitation, email="rosa@example.org", role="partner", organisation=w.co_org, expires_at=WHEN
        ),
        "This address already has a pending invitation: resend it instead.",
    ),
    "entrypoint_feasibility_1_5": Invalid(
        EntryPoint, lambda w: {"feasibility": 6}, "Feasibility must be between 1 and 5."
    ),
    "entrypoint_impact_1_5": Invalid(EntryPoint, lambda w: {"impact": 0}, "Potential impact must be between 1 and 5."),
    "entrypoint_added_value_1_5": Invalid(
        EntryPoint, lambda w: {"added_value": 6}, "Added value must be between 1 and 5."
    ),
    "entrypoint_unique_title_in_country": Invalid(
        EntryPoint,
        lambda w: existing(
            EntryPoint,
            country=w.co,
            title="Transición en el Cesar",
            challenge="Coal",
            feasibility=3,
            impact=3,
            added_value=3,
        ),
        "This country already has an entry point with this title.",
    ),
    "entrypoint_set_aside_has_reason": Invalid(
        EntryPoint,
        lambda w: {"status": "set_aside", "status_reason": ""},
        "Say why the entry point was set aside.",
    ),
    "developmentplan_start_before_end": Invalid(
        DevelopmentPlan, lambda w: {"start_year": 2028, "end_year": 2024}, "A plan cannot end before it starts."
    ),
    "developmentplan_unique_name_in_country": Invalid(
        DevelopmentPlan,
        lambda w: existing(
            DevelopmentPlan,
            country=w.co,
            region=w.guajira,
            name="Plan de Desarrollo de La Guajira",
            start_year=2020,
            end_year=2023,
        ),
        "This country already has a plan with this name.",
    ),
    "developmentplan_subnational_has_region": Invalid(
        DevelopmentPlan,
        lambda w: {"level": "regional", "region": None},
        "A regional or municipal plan needs its region or municipality.",
    ),
    "planobjective_unique_code_in_plan": Invalid(
        PlanObjective,
        lambda w: existing(PlanObjective, plan=_plan(w, "Plan Cesar"), code="OE2", title="Agua"),
        "This plan already has an objective with this code.",
    ),
    "resourceflow_month_1_12": Invalid(ResourceFlow, lambda w: {"month": 13}, "The month must be between 1 and 12."),
    "resourceflow_amount_not_negative": Invalid(
        ResourceFlow, lambda w: {"amount": "-1.00"}, "The amount cannot be negative."
    ),
    "resourceflow_currency_iso": Invalid(
        ResourceFlow, lambda w: {"currency": "cop"}, "The currency must be three capital letters (ISO 4217)."
    ),
    "resourceflow_unique_monthly": Invalid(
        ResourceFlow,
        lambda w: {
            "month": 3,
            **existing(ResourceFlow, region=w.guajira, fiscal_year=2025, month=3, source="mining_royalties", amount=1),
        },
        "This region already has this source for that month.",
    ),
    "resourceflow_unique_municipal_monthly": Invalid(
        ResourceFlow,
        lambda w: {
            "month": 3,
            "municipality": municipality("CO", "44847"),
            **existing(
                ResourceFlow,
                region=w.guajira,
                municipality=municipality("CO", "44847"),
                fiscal_year=2025,
                month=3,
                source="mining_royalties",
                amount=1,
            ),
        },
        "This municipality already has this source for that month.",
    ),
    "resourceflow_unique_municipal_yearly": Invalid(
        ResourceFlow,
        lambda w: {
            "municipality": municipality("CO", "44847"),
            **existing(
                ResourceFlow,
                region=w.guajira,
                municipality=municipality("CO", "44847"),
                fiscal_year=2025,
                source="mining_royalties",
                amount=1,
            ),
        },
        "This municipality already has this source for that year.",
    ),
    "municipality_unique_code_per_country": Invalid(
        Municipality, lambda w: {"code": "44847"}, "This country already has a municipality with this official code."
    ),
    "municipality_code_digits": Invalid(
        Municipality, lambda w: {"code": "44a"}, "The official code must be 4 to 10 digits."
    ),
    "resourceflow_unique_yearly": Invalid(
        ResourceFlow,
        lambda w: existing(ResourceFlow, region=w.guajira, fiscal_year=2025, source="mining_royalties", amount=1),
        "This region already has this source for that year.",
    ),
    "budgetexecution_allocated_not_negative": Invalid(
        BudgetExecution, lambda w: {"allocated": "-1.00"}, "The allocated amount cannot be negative."
    ),
    "budgetexecution_executed_not_negative": Invalid(
        BudgetExecution, lambda w: {"executed": "-1.00"}, "The executed amount cannot be negative."
    ),
    "budgetexecution_currency_iso": Invalid(
        BudgetExecution, lambda w: {"currency": "cop"}, "The currency must be three capital letters (ISO 4217)."
    ),
    "budgetexecution_unique_project_source_year": Invalid(
        BudgetExecution,
        lambda w: existing(
            BudgetExecution,
            region=w.guajira,
            fiscal_year=2025,
            project_code="P2",
            project_name="Paneles",
            funding_source="mining_royalties",
            allocated=1,
            executed=1,
        ),
        "This project already has this funding source in that year.",
    ),
    "initiative_ends_after_start": Invalid(
        Initiative,
        lambda w: {"starts_on": "2026-03-01", "ends_on": "2026-01-01"},
        "An initiative cannot end before it starts.",
    ),
    "assessment_power_1_5": Invalid(Assessment, lambda w: {"power": 6}, "Power must be between 1 and 5."),
    "assessment_capabilities_1_5": Invalid(
        Assessment, lambda w: {"capabilities": 0}, "Capabilities must be between 1 and 5."
    ),
    "assessment_interest_1_5": Invalid(Assessment, lambda w: {"interest": 6}, "Interest must be between 1 and 5."),
    "assessment_stance_range": Invalid(
        Assessment, lambda w: {"stance": 3}, None, shadowed_by="the stance field's choices (-2 to +2)"
    ),
    "assessment_one_per_day": Invalid(
        Assessment,
        lambda w: existing(
            Assessment,
            stakeholder=w.co_org,
            initiative=w.co_initiative,
            assessed_on=datetime.date(2026, 3, 1),
            power=1,
            capabilities=1,
            interest=1,
        ),
        "This stakeholder already has an assessment in this initiative on that date.",
    ),
    "coalition_not_own_parent": Invalid(
        Coalition,
        lambda w: {"parent": w.co_coalition},
        "A coalition cannot be linked to itself.",
        change=lambda w: w.co_coalition,
    ),
    "membership_one_open_per_stakeholder": Invalid(
        Membership, lambda w: {"stakeholder": w.co_org}, "This stakeholder is already a member of this coalition."
    ),
    "membership_left_after_joined": Invalid(
        Membership, lambda w: {"left_on": "2025-01-01"}, "A member cannot leave before joining.", change=membership
    ),
    "engagement_has_coalition_or_initiative": Invalid(
        Engagement,
        lambda w: {"coalition": None, "initiative": None},
        "Say which coalition or initiative this engagement belongs to.",
    ),
    "engagement_follow_up_not_before": Invalid(
        Engagement,
        lambda w: {"follow_up_on": "2026-02-01"},
        "The follow-up cannot be due before the engagement took place.",
    ),
    "learningnote_has_coalition_or_initiative": Invalid(
        LearningNote,
        lambda w: {"coalition": None, "initiative": None},
        "Say which coalition or initiative this note belongs to.",
    ),
    "indicator_exactly_one_owner": Invalid(
        Indicator,
        lambda w: {"initiative": w.co_initiative},
        "An indicator belongs to exactly one plan objective, initiative or coalition.",
        without={"form": "the page takes the one owner from its address"},
    ),
    "indicator_baseline_before_target": Invalid(
        Indicator,
        lambda w: {"baseline_year": 2027, "target_year": 2026},
        "The baseline year cannot come after the target year.",
    ),
    "indicator_target_matches_direction": Invalid(
        Indicator, lambda w: {"target_value": "-5"}, "The target must lie on the better side of the baseline."
    ),
    "indicator_unique_name_per_objective": Invalid(
        Indicator,
        lambda w: {
            "coalition": None,
            "objective": (objective := colombian_objective(w)),
            **existing(Indicator, objective=objective, name="Hogares conectados", unit="households"),
        },
        "This plan objective already has an indicator with this name.",
    ),
    "indicator_unique_name_per_initiative": Invalid(
        Indicator,
        lambda w: {
            "coalition": None,
            "initiative": w.co_initiative,
            **existing(Indicator, initiative=w.co_initiative, name="Hogares conectados", unit="households"),
        },
        "This initiative already has an indicator with this name.",
    ),
    "indicator_unique_name_per_coalition": Invalid(
        Indicator,
        lambda w: existing(Indicator, coalition=w.co_coalition, name="Hogares conectados", unit="households"),
        "This coalition already has an indicator with this name.",
    ),
    "indicatorvalue_unique_period": Invalid(
        IndicatorValue,
        lambda w: existing(
            IndicatorValue,
            indicator=Indicator.objects.get_or_create(
                coalition=w.co_coalition, name="Hogares", defaults={"unit": "households"}
            )[0],
            period_end=datetime.date(2025, 12, 31),
            value=1,
        ),
        "This indicator already has a value for that period.",
    ),
    "explorer_email_unique_ci": Invalid(
        Explorer,
        lambda w: existing(Explorer, name="Pedro", email="PEDRO@example.org", country="CO"),
        "This email address is already in the network.",
        without={"form": "no staff page edits an explorer's profile"},
    ),
    "explorer_active_is_confirmed": Invalid(
        Explorer,
        lambda w: {"status": "active", "confirmed_at": None},
        "An active explorer must have confirmed their address.",
        without={"form": NO_PAGE, "api": CONSENT, "admin": CONSENT},
    ),
    "consent_grant_has_text_version": Invalid(
        ConsentEvent,
        lambda w: {"action": "grant", "text_version": ""},
        "A consent grant must name the text version agreed to.",
        without={"form": CONSENT, "api": CONSENT, "admin": CONSENT},
    ),
    "campaign_scheduled_has_time": Invalid(
        Campaign,
        lambda w: {"state": "scheduled", "scheduled_for": None},
        "A scheduled campaign needs a date and time.",
        without={"form": "the campaign page has no state: campaign_send sets it with the time"},
    ),
    "notification_once_per_event": Invalid(
        Notification,
        lambda w: existing(Notification, user=w.staff_co, kind="follow_up", key="engagement-1", title="Follow-up"),
        "This notification was already created.",
    ),
    "preference_one_per_kind": Invalid(
        Preference,
        lambda w: existing(Preference, user=w.staff_co, kind="digest"),
        "This user already has a preference for this kind.",
        without={"form": "the preferences page writes one row per kind itself"},
    ),
    "suppression_unique_reason": Invalid(
        Suppression,
        lambda w: existing(Suppression, address_hash="ab" * 32, reason="bounced"),
        "This address is already suppressed for this reason.",
    ),
    "delivery_once_per_campaign": Invalid(
        Delivery,
        lambda w: {
            "kind": "outreach",
            "campaign_id": 1,
            **existing(Delivery, recipient="ana@example.org", kind="outreach", campaign_id=1, subject="s"),
        },
        "This address already has a mail of this campaign.",
    ),
    "delivery_once_per_kind_period": Invalid(
        Delivery,
        lambda w: existing(Delivery, recipient="ana@example.org", kind="digest", period="2026-W01", subject="s"),
        "This address already has a mail of this kind for this period.",
    ),
    "delivery_sending_has_lease": Invalid(
        Delivery, lambda w: {"state": "sending", "lease_until": None}, "A mail being sent needs a lease."
    ),
    "networksnapshot_one_scope": Invalid(
        NetworkSnapshot,
        lambda w: {"initiative": w.co_initiative},
        "A network snapshot is of a country or of an initiative, not both.",
        without=SNAPSHOT_READ_ONLY,
    ),
    "networksnapshot_one_per_country_month": Invalid(
        NetworkSnapshot,
        lambda w: existing(NetworkSnapshot, country=w.co, period=MONTH),
        "This country's network already has a snapshot for this month.",
        without=SNAPSHOT_READ_ONLY,
    ),
    "networksnapshot_one_per_initiative_month": Invalid(
        NetworkSnapshot,
        lambda w: {
            "country": None,
            "initiative": w.co_initiative,
            **existing(NetworkSnapshot, initiative=w.co_initiative, period=MONTH),
        },
        "This initiative's network already has a snapshot for this month.",
        without=SNAPSHOT_READ_ONLY,
    ),
    "reportrun_progress_0_100": Invalid(
        ReportRun, lambda w: {"progress": 101}, "Progress is a percentage, from 0 to 100."
    ),
    "reportrun_end_after_start": Invalid(
        ReportRun,
        lambda w: {"start": datetime.date(2026, 2, 1), "end": datetime.date(2026, 1, 1)},
        "The period cannot end before it starts.",
    ),
    "healthsnapshot_one_per_month": Invalid(
        CoalitionHealthSnapshot,
        lambda w: existing(CoalitionHealthSnapshot, coalition=w.co_coalition, period=MONTH, as_of=MONTH),
        "This coalition already has a health snapshot for this month.",
    ),
}

#: A valid new row of the models the API does not write (the API ones use `api_resources`).
BASES: dict[str, Callable[[SimpleNamespace], dict]] = {
    "attachments.Attachment": lambda w: {
        "target_type": ContentType.objects.get_for_model(Engagement),
        "target_id": w.co_engagement.pk,
        "title": "Acta",
        "kind": "minutes",
        "file": "attachments/ab/abcdef",
        "original_name": "acta.pdf",
        "mime_type": "application/pdf",
        "size": 100,
    },
    "accounts.User": lambda w: {"username": "someone", "role": "staff"},
    "accounts.ApiToken": lambda w: {
        "user": w.partner_co,
        "name": "Sync",
        "token_key": "0123456789abcde",
        "digest": "e" * 128,
    },
    "stakeholders.Tag": lambda w: {"country": w.co, "name": "Minería"},
    "accounts.SavedFilter": lambda w: {"owner": w.staff_co, "name": "Mayors", "path": "stakeholders:stakeholder_list"},
    "imports.ImportProfile": lambda w: {"owner": w.staff_co, "kind": "flows", "name": "SGR mensual"},
    "accounts.Invitation": lambda w: {
        "email": "rosa@example.org",
        "role": "partner",
        "organisation": w.co_org,
        "expires_at": WHEN,
    },
    "explorers_network.ConsentEvent": lambda w: {
        "explorer": Explorer.objects.create(name="Eva", email="eva@example.org"),
        "action": "confirm",
        "source": "staff",
    },
    "explorers_network.Campaign": lambda w: {"subject": "News", "body": "Hello", "language": "en"},
    "notifications.Notification": lambda w: {
        "user": w.staff_co,
        "kind": "follow_up",
        "key": "engagement-1",
        "title": "Follow-up",
    },
    "notifications.Preference": lambda w: {"user": w.staff_co, "kind": "digest"},
    "outbox.Suppression": lambda w: {"address_hash": "ab" * 32, "reason": "bounced"},
    "trends.NetworkSnapshot": lambda w: {"country": w.co, "period": MONTH},
    "trends.CoalitionHealthSnapshot": lambda w: {"coalition": w.co_coalition, "period": MONTH, "as_of": MONTH},
    "trends.ReportRun": lambda w: {
        "requested_by": w.staff_co,
        "scope": "country",
        "key": "CO",
        "start": MONTH,
        "end": MONTH,
        "language": "en",
    },
    "outbox.Delivery": lambda w: {
        "recipient": "ana@example.org",
        "kind": "digest",
        "period": "2026-W01",
        "subject": "s",
        "body_text": "b",
    },
}

ROWS: dict[str, Invalid] = {**CONSTRAINTS, **CLEAN_RULES}


def model_of(row: Invalid) -> type[models.Model]:
    return apps.get_model(row.model) if isinstance(row.model, str) else row.model


def project_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if model._meta.app_label in ALLOWED]


def test_every_constraint_and_clean_rule_has_a_row():
    constraints = {constraint.name for model in project_models() for constraint in model._meta.constraints}
    assert set(CONSTRAINTS) == constraints
    for name, row in CONSTRAINTS.items():
        assert name in {constraint.name for constraint in model_of(row)._meta.constraints}, name
    # Every model with rules of its own in clean() has at least one row for them.
    with_clean = {model for model in project_models() if "clean" in vars(model)}
    assert with_clean == {model_of(row) for row in CLEAN_RULES.values()}


# --- The paths ------------------------------------------------------------------------------

#: The route that writes each model (a read-only route on the same model, such as a country's roll-up, writes nothing).
API_ROUTES = {
    viewset.queryset.model: (prefix, basename)
    for router in ROUTERS
    for prefix, viewset, basename in router.registry
    if hasattr(viewset, "create")
}


def _coalition_page(name):
    return lambda w, values: reverse(f"coalitions:{name}", kwargs={"pk": pk(values["coalition"])})


def _indicator_create(w, values) -> str:
    kind = next(kind for kind in ("objective", "initiative", "coalition") if values.get(kind))
    return reverse("results:indicator_create", kwargs={"kind": kind, "owner_pk": pk(values[kind])})


#: The staff page that creates a row of a model, from the row's values, and the one that changes a row.
PAGES: dict[type[models.Model], tuple[Callable, Callable]] = {
    Stakeholder: (
        lambda w, v: reverse("stakeholders:stakeholder_create"),
        lambda obj, v: reverse("stakeholders:stakeholder_edit", kwargs={"pk": obj.pk}),
    ),
    apps.get_model("stakeholders.Contact"): (
        lambda w, v: reverse("stakeholders:contact_create", kwargs={"pk": pk(v["stakeholder"])}),
        lambda obj, v: reverse("stakeholders:contact_edit", kwargs={"pk": obj.pk}),
    ),
    Relationship: (
        lambda w, v: reverse("stakeholders:relationship_create", kwargs={"pk": pk(v["source"])}),
        lambda obj, v: reverse("stakeholders:relationship_edit", kwargs={"pk": obj.pk}),
    ),
    Initiative: (
        lambda w, v: reverse("coalitions:initiative_create"),
        lambda obj, v: reverse("coalitions:initiative_update", kwargs={"pk": obj.pk}),
    ),
    Assessment: (
        lambda w, v: reverse("coalitions:assessment_create", kwargs={"pk": pk(v["initiative"])}),
        None,
    ),
    Coalition: (
        lambda w, v: reverse("coalitions:coalition_create"),
        lambda obj, v: reverse("coalitions:coalition_update", kwargs={"pk": obj.pk}),
    ),
    Membership: (
        _coalition_page("membership_create"),
        lambda obj, v: reverse(
            "coalitions:membership_end" if "left_on" in v else "coalitions:membership_update", kwargs={"pk": obj.pk}
        ),
    ),
    apps.get_model("coalitions.Commitment"): (
        _coalition_page("commitment_create"),
        lambda obj, v: reverse("coalitions:commitment_update", kwargs={"pk": obj.pk}),
    ),
    Engagement: (
        lambda w, v: reverse("coalitions:engagement_create"),
        lambda obj, v: reverse("coalitions:engagement_update", kwargs={"pk": obj.pk}),
    ),
    LearningNote: (
        lambda w, v: reverse("coalitions:learningnote_create"),
        lambda obj, v: reverse("coalitions:learningnote_update", kwargs={"pk": obj.pk}),
    ),
    EntryPoint: (
        lambda w, v: reverse("planning:entrypoint_create", kwargs={"code": w.co.code.lower()}),
        lambda obj, v: reverse("planning:entrypoint_edit", kwargs={"pk": obj.pk}),
    ),
    DevelopmentPlan: (
        lambda w, v: reverse("planning:plan_create", kwargs={"code": w.co.code.lower()}),
        lambda obj, v: reverse("planning:plan_edit", kwargs={"pk": obj.pk}),
    ),
    PlanObjective: (
        lambda w, v: reverse("planning:objective_create", kwargs={"plan_pk": pk(v["plan"])}),
        lambda obj, v: reverse("planning:objective_edit", kwargs={"pk": obj.pk}),
    ),
    Indicator: (_indicator_create, lambda obj, v: reverse("results:indicator_edit", kwargs={"pk": obj.pk})),
    IndicatorValue: (
        lambda w, v: reverse("results:value_create", kwargs={"pk": pk(v["indicator"])}),
        None,
    ),
    ContactRequest: (None, lambda obj, v: reverse("explorers_network:contact_update", kwargs={"pk": obj.pk})),
}


def pk(value):
    return getattr(value, "pk", value)


def as_json(value):
    if isinstance(value, dict):
        return {name: as_json(item) for name, item in value.items()}
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | models.QuerySet):
        return [as_json(item) for item in value]
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def post_data(form: forms.BaseForm, values: dict) -> dict:
    """What a browser would send for `form` showing `values` (the form's own initial values for the rest)."""
    data = {}
    for name, form_field in form.fields.items():
        if form_field.disabled:
            continue
        value = values[name] if name in values else form[name].value()
        key = form.add_prefix(name)
        if isinstance(form_field.widget, forms.MultiWidget):
            parts = form_field.widget.decompress(value) if not isinstance(value, list) else value
            for index, part in enumerate(parts):
                data[f"{key}_{index}"] = "" if part is None else str(part)
        elif isinstance(form_field, forms.MultipleChoiceField) or isinstance(value, list | tuple | models.QuerySet):
            data[key] = [str(pk(item)) for item in value or ()]
        elif isinstance(form_field, forms.BooleanField):
            if value:
                data[key] = "on"
        else:
            data[key] = "" if value is None else str(pk(value))
    return data


def messages_in(errors) -> list[str]:
    if isinstance(errors, dict):
        return [message for value in errors.values() for message in messages_in(value)]
    if isinstance(errors, list | tuple):
        return [message for value in errors for message in messages_in(value)]
    return [str(errors)]


def snapshot(model, obj) -> dict:
    obj = model._default_manager.get(pk=obj.pk)
    return {
        name: sorted(item.pk for item in value) if isinstance(value, list) else value
        for name, value in model_to_dict(obj).items()
    }


def candidate(model, values: dict, row: models.Model | None) -> tuple[models.Model, dict]:
    """An unsaved instance with `values` (ids or rows), and its many-to-many values as rows."""
    obj = model._default_manager.get(pk=row.pk) if row is not None else model()
    m2m = {}
    for name, value in values.items():
        model_field = model._meta.get_field(name)
        if model_field.many_to_many:
            m2m[name] = [
                item if isinstance(item, models.Model) else model_field.related_model.objects.get(pk=item)
                for item in value
            ]
        elif model_field.is_relation and not isinstance(value, models.Model):
            setattr(obj, model_field.attname, value)
        else:
            setattr(obj, name, value)
    return obj, m2m


@pytest.fixture
def w(world):
    """The world, with Colombia's staff member also on Peru's team: a rule across countries is then
    the model's to refuse, not the choice lists' (which offer only the rows one may edit)."""
    world.staff_co.country_teams.add(world.pe)
    return world


def valid_values(w, model) -> dict:
    if model in API_ROUTES and model._meta.label not in BASES:
        return RESOURCES[API_ROUTES[model][1]].body(w)
    return BASES[model._meta.label](w)


@pytest.mark.parametrize("name", sorted(ROWS))
def test_every_path_refuses_the_invalid_write_with_the_models_message(w, name, subtests):
    row = ROWS[name]
    model = model_of(row)
    changed = row.change(w) if row.change else None
    values = row.values(w)
    merged = values if changed else {**valid_values(w, model), **values}
    expected = row.message(w) if callable(row.message) else row.message
    before = snapshot(model, changed) if changed else model._default_manager.count()

    def assert_refused(messages: list[str]) -> None:
        if expected is None:
            assert messages, f"refused without a message ({row.shadowed_by})"
        else:
            assert str(expected) in messages
        assert (snapshot(model, changed) if changed else model._default_manager.count()) == before

    with subtests.test(path="model"):
        obj, m2m = candidate(model, merged, changed)
        with pytest.raises(ValidationError) as refused:
            full_clean(obj, m2m=m2m)
        assert_refused(refused.value.messages)

    paths = {
        "form": NO_PAGE if model not in PAGES or PAGES[model][bool(changed)] is None else "",
        "api": NO_API if model not in API_ROUTES else "",
        "admin": NO_ADMIN if not _admin_writes(model, changed) else "",
    }
    for path, reason in {**paths, **row.without}.items():
        if reason:
            continue
        with subtests.test(path=path):
            assert_refused(PATHS[path](w, model, changed, values, merged))


def _admin_writes(model, row) -> bool:
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        return False
    user = SimpleNamespace(
        is_active=True, is_staff=True, is_authenticated=True, is_admin=True, has_perm=lambda *a: True
    )
    request = SimpleNamespace(user=user)
    if row is None:
        return model_admin.has_add_permission(request)
    read_only = set(model_admin.get_readonly_fields(request, row))
    return model_admin.has_change_permission(request, row) and not read_only >= {f.name for f in model._meta.fields}


def by_form(w, model, row, values, merged) -> list[str]:
    client = Client()
    client.force_login(w.staff_co)
    create, change = PAGES[model]
    url = change(row, values) if row else create(w, merged)
    form = client.get(url).context["form"]
    response = client.post(url, post_data(form, merged))
    assert response.status_code in (200, 400), response.get("Location")
    return messages_in(response.context["form"].errors)


def by_api(w, model, row, values, merged) -> list[str]:
    client = APIClient()
    prefix, basename = API_ROUTES[model][:2]
    # Reference data is written by admins only (core.access.REFERENCE_DATA); the rest by its country's staff.
    client.force_authenticate(w.admin if basename in REFERENCE_DATA else w.staff_co)
    if row:
        response = client.patch(f"/api/v1/{prefix}/{row.pk}/", as_json(values), format="json")
    else:
        response = client.post(f"/api/v1/{prefix}/", as_json(merged), format="json")
    assert response.status_code == 400, response.content
    return messages_in(response.json()["errors"])


def by_admin(w, model, row, values, merged) -> list[str]:
    client = Client()
    client.force_login(w.admin)
    opts = model._meta
    if row:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])
    else:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    page = client.get(url)
    data = post_data(page.context["adminform"].form, merged)
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 200, response.get("Location")
    return messages_in(response.context["adminform"].form.errors)


PATHS = {"form": by_form, "api": by_api, "admin": by_admin}


@pytest.mark.parametrize("name", sorted(name for name, row in ROWS.items() if row.shadowed_by))
def test_a_shadowed_constraint_is_still_the_databases(w, name):
    """A constraint a field's own validation always answers first still holds on paths that skip it."""
    row = ROWS[name]
    model = model_of(row)
    target = model._default_manager.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        model._default_manager.filter(pk=target.pk).update(**row.values(w))


def test_an_admin_inline_row_runs_its_constraints_with_the_parent(w):
    """A membership added in the coalition's inline: Django would leave the coalition out of the
    one-open-membership check, and the database would answer with an IntegrityError (a 500)."""
    client = Client()
    client.force_login(w.admin)
    url = reverse("admin:coalitions_coalition_change", args=[w.co_coalition.pk])
    page = client.get(url)
    data = post_data(page.context["adminform"].form, {})
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-TOTAL_FORMS": "0", f"{formset.prefix}-INITIAL_FORMS": "0"})
    members = next(
        inline.formset for inline in page.context["inline_admin_formsets"] if inline.formset.model is Membership
    )
    data.update(
        {
            f"{members.prefix}-TOTAL_FORMS": "1",
            f"{members.prefix}-0-stakeholder": str(w.co_org.pk),
            f"{members.prefix}-0-role": "member",
            f"{members.prefix}-0-joined_on": "2026-02-01",
            f"{members.prefix}-0-coalition": str(w.co_coalition.pk),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    errors = [
        message
        for inline in response.context["inline_admin_formsets"]
        for form in inline.formset
        for message in messages_in(form.errors)
    ]
    assert "This stakeholder is already a member of this coalition." in errors
    assert w.co_coalition.memberships.filter(stakeholder=w.co_org).count() == 1
