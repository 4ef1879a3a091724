"""The refusals in the OpenAPI schema. Every refusal answers the one error body of
`legalaid.api.errors`; this hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]) documents it for
every operation, under each status the operation can answer:

- 403, always: not signed in, or a role the endpoint does not serve;
- 400, when the operation reads a body or query parameters (the field messages say what is wrong);
- 404, when it names an object, by its path, its query or its body (outside the caller's scope
  too), or reads a page of a list;
- 409, when it writes (the record's state refuses the change, or another request changed it at
  the same moment);
- 429, when the API throttles requests (REST_FRAMEWORK's DEFAULT_THROTTLE_CLASSES).

An operation's own documented answer for a status wins over these.

`ShapeByRole` documents an answer whose shape depends on the caller's role (office staff read a
designation with the engine's explanation, a lawyer without it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from drf_spectacular.serializers import PolymorphicProxySerializerExtension
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer
from rest_framework.serializers import Serializer
from rest_framework.settings import api_settings


class ShapeByRole(PolymorphicProxySerializer):
    """An answer in one of these shapes, depending on the caller's role (schema only). The
    schema says `anyOf`: a fuller shape (the lawyer's whole record) also satisfies a smaller one
    (office staff's summary), which `oneOf` would refuse."""

    def __init__(
        self, component_name: str, serializers: Sequence[type[Serializer]], **kwargs: Any
    ) -> None:
        super().__init__(
            component_name=component_name,
            serializers=serializers,
            resource_type_field_name=None,
            **kwargs,
        )


class ShapeByRoleExtension(PolymorphicProxySerializerExtension):
    target_class = "legalaid.api.schema.ShapeByRole"
    priority = 1  # before drf-spectacular's own extension of the proxy it derives from

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema = super().map_serializer(auto_schema, direction)
        return {"anyOf": schema.pop("oneOf"), **schema}


ERROR_COMPONENT = "Error"
ERROR_REFERENCE = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "The body of every refusal; `message` and `fields` read in the request's "
    "language, `status` and `code` never change with it.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "status": {"type": "integer", "description": "The HTTP status again."},
                "code": {
                    "type": "string",
                    "description": "invalid, not_authenticated, permission_denied, not_found, "
                    "conflict, throttled…",
                },
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "description": "Messages per field, nested names flattened "
                    "(`victim.date_of_birth`, `parties[1].full_name`).",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            "required": ["status", "code", "message", "fields"],
        }
    },
    "required": ["error"],
}
DESCRIPTIONS = {
    400: "Refused: see the field messages.",
    403: "Not signed in, or the caller's role does not give access to this.",
    404: "No such object in the caller's scope (or no such page).",
    409: "The record's state refuses the change, or another request changed it at the same "
    "moment; nothing was saved.",
    429: "Too many requests: try again after the Retry-After header's seconds.",
}
WRITES = {"post", "put", "patch", "delete"}


def refusal(description: str) -> OpenApiResponse:
    """A refusal beyond those `error_responses` documents for every operation (a read that
    answers 409): the same error body."""
    return OpenApiResponse(response=ERROR_REFERENCE, description=description)


def _statuses(method: str, operation: dict[str, Any], throttled: bool) -> list[int]:
    places = {parameter.get("in") for parameter in operation.get("parameters", [])}
    has_body = "requestBody" in operation
    statuses = [403]
    if has_body or "query" in places:
        statuses.append(400)
    if has_body or places & {"path", "query"}:
        statuses.append(404)
    if method in WRITES:
        statuses.append(409)
    if throttled:
        statuses.append(429)
    return statuses


def error_responses(result: dict[str, Any], **_: Any) -> dict[str, Any]:
    """A drf-spectacular postprocessing hook: the error body, under every status it answers."""
    throttled = bool(api_settings.DEFAULT_THROTTLE_CLASSES)
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in _statuses(method, operation, throttled):
                responses.setdefault(
                    str(status),
                    {
                        "description": DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": dict(ERROR_REFERENCE)}},
                    },
                )
    return result
