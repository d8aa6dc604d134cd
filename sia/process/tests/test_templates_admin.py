"""Template administration: copy a version, use it for new cases, never edit one in use."""

from collections.abc import Callable

import pytest
from django.contrib import admin
from django.test import Client

from conftest import CaseFactory
from sia.process.models import CaseStep, ProcessTemplate

CHANGELIST = "/admin/process/processtemplate/"


@pytest.fixture
def v1(staff: object) -> ProcessTemplate:
    return ProcessTemplate.objects.get(key="sia", version=1)


def act(client: Client, action: str, *templates: ProcessTemplate) -> None:
    client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [str(t.pk) for t in templates]},
    )


def test_the_administrator_copies_a_template_as_a_new_inactive_version(
    v1: ProcessTemplate, login: Callable[[str], Client]
) -> None:
    act(login("admin"), "clone_as_new_version", v1)
    v2 = ProcessTemplate.objects.get(key="sia", version=2)
    assert not v2.is_active
    assert v2.cloned_from == v1
    assert list(v2.steps.values_list("key", flat=True)) == list(
        v1.steps.values_list("key", flat=True)
    )


def test_using_a_version_for_new_cases_leaves_running_cases_on_theirs(
    v1: ProcessTemplate, login: Callable[[str], Client], make_case: CaseFactory
) -> None:
    running = make_case()
    client = login("admin")
    act(client, "clone_as_new_version", v1)
    v2 = ProcessTemplate.objects.get(key="sia", version=2)
    act(client, "use_for_new_cases", v2)
    assert ProcessTemplate.objects.get(is_active=True) == v2
    later = make_case()
    assert CaseStep.objects.filter(case=running, definition__template=v1).count() == 6
    assert CaseStep.objects.filter(case=later, definition__template=v2).count() == 6


def test_only_one_version_can_be_chosen_for_new_cases(
    v1: ProcessTemplate, login: Callable[[str], Client]
) -> None:
    client = login("admin")
    act(client, "clone_as_new_version", v1)
    v2 = ProcessTemplate.objects.get(key="sia", version=2)
    act(client, "use_for_new_cases", v1, v2)
    assert ProcessTemplate.objects.get(is_active=True) == v1


def test_a_template_with_cases_has_read_only_steps_and_says_to_copy_it(
    v1: ProcessTemplate, login: Callable[[str], Client], make_case: CaseFactory
) -> None:
    client = login("admin")
    url = f"{CHANGELIST}{v1.pk}/change/"
    assert 'name="steps-0-title"' in client.get(url).content.decode()
    make_case()
    page = client.get(url).content.decode()
    assert 'name="steps-0-title"' not in page
    assert "Kopiera som ny version" in page
    assert "stegen kan inte ändras" in page


def test_case_steps_are_not_in_the_admin() -> None:
    assert not admin.site.is_registered(CaseStep)


def test_catalogues_are_edited_in_the_admin_with_their_items(
    login: Callable[[str], Client],
) -> None:
    page = login("admin").get("/admin/process/catalogue/").content.decode()
    assert "Begäran om handlingar" in page
