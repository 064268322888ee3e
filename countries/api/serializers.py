from rest_framework import serializers

from core.api.serializers import ValidatedModelSerializer

from ..models import Country, Region


class CountryBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["id", "code", "name"]


class RegionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name", "kind"]


class CountrySerializer(ValidatedModelSerializer):
    class Meta:
        model = Country
        fields = ["id", "code", "name", "status", "summary", "summary_es", "created_at", "updated_at"]


class RegionSerializer(ValidatedModelSerializer):
    country_brief = CountryBriefSerializer(source="country", read_only=True)

    class Meta:
        model = Region
        fields = ["id", "country", "country_brief", "code", "name", "kind", "parent", "created_at", "updated_at"]
