"""The schema and its two readers. Swagger UI is served as its split view (the page and its
initialising script are files of this origin, so ``script-src 'self'`` holds); both UIs set
inline styles and Redoc runs a worker from a blob, so these two pages, which show no seller
data, relax ``style-src`` and ``worker-src`` for themselves only."""

from typing import Any

from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponseBase
from django.utils.decorators import method_decorator
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

_DOCS_CSP = {
    "style-src": ["'unsafe-inline'"],
    "worker-src": ["blob:"],
    "img-src": ["data:", "https:"],
}


class SchemaView(SpectacularAPIView):
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    throttle_classes: list[Any] = []


@method_decorator(csp_update(_DOCS_CSP), name="dispatch")
class SwaggerView(SpectacularSwaggerSplitView):
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    throttle_classes: list[Any] = []

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return super().dispatch(request, *args, **kwargs)


@method_decorator(csp_update(_DOCS_CSP), name="dispatch")
class RedocView(SpectacularRedocView):
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    throttle_classes: list[Any] = []


def strict_requests(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing: request bodies refuse unknown fields
    (``additionalProperties: false``), as ``StrictSerializer`` does."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    return result
