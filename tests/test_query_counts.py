"""List pages and list endpoints cost the same number of queries for 2 rows as for 12."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import CaseFactory

LISTS = [
    ("socsek", "/"),
    ("chef", "/"),
    ("socsek", "/arenden/"),
    ("chef", "/arenden/?visa=alla"),
    ("socsek", "/api/v1/cases/"),
    ("socsek", "/api/v1/persons/"),
    ("chef", "/logg/"),
    ("chef", "/api/v1/audit-events/"),
]


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(("username", "url"), LISTS)
def test_list_queries_do_not_grow_with_rows(
    make_case: CaseFactory, login: Callable[[str], Client], username: str, url: str
) -> None:
    client = login(username)
    for _ in range(2):
        make_case(team=("vagledare1", "vagledare2"))
    client.get(url)  # warm per-session lookups such as permissions and the session row
    few = count_queries(client, url)
    for _ in range(10):
        make_case(team=("vagledare1", "vagledare2"))
    many = count_queries(client, url)
    assert many == few
