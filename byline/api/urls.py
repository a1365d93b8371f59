from django.http import JsonResponse
from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter

from byline.api import openapi
from byline.api.views import ArticlesAPIViewSet

router = WagtailAPIRouter("wagtailapi")
router.register_endpoint("articles", ArticlesAPIViewSet)


def openapi_json(request):
    response = JsonResponse(openapi.schema(request))
    response["Access-Control-Allow-Origin"] = "*"
    return response


def index(request):
    """What this API offers, for someone who opens /api/v2/ in a browser."""
    return JsonResponse(
        {
            "articles": request.build_absolute_uri("articles/"),
            "openapi": request.build_absolute_uri("openapi.json"),
        }
    )


urlpatterns = [
    path("", index, name="api_index"),
    path("openapi.json", openapi_json, name="openapi"),
    path("", router.urls),
]
