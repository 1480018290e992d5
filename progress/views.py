from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from content.selectors import objective_get
from progress.forms import StudiedForm
from progress.services import studied_set


@require_POST
def objective_studied(request: HttpRequest, code: str) -> HttpResponse:
    """Mark an objective studied or not: the htmx form gets its new self, a plain POST a redirect."""
    objective = objective_get(code=code)
    form = StudiedForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Send studied=1 or studied=0.", status=400, content_type="text/plain")
    studied = form.cleaned_data["studied"]
    studied_set(user=request.user, objective=objective, studied=studied)
    if request.htmx:
        return render(request, "progress/studied_form.html", {"objective": objective, "is_studied": studied})
    messages.success(request, f"{objective.code} marked as {'' if studied else 'not '}studied.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = objective.get_absolute_url()
    return redirect(target)
