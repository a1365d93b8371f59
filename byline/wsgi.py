import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")

django_application = get_wsgi_application()

# Kept pages are answered before Django builds a request (byline/pagecache).
from byline.pagecache.wsgi import PageCacheApplication  # noqa: E402

application = PageCacheApplication(django_application)
