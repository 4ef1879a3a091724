"""The OpenAPI schema generates without a warning and is a valid OpenAPI document. A warning
(a view whose model or path parameter drf-spectacular cannot tell, colliding enum names) also
fails `make check-deploy`: the deployment checklist generates the schema too."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.checks import schema_check
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema


def test_the_deployment_checklist_generates_the_schema() -> None:
    assert settings.SPECTACULAR_SETTINGS["ENABLE_DJANGO_DEPLOY_CHECK"] is True


def test_the_schema_generates_without_a_warning() -> None:
    GENERATOR_STATS.reset()  # warnings of an earlier generation in this process are not ours
    messages = [str(message.msg) for message in schema_check(None)]
    assert messages == []


def test_the_schema_is_a_valid_openapi_document() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on an invalid document
    assert schema["openapi"].startswith("3.")
