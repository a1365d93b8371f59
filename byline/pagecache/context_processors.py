from byline.core.cacheable import storing


def shared_page_forms(request):
    """Render forms without a CSRF token on pages shared between readers.

    A token in a cached page would be one reader's secret served to everyone
    (and would set a cookie, which makes the page uncacheable). forms.js fetches
    a token when a reader starts on a form; without JavaScript, the failure view
    asks the reader to confirm, keeping what they typed.
    """
    if storing(request):
        return {"csrf_token": ""}
    return {}
