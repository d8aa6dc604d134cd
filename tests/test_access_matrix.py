"""Every page and API endpoint against every persona: allowed, or 404 as if nothing were there.

Given one case in the reception unit, opened by `socsek` with `vagledare1` on its
team, each persona either reaches a URL or gets exactly what a missing record gives.
"""

import re
from collections.abc import Callable

import pytest
from django.test import Client

from conftest import CaseFactory
from sia.cases.models import Case

PERSONAS = (
    "chef",
    "socsek",
    "vagledare1",
    "vagledare2",
    "ug",
    "integration",
    "bosattning",
    "af",
    "analytiker",
    "admin",
    "annan",
)
EVERYONE = frozenset(PERSONAS)
CASE_VIEWERS = frozenset({"chef", "socsek", "vagledare1"})
INTAKE = frozenset({"chef", "socsek", "ug", "integration", "annan"})
PERSON_EDITORS = frozenset({"chef", "socsek"})
MANAGERS = frozenset({"chef"})
STAFF = frozenset({"admin"})

# (url template, who gets 200; everyone else gets 404 unless `other` says otherwise)
MATRIX: list[tuple[str, frozenset[str], int]] = [
    ("/", EVERYONE, 404),
    ("/arenden/", EVERYONE, 404),
    ("/arenden/{case}/", CASE_VIEWERS, 404),
    ("/arenden/ny/{person}/", PERSON_EDITORS, 404),
    ("/personer/sok/", INTAKE, 404),
    ("/personer/ny/", INTAKE, 404),
    ("/personer/{person}/", CASE_VIEWERS, 404),
    ("/personer/{person}/andra/", PERSON_EDITORS, 404),
    ("/logg/", MANAGERS, 404),
    ("/admin/", STAFF, 302),
    ("/api/docs/", EVERYONE, 404),
    ("/api/schema/", EVERYONE, 404),
    ("/api/v1/persons/", EVERYONE, 404),
    ("/api/v1/persons/{person}/", CASE_VIEWERS, 404),
    ("/api/v1/cases/", EVERYONE, 404),
    ("/api/v1/cases/{case}/", CASE_VIEWERS, 404),
    ("/api/v1/audit-events/", MANAGERS, 404),
]


@pytest.fixture
def case(make_case: CaseFactory) -> Case:
    return make_case(team=("vagledare1",))


@pytest.mark.parametrize("username", PERSONAS)
@pytest.mark.parametrize(("template", "allowed", "other"), MATRIX)
def test_each_persona_reaches_only_what_is_theirs(
    case: Case,
    login: Callable[[str], Client],
    username: str,
    template: str,
    allowed: frozenset[str],
    other: int,
) -> None:
    url = template.format(case=case.pk, person=case.person_id)
    response = login(username).get(url)
    assert response.status_code == (200 if username in allowed else other)


@pytest.mark.parametrize("username", sorted(EVERYONE - CASE_VIEWERS))
@pytest.mark.parametrize("url", ["/", "/arenden/", "/api/v1/cases/", "/api/v1/persons/"])
def test_lists_never_show_a_case_outside_ones_scope(
    case: Case, login: Callable[[str], Client], username: str, url: str
) -> None:
    body = login(username).get(url).content.decode()
    assert case.person.family_name not in body
    assert str(case.pk) not in body


@pytest.mark.parametrize("username", sorted(CASE_VIEWERS))
def test_case_list_shows_the_case_to_those_who_may_see_it(
    case: Case, login: Callable[[str], Client], username: str
) -> None:
    assert case.person.family_name in login(username).get("/arenden/").content.decode()


@pytest.mark.parametrize(("template", "allowed", "other"), MATRIX)
def test_anonymous_visitors_are_sent_to_login_or_refused(
    case: Case, template: str, allowed: frozenset[str], other: int
) -> None:
    url = template.format(case=case.pk, person=case.person_id)
    response = Client().get(url)
    if url.startswith("/api/schema/") or url.startswith("/api/docs/"):
        assert response.status_code == 200
    elif url.startswith("/api/"):
        assert response.status_code in {401, 403}
    else:
        assert response.status_code == 302
        assert "/logga-in/" in response["Location"] or "/admin/login/" in response["Location"]


def test_a_missing_case_and_a_forbidden_case_look_the_same(
    case: Case, login: Callable[[str], Client]
) -> None:
    client = login("annan")
    forbidden = client.get(f"/arenden/{case.pk}/")
    missing = client.get(f"/arenden/{MISSING}/")
    assert forbidden.status_code == missing.status_code == 404
    assert normalised(forbidden.content, case.pk) == normalised(missing.content, MISSING)


MISSING = "00000000-0000-4000-8000-000000000000"


def normalised(content: bytes, requested: object) -> bytes:
    """Drop the per-response CSRF token and the requested id (echoed in the language form)."""
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
    return content.replace(str(requested).encode(), b"<id>")
