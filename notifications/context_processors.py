from .models import Notification


def unread_notifications(request) -> dict:
    """The header badge's count, queried only when a template shows it."""
    user = getattr(request, "user", None)

    def count() -> int:
        if not getattr(user, "is_authenticated", False):
            return 0
        return Notification.objects.for_user(user).unread().count()

    return {"unread_notifications_count": count}
