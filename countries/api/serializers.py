from rest_framework import serializers

from core.api.serializers import ValidatedModelSerializer

from ..models import Country, Municipality, Region


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


class MunicipalityBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["id", "code", "name", "kind"]


class MunicipalitySerializer(ValidatedModelSerializer):
    region_brief = RegionBriefSerializer(source="region", read_only=True)

    class Meta:
        model = Municipality
        fields = ["id", "country", "region", "region_brief", "code", "name", "kind", "created_at", "updated_at"]
