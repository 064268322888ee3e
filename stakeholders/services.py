"""Writes on stakeholders that span other tables: merging a duplicate into the record kept."""

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from core.models import ActionRecord
from core.search import fold, nfc
from core.services import action_record
from core.validation import save_valid

from .models import Stakeholder, Tag


def stakeholder_links() -> list[models.ForeignKey]:
    """Every foreign key to Stakeholder in the project (link tables of many-to-many fields too),
    read from the models' meta so that a new relation is merged without a word here."""
    return [
        relation.field
        for relation in Stakeholder._meta.get_fields(include_hidden=True)
        if relation.is_relation and relation.auto_created and not relation.concrete and relation.field.many_to_one
    ]


def stakeholder_generic_links() -> list[GenericRelation]:
    """The generic relations of Stakeholder (its attachments)."""
    return [field for field in Stakeholder._meta.get_fields() if isinstance(field, GenericRelation)]


def link_label(field) -> str:
    """What a reader calls the rows of a relation: the many-to-many field's name for a link table."""
    model = field.model
    if model._meta.auto_created:
        m2m = next((f for f in model._meta.auto_created._meta.many_to_many if f.remote_field.through is model), None)
        if m2m is not None and m2m.model is not Stakeholder:
            return f"{m2m.model._meta.verbose_name_plural}: {m2m.verbose_name}"
        if m2m is not None:
            return str(m2m.verbose_name)
    return f"{model._meta.verbose_name_plural} ({field.verbose_name})"


def stakeholder_merge_preview(*, keep: Stakeholder, remove: Stakeholder) -> list[tuple[str, int]]:
    """(what, how many rows) that would move from `remove` to `keep`, for the confirmation page."""
    counts = [
        (link_label(field), field.model._base_manager.filter(**{field.attname: remove.pk}).count())
        for field in stakeholder_links()
    ]
    for relation in stakeholder_generic_links():
        counts.append((str(relation.related_model._meta.verbose_name_plural), _generic_rows(relation, remove).count()))
    return [(label, count) for label, count in counts if count]


def _generic_rows(relation: GenericRelation, obj) -> models.QuerySet:
    content_type = ContentType.objects.get_for_model(type(obj))
    return relation.related_model._base_manager.filter(
        **{relation.content_type_field_name: content_type, relation.object_id_field_name: obj.pk}
    )


def _unique_sets(model) -> list[tuple[tuple[str, ...], models.Q | None]]:
    sets = [(tuple(fields), None) for fields in model._meta.unique_together]
    sets += [
        (tuple(constraint.fields), constraint.condition)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields
    ]
    sets += [((field.name,), None) for field in model._meta.concrete_fields if field.unique and not field.primary_key]
    return sets


def _clash(row, field) -> models.Model | None:
    """The row of the kept stakeholder that `row`, once moved, would collide with on a unique rule."""
    model = type(row)
    for fields, condition in _unique_sets(model):
        if field.name not in fields:
            continue
        rows = model._base_manager.exclude(pk=row.pk)
        if condition is not None:
            if not model._base_manager.filter(pk=row.pk).filter(condition).exists():
                continue
            rows = rows.filter(condition)
        values = {
            model._meta.get_field(name).attname: getattr(row, model._meta.get_field(name).attname) for name in fields
        }
        found = rows.filter(**values).first()
        if found is not None:
            return found
    return None


def _links_to_itself(row, field, keep: Stakeholder) -> bool:
    """Once moved, would the row tie the kept stakeholder to itself (a relationship between the two)?"""
    if type(row) is Stakeholder and row.pk == keep.pk:
        return True
    others = [f for f in type(row)._meta.concrete_fields if f.is_relation and f.related_model is Stakeholder]
    return any(other is not field and getattr(row, other.attname) == keep.pk for other in others)


