from django.urls import path

from .views import coalitions, countries, dashboard, initiatives, network, records

app_name = "coalitions"
urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("countries/", countries.country_list, name="country_list"),
    path("countries/<str:code>/", countries.country_detail, name="country_detail"),
    path("countries/<str:code>/rollup/", countries.country_rollup, name="country_rollup"),
    path("regions/<int:pk>/", countries.region_detail, name="region_detail"),
    path("relationships/", network.relationship_network, name="relationship_network"),
    path("relationships/network.svg", network.relationship_network_svg, name="relationship_network_svg"),
    path("initiatives/", initiatives.initiative_list, name="initiative_list"),
    path("initiatives/new/", initiatives.initiative_create, name="initiative_create"),
    path("initiatives/<int:pk>/", initiatives.initiative_detail, name="initiative_detail"),
    path("initiatives/<int:pk>/rollup/", initiatives.initiative_rollup, name="initiative_rollup"),
    path("initiatives/<int:pk>/map.svg", initiatives.initiative_map_svg, name="initiative_map_svg"),
    path("initiatives/<int:pk>/edit/", initiatives.initiative_update, name="initiative_update"),
    path("initiatives/<int:pk>/assessments/new/", initiatives.assessment_create, name="assessment_create"),
    path("coalitions/", coalitions.coalition_list, name="coalition_list"),
    path("coalitions/new/", coalitions.coalition_create, name="coalition_create"),
    path("coalitions/<int:pk>/", coalitions.coalition_detail, name="coalition_detail"),
    path("coalitions/<int:pk>/edit/", coalitions.coalition_update, name="coalition_update"),
    path("coalitions/<int:pk>/members/new/", coalitions.membership_create, name="membership_create"),
    path("coalitions/<int:pk>/commitments/new/", coalitions.commitment_create, name="commitment_create"),
    path("coalitions/<int:pk>/outcomes/new/", records.outcome_create, name="outcome_create"),
    path("memberships/<int:pk>/end/", coalitions.membership_end, name="membership_end"),
    path("memberships/<int:pk>/edit/", coalitions.membership_update, name="membership_update"),
    path("commitments/<int:pk>/edit/", coalitions.commitment_update, name="commitment_update"),
    path("commitments/<int:pk>/done/", coalitions.commitment_done, name="commitment_done"),
    path("outcomes/<int:pk>/edit/", records.outcome_update, name="outcome_update"),
    path("engagements/new/", records.engagement_create, name="engagement_create"),
    path("engagements/<int:pk>/", records.engagement_detail, name="engagement_detail"),
    path("engagements/<int:pk>/edit/", records.engagement_update, name="engagement_update"),
    path("learning/new/", records.learningnote_create, name="learningnote_create"),
    path("learning/<int:pk>/", records.learningnote_detail, name="learningnote_detail"),
    path("learning/<int:pk>/edit/", records.learningnote_update, name="learningnote_update"),
]
