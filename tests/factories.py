import factory

from content.markdown import html_to_text, render_markdown
from content.models import Course, Module, Objective
from portal.models import User
from progress.models import StudiedObjective

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"course-{n}")
    title = factory.Sequence(lambda n: f"Course {n}")
    order = factory.Sequence(int)


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    order = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda m: f"9.{m.order}")
    title = factory.Sequence(lambda n: f"Module {n}")
    summary = "What this module covers."


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    module = factory.SubFactory(ModuleFactory)
    order = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda o: f"{o.module.code}.{o.order}")
    prompt = factory.Sequence(lambda n: f"Define term {n}")
    note_md = "- A first point about escalation\n- A second point\n"
    note_html = factory.LazyAttribute(lambda o: render_markdown(o.note_md))
    note_text = factory.LazyAttribute(lambda o: html_to_text(o.note_html))


class StudiedObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudiedObjective

    user = factory.SubFactory(UserFactory)
    objective = factory.SubFactory(ObjectiveFactory)
