from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from content import selectors
from content.forms import StudiedForm
from content.models import Course
from content.services import studied_set
from portal.http import error_response, render_page, wants_partial


def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    course = get_object_or_404(Course, slug=slug)
    modules = selectors.modules_with_progress(course=course, user=request.user)
    return render(request, "content/course.html", {"course": course, "modules": modules})


def module_detail(request: HttpRequest, code: str) -> HttpResponse:
    module = selectors.module_get(code=code)
    previous, following = selectors.module_neighbours(module=module)
    context = {
        "module": module,
        "objectives": selectors.module_objectives(module=module, user=request.user),
        "previous": previous,
        "next": following,
    }
    return render(request, "content/module.html", context)


def objective_detail(request: HttpRequest, code: str) -> HttpResponse:
    objective = selectors.objective_page_get(code=code, user=request.user)
    previous, following = selectors.objective_neighbours(objective=objective)
    context = {"objective": objective, "studied": objective.is_studied, "previous": previous, "next": following}
    return render(request, "content/objective.html", context)


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    if len(query) > selectors.SEARCH_MAX_LENGTH:
        messages.warning(request, f"Only the first {selectors.SEARCH_MAX_LENGTH} characters were searched.")
    hits = selectors.objectives_search(query=query) if query else []
    some_words = False
    if query and not hits and len(query.split()) > 1:  # no objective has every word: those with some of them
        hits = selectors.objectives_search(query=query, any_word=True)
        some_words = bool(hits)
    context = {"query": query, "hits": hits, "some_words": some_words, "max_results": selectors.SEARCH_MAX_RESULTS}
    if query and not hits:
        context.update(suggestion=selectors.search_suggestion(query=query), courses=selectors.courses_list())
    return render_page(request, "content/search.html", context, partial="search-results")


@require_POST
def objective_studied(request: HttpRequest, code: str) -> HttpResponse:
    """Mark an objective studied or not: the htmx form gets its new self, a plain POST a redirect."""
    objective = selectors.objective_get(code=code)
    form = StudiedForm(request.POST)
    if not form.is_valid():
        return error_response(request, "Send studied=1 or studied=0.", 400)
    studied = form.cleaned_data["studied"]
    studied_set(user=request.user, objective=objective, studied=studied)
    messages.success(request, f"{objective.code} marked as {'' if studied else 'not '}studied.")
    if wants_partial(request):
        return render_page(request, "content/studied_form.html", {"objective": objective, "is_studied": studied})
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if not safe or not target.startswith("/"):  # a path of this site: `redirect` reads anything else as a URL name
        target = objective.get_absolute_url()
    return redirect(target)
