"""
Reports of Content-Security-Policy violations that browsers send (the
policy's `report-uri`), logged as one warning line each: a violation on a
reader's page means a template, a script or a body that the policy stopped,
to be fixed. Nothing is stored. Reports are counted per client like
searches, and anything malformed is refused with 400, never a 500.
"""

import json
import logging
from urllib.parse import urlsplit

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from glossary.rate_limits import limited_per_client

logger = logging.getLogger("portal.csp")

# A report is a few hundred bytes; anything far larger is not one.
MAX_REPORT_BYTES = 16 * 1024
# The fields logged, each cut to this many characters.
LOGGED_FIELDS = (
    "effective-directive",
    "violated-directive",
    "blocked-uri",
    "document-uri",
    "source-file",
    "line-number",
    "script-sample",
)
MAX_FIELD_LENGTH = 200


def violation(body):
    """
    The logged fields of a report's body (`{"csp-report": {...}}`), the
    page's address without its query (what a reader searched for); None
    when the body is not such a report.
    """
    try:
        report = json.loads(body).get("csp-report")
    except (ValueError, AttributeError):
        return None
    if not isinstance(report, dict):
        return None
    fields = {
        name: str(report[name])[:MAX_FIELD_LENGTH]
        for name in LOGGED_FIELDS
        if name in report
    }
    for name in ("document-uri", "source-file", "blocked-uri"):
        if name in fields:
            fields[name] = urlsplit(fields[name])._replace(query="").geturl()
    return fields


# A browser sends reports without a CSRF token, and a report changes
# nothing on the site.
@csrf_exempt
@require_POST
@limited_per_client("csp-report", "CSP_REPORT_RATE_LIMIT", as_json=True, what="reports")
def csp_report(request):
    """
    A browser's violation report: logged, 204. Not a report (not JSON, no
    `csp-report`, over 16 KB): 400 `{"error"}`.
    """
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > MAX_REPORT_BYTES:
        return JsonResponse({"error": "not a violation report"}, status=400)
    fields = violation(request.body)
    if fields is None:
        return JsonResponse({"error": "not a violation report"}, status=400)
    logger.warning("Content-Security-Policy violation: %s", json.dumps(fields))
    return HttpResponse(status=204)
