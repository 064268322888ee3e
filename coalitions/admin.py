from django.contrib import admin

from core.admin import ScopedAdmin, TabularInline

from .models import Assessment, Coalition, Commitment, Engagement, Initiative, LearningNote, Membership, Outcome


@admin.register(Initiative)
class InitiativeAdmin(ScopedAdmin):
    list_display = ["name", "country", "level", "phase", "starts_on", "is_public"]
    list_filter = ["country", "level", "phase", "is_public"]
    list_select_related = ["country"]
    search_fields = ["name", "shared_objective", "shared_objective_es"]
    autocomplete_fields = ["country", "regions", "lead"]
    date_hierarchy = "starts_on"


@admin.register(Assessment)
class AssessmentAdmin(ScopedAdmin):
    list_display = ["stakeholder", "initiative", "assessed_on", "power", "capabilities", "interest", "stance"]
    list_filter = ["initiative", "stance", "initiative__country"]
    list_select_related = ["stakeholder", "initiative"]
    search_fields = ["stakeholder__name", "rationale"]
    autocomplete_fields = ["stakeholder", "initiative", "assessed_by"]
    date_hierarchy = "assessed_on"


class MembershipInline(TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["stakeholder"]


class CommitmentInline(TabularInline):
    model = Commitment
    extra = 0
    autocomplete_fields = ["owner"]
    fields = ["owner", "description", "due_on", "status"]


@admin.register(Coalition)
class CoalitionAdmin(ScopedAdmin):
    list_display = ["name", "initiative", "level", "status", "parent", "formed_on", "is_public"]
    list_filter = ["status", "level", "initiative__country", "is_public"]
    list_select_related = ["initiative", "parent"]
    search_fields = ["name", "shared_goal", "shared_goal_es"]
    autocomplete_fields = ["initiative", "regions", "parent"]
    date_hierarchy = "formed_on"
    inlines = [MembershipInline, CommitmentInline]


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ["stakeholder", "coalition", "role", "joined_on", "left_on"]
    list_filter = ["role", "coalition__initiative__country"]
    list_select_related = ["stakeholder", "coalition"]
    search_fields = ["stakeholder__name", "coalition__name"]
    autocomplete_fields = ["coalition", "stakeholder"]
    date_hierarchy = "joined_on"


@admin.register(Commitment)
class CommitmentAdmin(ScopedAdmin):
    list_display = ["__str__", "coalition", "owner", "due_on", "status"]
    list_filter = ["status", "coalition__initiative__country"]
    list_select_related = ["coalition", "owner"]
    search_fields = ["description", "owner__name", "coalition__name"]
    autocomplete_fields = ["coalition", "owner"]
    date_hierarchy = "due_on"


@admin.register(Engagement)
class EngagementAdmin(ScopedAdmin):
    list_display = ["title", "kind", "occurred_on", "coalition", "initiative", "follow_up_on", "recorded_by"]
    list_filter = ["kind", "coalition__initiative__country"]
    list_select_related = ["coalition", "initiative", "recorded_by"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["coalition", "initiative", "participants", "recorded_by"]
    date_hierarchy = "occurred_on"


@admin.register(Outcome)
class OutcomeAdmin(ScopedAdmin):
    list_display = ["__str__", "coalition", "change_type", "observed_on", "is_public"]
    list_filter = ["change_type", "coalition__initiative__country", "is_public"]
    list_select_related = ["coalition"]
    search_fields = ["description", "significance", "contribution"]
    autocomplete_fields = ["coalition", "actors", "recorded_by"]
    date_hierarchy = "observed_on"


@admin.register(LearningNote)
class LearningNoteAdmin(ScopedAdmin):
    list_display = ["title", "coalition", "initiative", "author", "created_at", "is_public"]
    list_filter = ["is_public"]
    list_select_related = ["coalition", "initiative", "author"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["coalition", "initiative", "shared_with", "author"]
    date_hierarchy = "created_at"
