from django.http import HttpRequest

from portal.http import wants_partial
from portal.roles import is_instructor


def partial(request: HttpRequest) -> dict:
    """`partial_request` for templates: the same answer `portal.http.wants_partial` gives views."""
    return {"partial_request": wants_partial(request)}


def roles(request: HttpRequest) -> dict:
    """`is_instructor` for the navigation, evaluated only when a template reads it (a callable)."""
    user = getattr(request, "user", None)
    return {"is_instructor": lambda: user is not None and is_instructor(user)}
