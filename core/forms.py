"""The base of every ModelForm, on staff pages and in the admin: the form runs every rule of its model."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms.models import InlineForeignKeyField, ModelChoiceIterator
from django.forms.utils import ErrorDict

from .parsing import parse_id
from .pickers import SEARCH_BUTTON
from .validation import constraint_fields, handing_m2m


class DateInput(forms.DateInput):
    """The one date input of every form and filter: the browser's date picker, its value ISO (YYYY-MM-DD).

    Whatever the active language, the browser sends ISO and Django accepts ISO in every locale
    (its input formats always include it), so a date typed in Spanish saves as it shows.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateField(forms.DateField):
    """A form's own date field (not a model's), with the one date input."""

    widget = DateInput


class _IdsChecked:
    """A choice of rows by id that refuses what is not an id (`core.parsing.parse_id`) as a row
    that does not exist, before asking the database: a number beyond the column's range would
    otherwise reach it and fail there (SQLite raises OverflowError) instead of the form."""

    def _refuse_non_ids(self, values) -> None:
        if self.to_field_name not in (None, "pk", "id"):
            return
        for value in values:
            if value not in self.empty_values and parse_id(getattr(value, "pk", value)) is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
                )


class RowChoiceField(_IdsChecked, forms.ModelChoiceField):
    def to_python(self, value):
        self._refuse_non_ids([value])
        return super().to_python(value)


class RowsChoiceField(_IdsChecked, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        self._refuse_non_ids(value)
        return super()._check_values(value)


def formfield_for(model_field: models.Field, **kwargs) -> forms.Field | None:
    """Every model form's fields as Django makes them, dates with the one date input and rows
    chosen by id through the fields that refuse what is not an id.

    (Links typed without a scheme are https through the model field, `core.models.HttpsURLField`.)
    """
    if isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField):
        kwargs.setdefault("widget", DateInput)
    if isinstance(model_field, models.ManyToManyField):
        kwargs.setdefault("form_class", RowsChoiceField)
    elif isinstance(model_field, models.ForeignKey):
        kwargs.setdefault("form_class", RowChoiceField)
    return model_field.formfield(**kwargs)


class _OfferedChoices(ModelChoiceIterator):
    def __init__(self, field: forms.ModelChoiceField, queryset: QuerySet) -> None:
        super().__init__(field)
        self.queryset = queryset


def offer_only(field: forms.ModelChoiceField, queryset: QuerySet) -> None:
    """Offer only `queryset` in the field's widget, while the field still accepts any row of its own queryset.

    A page offers the sensible choices (the regions of the stakeholder's countries); a value it
    does not offer is not turned away as "not one of the available choices" but refused by the
    model's rule, with the rule's message, as the API and the admin refuse it.
    """
    field.widget.choices = _OfferedChoices(field, queryset)


class _ModelFormMetaclass(forms.models.ModelFormMetaclass):
    """Every ValidatedModelForm builds its fields with `formfield_for` unless its Meta names another.

    (Django reads `formfield_callback` from the form's own Meta only, not from a parent form's.)
    """

    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and getattr(meta, "formfield_callback", None) is None:
            meta.formfield_callback = staticmethod(formfield_for)
        return super().__new__(mcs, name, bases, attrs)


class ValidatedModelForm(forms.ModelForm, metaclass=_ModelFormMetaclass):
    """A ModelForm that validates its instance as the API and the services do.

    Three differences from Django's:

    - the many-to-many values chosen in the form are handed to the model's `clean()`, so a rule
      on them (regions in the row's country) runs before anything is saved;
    - the model's constraints also run on the fields a page fixes rather than shows (the
      coalition of a new membership, a member's date of leaving, the row's own id, an admin
      inline's parent): Django leaves such fields out of them, and the database then answers
      with an IntegrityError;
    - an error about a field the form does not show is reported for the whole form;
    - sent with a picker's Search button (the no-JavaScript search, `core.pickers`), it is not
      valid and shows no errors: it comes back with what was typed, and nothing is saved.
    """

    @property
    def picker_search(self) -> bool:
        return self.is_bound and SEARCH_BUTTON in self.data

    def full_clean(self) -> None:
        if self.picker_search:
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()

    def is_valid(self) -> bool:
        return super().is_valid() and not self.picker_search

    def _post_clean(self) -> None:
        many = {field.name for field in self.instance._meta.many_to_many}
        chosen = {name: value for name, value in self.cleaned_data.items() if name in many and name in self.fields}
        with handing_m2m(self.instance, chosen):
            super()._post_clean()
            self._validate_skipped_constraints()

    def _validate_skipped_constraints(self) -> None:
        inline = {name for name, form_field in self.fields.items() if isinstance(form_field, InlineForeignKeyField)}
        skipped = self._get_validation_exclusions() | inline  # what Django's own pass left out
        # Out of the constraints stay only the form's own fields that failed (or were left empty).
        exclude = {name for name in skipped if name in self.fields and not (name in inline and self._has_value(name))}
        model = type(self.instance)
        for constraint in model._meta.constraints:
            if not constraint_fields(model, constraint) & (skipped - exclude):
                continue  # Django's own pass ran it already
            try:
                constraint.validate(model, self.instance, exclude=exclude)
            except ValidationError as error:
                self._update_errors(error)

    def _has_value(self, name: str) -> bool:
        return getattr(self.instance, self.instance._meta.get_field(name).attname) is not None

    def _update_errors(self, errors: ValidationError) -> None:
        if hasattr(errors, "error_dict"):
            placed: dict[str, list] = {}
            for name, messages in errors.error_dict.items():
                placed.setdefault(name if name in self.fields else NON_FIELD_ERRORS, []).extend(messages)
            errors = ValidationError(placed)
        super()._update_errors(errors)
