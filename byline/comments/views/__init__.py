"""The comments' reader views, one module per concern.

- `authoring.py`: post a comment, edit or delete one's own, the mailed "did
  you write this?" link;
- `reactions.py`: vote and report;
- `following.py`: "notify me", confirm, unsubscribe, an address's subscriptions;
- `all_comments.py`: the "View all comments" page (and its "load more");
- `own_comments.py`: "Your comments": ask for the link, list, export, erase;
- `answers.py`: what they share: JSON or a redirect with a message.

Every mutation is a POST with CSRF protection that redirects with a message, so
everything works without JavaScript; a request that asks for JSON
(`Accept: application/json`) gets JSON instead, with a reason on error. The
views parse the request and answer; the work is done by `posting.py`,
`moderation.py`, `votes.py` and `notifications.py`.
"""
