from .models import Notification


def unread_notifications(request):
    """The header bell's unread count (one query, only for signed-in users)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notification_count": lambda: Notification.objects.filter(recipient=user, read_at=None).count()
    }
