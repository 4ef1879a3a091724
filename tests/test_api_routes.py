"""Every route under /api/v1/ is in some app's access matrix, and documented in the OpenAPI schema
with its answers' bodies. A new endpoint without matrix rows fails here."""

from __future__ import annotations

import importlib
import re
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from tests.access import API, ROLES, Endpoint

# One module per app that serves endpoints under /api/v1/; each holds ENDPOINTS and MATRIX.
MATRIX_MODULES = [
    "tests.legalaid.test_access_matrix",
    "tests.legalaid.test_access_matrix_nonpunishment",
    "tests.claims.test_access_matrix_claims",
    "tests.documents.test_access_matrix_documents",
    "tests.documents.test_access_matrix_exports",
]


def declared_endpoints() -> dict[str, Endpoint]:
    endpoints: dict[str, Endpoint] = {}
    for name in MATRIX_MODULES:
        module = importlib.import_module(name)
        assert not set(endpoints) & set(module.ENDPOINTS), f"{name} reuses an endpoint name"
        endpoints |= module.ENDPOINTS
        assert {row[0] for row in module.MATRIX} == set(module.ENDPOINTS), name
        assert all(len(row) == 2 + len(ROLES) for row in module.MATRIX), name
        # one row per endpoint and object
        assert len({row[:2] for row in module.MATRIX}) == len(module.MATRIX), name
    return endpoints


def _route_to_path(route: str) -> str:
    route = route.strip("^$").replace("\\", "")
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)  # regex routes (DRF routers)
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)  # path() converters
    return route


def _anonymous_parameters(path: str) -> str:
    """The schema names a path's parameters after the model's field (`{code}`, `{id}`)."""
    return re.sub(r"\{\w+\}", "{}", path)


def routed_under(patterns: list[Any], prefix: str) -> set[tuple[str, str]]:
    routed: set[tuple[str, str]] = set()
    for pattern in patterns:
        route = prefix + _route_to_path(str(pattern.pattern))
        if not (route.startswith(API + "/") or (API + "/").startswith(route)):
            continue  # the admin, the schema and the docs pages are not the API
        if isinstance(pattern, URLResolver):
            routed |= routed_under(pattern.url_patterns, route)
            continue
        assert isinstance(pattern, URLPattern)
        if not route.startswith(API + "/"):
            continue  # a page at the root (the portal's) that only a prefix of the API matched
        if "{format}" in route:  # the `.json` suffix variants of the same routes
            continue
        callback: Any = pattern.callback
        if hasattr(callback, "actions"):
            methods = set(callback.actions) - {"head"}  # DRF adds head to every get
        else:
            view = callback.view_class
            methods = {m for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)}
        routed |= {(method.upper(), route) for method in methods}
    return routed


def api_routes() -> set[tuple[str, str]]:
    every = routed_under(get_resolver().url_patterns, "/")
    return {(method, path.removeprefix(API)) for method, path in every}


def test_the_access_matrices_cover_every_route_and_method_of_the_api() -> None:
    declared = {
        (spec.method, _anonymous_parameters(spec.path)) for spec in declared_endpoints().values()
    }
    routed = {(method, _anonymous_parameters(path)) for method, path in api_routes()}

    assert routed == declared


def test_the_openapi_schema_documents_every_endpoint_of_the_matrices_with_its_body() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    bodiless = [
        (method, path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if not all("content" in answer for answer in operation["responses"].values())
    ]

    documented = {
        (method.upper(), _anonymous_parameters(path.removeprefix(API)))
        for path, operations in schema["paths"].items()
        if path.startswith(API)
        for method in operations
    }
    routed = {
        (spec.method, _anonymous_parameters(spec.path)) for spec in declared_endpoints().values()
    } - {("GET", "/")}
    assert documented == routed
    assert bodiless == []
