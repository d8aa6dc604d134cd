"""API fuzzing from the OpenAPI schema: every operation, called by real personas on a case
with a record of every kind, never answers 5xx and always answers as the schema says.

Schemathesis reads the schema the app itself serves at /api/schema/ and calls the app
in-process (WSGI), authenticated by a DRF token, so the second sign-in factor of the pages does
not apply. Path parameters are now random and now the ids of real records (a case and, where
it can, a record of that case), so both the access-denied answers and the real handlers are
fuzzed. Generation is bounded and derandomized, so a failure here is reproducible in CI.
"""

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.apps import apps
from django.conf import settings as django_settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, models, transaction
from django.utils import translation
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from pytest_django import DjangoDbBlocker
from rest_framework.authtoken.models import Token
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import PASSWORD
from sia.demo.staff import create_staff
from tests.test_access_matrix import (
    open_reception_case,
    record_collaboration,
    record_every_step,
    record_support,
)

# A reception social worker, who sees her unit's cases and writes to them, and a partner
# caseworker (Arbetsförmedlingen), who sees only what a consent shares and is refused the rest.
PERSONAS = ("socsek", "af")

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# The schema is read from the app at collection time, as a client would; no database is needed.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())
# The coverage phase (every boundary value of every parameter) sends some 11,000 requests per
# persona, minutes on two cores; the bounded fuzzing phase below is what CI runs.
schema.config.phases.coverage.enabled = False

# Ids of the module's real records by path parameter name, filled by the `tokens` fixture.
_REAL: dict[str, list[tuple[str, str | None]]] = {}


def _case_of(obj: models.Model) -> str | None:
    case_id = getattr(obj, "case_id", None)
    return None if case_id is None else str(case_id)


def _collect_real_ids() -> dict[str, list[tuple[str, str | None]]]:
    """Map each `<thing>_id` path parameter to the ids (and cases) of the models named so."""
    names = {
        name for path in schema.raw_schema["paths"] for name in re.findall(r"{(\w+)_id}", path)
    }
    found: dict[str, list[tuple[str, str | None]]] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("sia.") or not isinstance(
            model._meta.pk, models.UUIDField
        ):
            continue
        model_name = model.__name__.lower()
        # In the order they were made (not by random uuid), so a seed picks the same records.
        fields = {field.name for field in model._meta.get_fields()}
        order = ["created_at"] if "created_at" in fields else []
        for name in names:
            if model_name.endswith(name.replace("_", "")):
                for row in model._default_manager.order_by(*order)[:50]:
                    found.setdefault(name, []).append((str(row.pk), _case_of(row)))
    return found


@schema.hook
def flatmap_path_parameters(
    context: schemathesis.HookContext, path_parameters: dict[str, Any] | None
) -> st.SearchStrategy[dict[str, Any] | None]:
    """Half of the time, point the path at real records: a case, and that case's records."""
    cases = _REAL.get("case", [])
    if not cases or not path_parameters or not any(key.endswith("_id") for key in path_parameters):
        return st.just(path_parameters)

    @st.composite
    def real(draw: st.DrawFn, path_parameters: dict[str, Any]) -> dict[str, Any]:
        chosen = dict(path_parameters)
        case_id = draw(st.sampled_from(cases))[0]
        for key in path_parameters:
            if key == "case_id":
                chosen[key] = case_id
                continue
            pool = _REAL.get(key[: -len("_id")], [])
            of_case = [pk for pk, case in pool if case == case_id]
            candidates = of_case or [pk for pk, _case in pool]
            if candidates:
                chosen[key] = draw(st.sampled_from(candidates))
        return chosen

    return st.one_of(st.just(path_parameters), real(path_parameters))


@pytest.fixture(scope="module")
def tokens(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[dict[str, str]]:
    """A case with a record of every kind (the access matrix's) and a token per persona, built
    once for the module.

    They live in a transaction that is rolled back after the module's last test; each test
    runs in its own savepoint (through `db`), so whatever the fuzzer writes is gone after it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with translation.override(django_settings.LANGUAGE_CODE):
            staff = create_staff(password=PASSWORD)
            case = record_every_step(open_reception_case(staff), staff)
            record_collaboration(case, staff)
            record_support(case, staff)
        keys = {username: Token.objects.create(user=staff[username]).key for username in PERSONAS}
        _REAL.clear()
        _REAL.update(_collect_real_ids())
        # As Django's test client does: a request must not close the connection that holds
        # the test's transaction (on PostgreSQL it would end it, and lose the records).
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            with django_db_blocker.block():
                yield keys
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
            _REAL.clear()
        transaction.set_rollback(True)


def _call(case: Case[Any], token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)


_SETTINGS = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@_SETTINGS
@schema.parametrize()
def test_the_api_answers_the_social_worker_as_documented(
    case: Case[Any], tokens: dict[str, str], db: None
) -> None:
    _call(case, tokens["socsek"])


@_SETTINGS
@schema.parametrize()
def test_the_api_answers_the_partner_caseworker_as_documented(
    case: Case[Any], tokens: dict[str, str], db: None
) -> None:
    _call(case, tokens["af"])


def test_the_fuzzer_reaches_real_records(tokens: dict[str, str], db: None) -> None:
    """The path parameters are not only random: the case and its records are there to hit."""
    (case_id, _), *_others = _REAL["case"]
    of_the_case = {name for name, pool in _REAL.items() if any(case == case_id for _, case in pool)}

    assert {"consent", "decision", "entry", "meeting", "plan", "series"} <= set(_REAL)
    assert {"decision", "meeting", "plan", "task"} <= of_the_case