@transaction.atomic
def stakeholder_merge(*, keep: Stakeholder, remove: Stakeholder, user) -> dict[str, int]:
    """Move every row that points at `remove` to `keep`, resolve the clashes, record it and delete `remove`.

    - a row that would tie `keep` to itself (a relationship between the two; `keep` as `remove`'s
      person) is dropped, or its link emptied where the link may be empty;
    - a row that collides with one of `keep`'s on a unique rule (both open members of one coalition,
      both assessed the same day in one initiative, the same region twice) keeps one: the model's
      `merge_clash(kept, moved)` chooses where it has one (a membership: the earlier start), else `keep`'s;
    - attachments move with the record; `remove`'s history stays under its id, and the merge is in
      the action log (counts only) and in the moved rows' own history.
    """
    if keep.pk == remove.pk or keep.country_id != remove.country_id:
        raise ValidationError(_("Only two different stakeholders of the same country can be merged."))
    summary = {"moved": 0, "dropped": 0}
    for field in stakeholder_links():
        model = field.model
        for row in model._base_manager.filter(**{field.attname: remove.pk}).order_by("pk"):
            setattr(row, field.attname, keep.pk)
            if _links_to_itself(row, field, keep):
                if field.null:  # the kept record as the duplicate's person: it belongs to no organisation now
                    setattr(row, field.attname, None)
                    row.save(update_fields=[field.name])
                    summary["moved"] += 1
                else:
                    row.delete()
                    summary["dropped"] += 1
                continue
            clash = _clash(row, field)
            if clash is not None:
                chooser = getattr(model, "merge_clash", None)
                winner = chooser(clash, row) if chooser is not None else clash
                loser = row if winner is clash else clash
                if loser is clash:
                    clash.delete()
                else:
                    setattr(row, field.attname, remove.pk)
                    row.delete()
                    summary["dropped"] += 1
                    continue
            row.save(update_fields=[field.name])
            summary["moved"] += 1
    keep_type = ContentType.objects.get_for_model(Stakeholder)
    for relation in stakeholder_generic_links():
        summary["moved"] += _generic_rows(relation, remove).update(
            **{relation.content_type_field_name: keep_type, relation.object_id_field_name: keep.pk}
        )
    action_record(action=ActionRecord.Action.MERGE, user=user, obj=remove, summary={**summary, "into": keep.pk})
    remove.delete()
    return summary


def tag_names(text: str) -> list[str]:
    """The tag names typed in a comma-separated field: NFC, single spaces, each once (case and accents aside)."""
    names: dict[str, str] = {}
    for part in (text or "").split(","):
        name = nfc(" ".join(part.split()))
        if name:
            names.setdefault(fold(name), name)
    return list(names.values())


@transaction.atomic
def stakeholder_tags_set(*, stakeholder: Stakeholder, names: list[str]) -> list[Tag]:
    """Give the stakeholder exactly these tags, making the ones its country does not have yet."""
    keys = {fold(name): name for name in names}
    existing = {tag.key: tag for tag in Tag.objects.filter(country_id=stakeholder.country_id, key__in=keys)}
    tags = [
        existing.get(key) or save_valid(Tag(country_id=stakeholder.country_id, name=name)) for key, name in keys.items()
    ]
    stakeholder.tags.set(tags)
    return tags


@transaction.atomic
def stakeholders_tags_add(*, tags: list[tuple[int, int, list[str]]]) -> None:
    """Give many new stakeholders their tags at once (the import): (stakeholder id, its country id, tag
    names). The tags a country lacks are made, checked as `stakeholder_tags_set` makes them for one."""
    wanted = {(country, fold(name)): name for _pk, country, names in tags for name in names}
    if not wanted:
        return
    found = Tag.objects.filter(
        country_id__in={country for country, _key in wanted}, key__in={key for _c, key in wanted}
    )
    existing = {(tag.country_id, tag.key): tag for tag in found}
    missing = [
        Tag(country_id=country, name=name) for (country, key), name in wanted.items() if (country, key) not in existing
    ]
    for tag in missing:
        tag.full_clean(validate_unique=False)
    for tag in Tag.objects.bulk_create(missing):
        existing[(tag.country_id, fold(tag.name))] = tag
    through = Stakeholder.tags.through
    links = {(pk, existing[(country, fold(name))].pk) for pk, country, names in tags for name in names}
    through.objects.bulk_create(through(stakeholder_id=pk, tag_id=tag) for pk, tag in sorted(links))
