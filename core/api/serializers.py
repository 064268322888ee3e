"""Serializer building blocks: related fields scoped to the user, and database constraints checked up front."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.settings import api_settings


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
        return (
            queryset if user and user.is_authenticated and (user.is_admin or user.is_program_staff) else queryset.none()
        )

    def use_pk_only_optimization(self) -> bool:
        # Read the related row from the cache the viewset filled with *visible* rows only, so a
        # row the user cannot see shows as null rather than as its id (see `scoped_relations`).
        return False


class ConstrainedModelSerializer(serializers.ModelSerializer):
    """Checks the model's named constraints before saving, so violations are 400s with their messages."""

    serializer_related_field = ScopedPrimaryKeyRelatedField

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        model = self.Meta.model
        concrete = {field.name for field in model._meta.concrete_fields}
        values = {name: value for name, value in attrs.items() if name in concrete}
        if self.instance is not None:
            candidate = model(**{f.attname: getattr(self.instance, f.attname) for f in model._meta.concrete_fields})
            candidate._state.adding = False  # so unique checks leave out the row itself
            for name, value in values.items():
                setattr(candidate, name, value)
        else:
            candidate = model(**values)
        try:
            candidate.validate_constraints()
        except DjangoValidationError as error:
            detail = serializers.as_serializer_error(error)
            if NON_FIELD_ERRORS in detail:
                detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
            raise serializers.ValidationError(detail) from None
        return attrs
