"""Serializers that work out their fields once per class (core.api.serializers.FieldsBuiltOnce) have
exactly the fields DRF builds for each instance, and each instance its own copies."""

import pytest
from rest_framework import serializers

from core.api.serializers import FieldsBuiltOnce

from .api_resources import ROUTERS


def _subclasses(cls) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def serializer_classes() -> list[type]:
    for router in ROUTERS:  # imports every app's API serializers
        router.registry  # noqa: B018
    return sorted(
        (cls for cls in _subclasses(FieldsBuiltOnce) if getattr(getattr(cls, "Meta", None), "model", None)),
        key=lambda cls: cls.__qualname__,
    )


def test_every_api_model_serializer_builds_its_fields_once():
    assert {cls.__name__ for cls in serializer_classes()} >= {
        "StakeholderSerializer",
        "StakeholderBriefSerializer",
        "CoalitionSerializer",
        "MembershipSerializer",
    }


@pytest.mark.parametrize("serializer_class", serializer_classes(), ids=lambda cls: cls.__qualname__)
def test_the_fields_built_once_are_the_fields_drf_builds(serializer_class):
    plain = serializers.ModelSerializer.get_fields(serializer_class())
    first, second = serializer_class().fields, serializer_class().fields
    assert repr(dict(first)) == repr(plain)
    assert repr(dict(second)) == repr(plain)
    assert all(first[name] is not second[name] for name in first)  # copies: a bound field is its serializer's
    assert all(field.parent is not None for field in second.values())
