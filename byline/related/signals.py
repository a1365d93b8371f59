"""Signals the related app sends (declarations only; its receivers are in
`receivers.py`).

Declared apart from `lists.py`, which sends them, so that listening needs none of
the text model's libraries (numpy, scipy, scikit-learn).
"""

from django.dispatch import Signal

# Sent by `lists` with `article_ids` whose shown lists changed (None: all of them,
# after a rebuild), for caches of the pages that show them.
lists_changed = Signal()
