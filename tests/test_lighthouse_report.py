"""How bench/lighthouse reads a Lighthouse report: scores and lost points."""

from bench.lighthouse import lost_points, scores


def audit(audit_id, score, mode="binary"):
    return {"id": audit_id, "title": audit_id, "score": score, "scoreDisplayMode": mode}


REPORT = {
    "categories": {
        "performance": {"score": 0.949, "auditRefs": []},
        "accessibility": {
            "score": 0.91,
            "auditRefs": [
                {"id": "color-contrast", "weight": 7},
                {"id": "target-size", "weight": 10},
                {"id": "image-alt", "weight": 10},
                {"id": "aria-allowed-role", "weight": 0},
                {"id": "bypass", "weight": 7},
            ],
        },
        "best-practices": {"score": 1, "auditRefs": []},
        "seo": {"score": None, "auditRefs": []},
    },
    "audits": {
        "color-contrast": audit("color-contrast", 0),
        "target-size": audit("target-size", 0),
        "image-alt": audit("image-alt", 1),
        "aria-allowed-role": audit("aria-allowed-role", None, "notApplicable"),
        "bypass": audit("bypass", 0.5, "informative"),
    },
}


def test_scores_are_out_of_100_and_none_where_lighthouse_gave_none():
    assert scores(REPORT) == {
        "performance": 95,
        "accessibility": 91,
        "best-practices": 100,
        "seo": None,
    }


def test_lost_points_lists_failed_scored_audits_heaviest_first():
    assert [found["id"] for found in lost_points(REPORT, "accessibility")] == [
        "target-size",
        "color-contrast",
    ]
