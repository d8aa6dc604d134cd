"""Who sees a case: the case team and the owning unit's manager, nobody else."""

from collections.abc import Callable

import pytest
from django.test import Client

from conftest import CaseFactory


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("chef", 200),
        ("socsek", 200),
        ("vagledare1", 200),
        ("vagledare2", 404),
        ("ug", 404),
        ("annan", 404),
        ("af", 404),
        ("analytiker", 404),
        ("admin", 404),
    ],
)
def test_case_page_is_shown_to_team_and_manager_only(
    make_case: CaseFactory, login: Callable[[str], Client], username: str, status: int
) -> None:
    case = make_case(team=("vagledare1",))
    response = login(username).get(f"/arenden/{case.pk}/")
    assert response.status_code == status
