"""What accounts does when a second-factor device changes, whatever changed it (a service, the admin)."""

from django.db.models.signals import post_delete, post_save, pre_save
from django_otp import device_classes

from . import two_factor


def on_pre_save(sender, instance, raw=False, **kwargs) -> None:
    """Note whether this save confirms or unconfirms the device (a code's save changes neither)."""
    if raw:
        return
    before = sender.objects.filter(pk=instance.pk).values_list("confirmed", flat=True).first() if instance.pk else None
    instance._two_factor_changed = (before is None and instance.confirmed) or before not in (None, instance.confirmed)


def on_post_save(sender, instance, raw=False, **kwargs) -> None:
    if not raw and getattr(instance, "_two_factor_changed", False):
        two_factor.devices_changed(instance.user_id)


def on_post_delete(sender, instance, **kwargs) -> None:
    two_factor.devices_changed(instance.user_id)


for device_class in device_classes():
    uid = f"accounts.two_factor.{device_class._meta.label_lower}"
    pre_save.connect(on_pre_save, sender=device_class, dispatch_uid=f"{uid}.pre_save")
    post_save.connect(on_post_save, sender=device_class, dispatch_uid=f"{uid}.post_save")
    post_delete.connect(on_post_delete, sender=device_class, dispatch_uid=f"{uid}.post_delete")
