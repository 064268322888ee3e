from django.contrib.contenttypes.fields import GenericRelation


def attachments_relation() -> GenericRelation:
    """`record.attachments` on an attachable model: its files, deleted with it (and from the storage)."""
    return GenericRelation("attachments.Attachment", content_type_field="target_type", object_id_field="target_id")
