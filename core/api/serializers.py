"""Serializer building blocks: related fields scoped to the user, and the model's rules checked up front."""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.settings import api_settings

from ..access import is_staff_member
from ..validation import constraint_message, full_clean


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id of a row the requesting user can see; any other id is 'does not exist' (400).

    This is what makes a write naming a foreign object fail with 400, and what keeps a
    foreign id's existence from leaking.
    """

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        user = request.user if request else None
        if hasattr(queryset, "visible_to"):
            return queryset.visible_to(user)
        # Unscoped lookup tables (explorer topics) serve staff-only resources.
        return queryset if is_staff_member(user) else queryset.none()

    def use_pk_only_optimization(self) -> bool:
        # Read the related row from the cache the viewset filled with *visible* rows only, so a
        # row the user cannot see shows as null rather than as its id (see `scoped_relations`).
        return False


# A ModelSerializer whose fields are worked out from the model once per class, and copied for each use.
# DRF's `ModelSerializer.get_fields()` reads the model's fields and builds each serializer field's
# arguments again for every instance (a detail, each nested brief); what it builds follows from the
# class alone (Meta and declared fields, never the context), so it is built once and each instance
# gets its own copies, as DRF gives each instance copies of the declared fields.
# (No docstring: drf-spectacular would take it as the description of every brief serializer.)
class FieldsBuiltOnce:
    def get_fields(self) -> dict:
        cls = type(self)
        if "_built_fields" not in cls.__dict__:
            cls._built_fields = super().get_fields()
        return copy.deepcopy(cls._built_fields)


class ValidatedModelSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """Runs the model's `full_clean()` before saving, with the many-to-many values handed to `clean()`.

    netbox's `ValidatedModelSerializer`: every rule of the model (constraints and `clean()`,
    those on many-to-many values too) answers 400 with the model's own message, exactly as the
    staff pages and the admin refuse it.
    """

    serializer_related_field = ScopedPrimaryKeyRelatedField

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        model = self.Meta.model
        concrete = {field.name for field in model._meta.concrete_fields}
        many = {field.name for field in model._meta.many_to_many}
        values = {name: value for name, value in attrs.items() if name in concrete}
        if self.instance is None:
            candidate = model(**values)
        else:
            # A copy (Django copies its field cache too), so a refused change leaves the instance as it was.
            candidate = copy.copy(self.instance)
            for name, value in values.items():
                setattr(candidate, name, value)
        try:
            full_clean(candidate, m2m={name: value for name, value in attrs.items() if name in many})
        except DjangoValidationError as error:
            raise serializers.ValidationError(self._error_detail(error)) from None
        return attrs

    def _error_detail(self, error: DjangoValidationError) -> dict:
        """The model's errors keyed like DRF's: by field, and `non_field_errors` for the rest (fields not sent too)."""
        detail: dict[str, list] = {}
        for name, messages in serializers.as_serializer_error(error).items():
            key = name if name in self.fields and not self.fields[name].read_only else api_settings.NON_FIELD_ERRORS_KEY
            detail.setdefault(key, []).extend(messages)
        return detail


def bounded(model, constraint: str, *, min_value: int, max_value: int) -> dict:
    """`extra_kwargs` for a number a check constraint bounds: the bounds show in the API schema, and a
    value outside them is refused with the constraint's own message, as the pages and the admin refuse it."""
    message = constraint_message(model, constraint)
    return {
        "min_value": min_value,
        "max_value": max_value,
        "error_messages": {"min_value": message, "max_value": message},
    }
