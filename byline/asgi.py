"""The application gunicorn serves (deploy/gunicorn.conf.py): the WSGI
application behind an event loop that answers kept pages
(byline/pagecache/asgi.py)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")

from django.conf import settings

from byline.pagecache.asgi import PageCacheASGI
from byline.wsgi import application as wsgi_application

application = PageCacheASGI(
    wsgi_application,
    threads=settings.SERVER_THREADS,
    waiting_limit=settings.SERVER_WAITING_LIMIT,
)
