from django.http import JsonResponse
from django.urls import path, reverse
from wagtail.api.v2.router import WagtailAPIRouter

from byline.api import openapi
from byline.api.views import ArticlesAPIViewSet
from byline.core.addresses import absolute

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
            "articles": absolute(reverse("wagtailapi:articles:listing"), request),
            "openapi": absolute(reverse("openapi"), request),
        }
    )


urlpatterns = [
    path("", index, name="api_index"),
    path("openapi.json", openapi_json, name="openapi"),
    path("", router.urls),
]
