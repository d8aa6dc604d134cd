"""The OpenAPI schema stays clean: it generates without a warning, validates, and says what
the API really answers (tests/test_api_fuzz.py holds the API to it)."""

from pathlib import Path
from typing import Any

import yaml
from django.core.management import call_command

from sia.core.api import document_errors


def _generate(tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / "schema.yml"
    # Raises SchemaGenerationError on any warning (a name collision, a field it cannot type …)
    # and on a document that is not valid OpenAPI.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema: dict[str, Any] = yaml.safe_load(out.read_text(encoding="utf-8"))
    return schema


def test_the_schema_generates_without_warnings_and_documents_pages_and_errors(
    tmp_path: Path,
) -> None:
    schema = _generate(tmp_path)
    cases = schema["paths"]["/api/v1/cases/"]

    listed = cases["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listed == {"$ref": "#/components/schemas/PaginatedCaseOutputList"}
    page = schema["components"]["schemas"]["PaginatedCaseOutputList"]
    assert set(page["properties"]) == {"count", "next", "previous", "results"}
    assert "page" in {parameter["name"] for parameter in cases["get"]["parameters"]}

    assert set(cases["get"]["responses"]) == {"200", "400", "401", "403", "404", "503"}
    assert set(cases["post"]["responses"]) == {
        "201", "400", "401", "403", "404", "409", "415", "503"
    }  # fmt: skip
    # Every choice set has one name of its own, not a hash of its values.
    enums = [name for name in schema["components"]["schemas"] if name.endswith("Enum")]
    assert "CaseStepStatusEnum" in enums
    assert not [name for name in enums if any(ch.isdigit() for ch in name)]


def test_a_time_of_day_is_documented_without_a_utc_offset() -> None:
    result = {
        "paths": {},
        "components": {
            "schemas": {"S": {"properties": {"t": {"type": "string", "format": "time"}}}}
        },
    }

    document_errors(result, generator=None, request=None, public=True)

    field = result["components"]["schemas"]["S"]["properties"]["t"]
    assert "format" not in field
    assert field["pattern"].startswith("^")
