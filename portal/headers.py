"""
Headers for the browser that Django and the libraries in MIDDLEWARE do not
set (settings.py lists those: Content-Security-Policy, Permissions-Policy,
Cross-Origin-Opener-Policy, X-Frame-Options...).
"""


class ResourcePolicyMiddleware:
    """
    Cross-Origin-Resource-Policy: same-origin on every response, so that
    another site cannot embed the site's pages, images or files (a
    hot-linked chart, a page read through a script tag); feed readers and
    reference managers, which are not browsers, still fetch them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
