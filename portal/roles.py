"""Who is an instructor: the one test, for every app (portal is the bottom layer; no app above is imported)."""

from django.contrib.auth.models import AnonymousUser

from portal.models import User

INSTRUCTORS_GROUP = "Instructors"


def is_instructor(user: User | AnonymousUser) -> bool:
    """A superuser, or a staff user in the Instructors group. Cached on the user object for the request,
    so the navigation and a view's permission check cost one query between them (none for learners)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if not user.is_staff:
        return False
    if not hasattr(user, "_is_instructor"):
        user._is_instructor = user.groups.filter(name=INSTRUCTORS_GROUP).exists()
    return user._is_instructor
