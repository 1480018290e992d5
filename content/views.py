from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from content import selectors
from content.models import Course
from progress.selectors import studied_codes


def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    course = get_object_or_404(Course, slug=slug)
    modules = selectors.modules_with_progress(course=course, user=request.user)
    return render(request, "content/course.html", {"course": course, "modules": modules})


def module_detail(request: HttpRequest, code: str) -> HttpResponse:
    module = selectors.module_get(code=code)
    objectives = list(module.objectives.order_by("order"))
    studied = studied_codes(user=request.user, objective_ids=[o.pk for o in objectives])
    for objective in objectives:
        objective.is_studied = objective.code in studied
    previous, following = selectors.neighbours(selectors.course_modules(course=module.course), module)
    context = {
        "module": module,
        "objectives": objectives,
        "previous": previous,
        "next": following,
    }
    return render(request, "content/module.html", context)


def objective_detail(request: HttpRequest, code: str) -> HttpResponse:
    objective = selectors.objective_get(code=code)
    previous, following = selectors.neighbours(selectors.course_objectives(course=objective.module.course), objective)
    context = {
        "objective": objective,
        "studied": bool(studied_codes(user=request.user, objective_ids=[objective.pk])),
        "previous": previous,
        "next": following,
    }
    return render(request, "content/objective.html", context)


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    if len(query) > selectors.SEARCH_MAX_LENGTH:
        messages.warning(request, f"Only the first {selectors.SEARCH_MAX_LENGTH} characters were searched.")
    hits = selectors.objectives_search(query=query) if query else []
    template = "content/search.html#search-results" if request.htmx else "content/search.html"
    return render(request, template, {"query": query, "hits": hits, "max_results": selectors.SEARCH_MAX_RESULTS})
