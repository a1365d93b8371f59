"""Signals the comments app sends (declarations only; nothing here listens).

`comments_changed` is sent with `article_ids` by `moderation.recount` and by
votes whenever what readers see of those articles' comments changed (the count,
a comment shown or hidden, a score), for the caches of their pages.
"""

from django.dispatch import Signal

comments_changed = Signal()
