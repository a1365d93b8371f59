"""The site's icons at the addresses browsers ask for without being told:
/favicon.ico and the apple-touch-icon (iOS home screens, many feed readers)."""

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404

# address → (file under static/, content type)
ICONS = {
    "favicon.ico": ("img/favicon.ico", "image/x-icon"),
    "apple-touch-icon.png": ("img/apple-touch-icon.png", "image/png"),
    "apple-touch-icon-precomposed.png": ("img/apple-touch-icon.png", "image/png"),
}


def icon(request, name):
    """Serve one of ICONS from the static files; a day in any cache."""
    path, content_type = ICONS[name]
    found = finders.find(path)
    if not found:
        raise Http404(name)
    response = FileResponse(open(found, "rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response
