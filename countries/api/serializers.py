from rest_framework import serializers

from core.api.serializers import ConstrainedModelSerializer

from ..models import Country, Region


class CountryBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["id", "code", "name"]


class RegionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name", "kind"]


class CountrySerializer(ConstrainedModelSerializer):
    class Meta:
        model = Country
        fields = ["id", "code", "name", "status", "summary", "created_at", "updated_at"]


class RegionSerializer(ConstrainedModelSerializer):
    country_brief = CountryBriefSerializer(source="country", read_only=True)

    class Meta:
        model = Region
        fields = ["id", "country", "country_brief", "code", "name", "kind", "parent", "created_at", "updated_at"]
