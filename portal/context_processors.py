from django.http import HttpRequest

from portal.http import wants_partial


def partial(request: HttpRequest) -> dict:
    """`partial_request` for templates: the same answer `portal.http.wants_partial` gives views."""
    return {"partial_request": wants_partial(request)}
