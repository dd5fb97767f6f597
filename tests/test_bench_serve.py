"""
How bench/serve reads wrk's output and judges it: the figures, the medians
of rounds, the ratio to the static file and the floors. wrk is not run.
"""

import math
from collections import Counter

import pytest

from bench.serve.figures import (
    Summary,
    describe_counts,
    floor_checks,
    static_ratio,
    summarise,
)
from bench.serve.wrk import WrkResult, parse_report

WRK_OUTPUT = """\
Running 5s test @ http://127.0.0.1:40123/glossary/tnf-alpha/
  1 threads and 256 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   310.52ms  120.10ms   1.98s    71.20%
  Latency Distribution
     50%  290.11ms
     99%    1.41s
  2210 requests in 5.01s, 61.33MB read
  Socket errors: connect 0, read 0, write 0, timeout 12
  Non-2xx or 3xx responses: 3
Requests/sec:    441.12
Transfer/sec:     12.24MB
wrk-json {"requests": 2210, "seconds": 5.010, "requests_per_second": 441.1, \
"p50_ms": 290.110, "p99_ms": 1410.000, "max_ms": 1980.000, "errors": \
{"connect": 0, "read": 0, "write": 0, "status": 3, "timeout": 12}, \
"non_2xx": {"503": 3, "302": 1}}
"""


def result(rate, p50=5.0, p99=20.0, errors=None, non_2xx=None):
    return WrkResult(
        requests=int(rate * 5),
        requests_per_second=rate,
        p50_ms=p50,
        p99_ms=p99,
        errors=errors or {},
        non_2xx=non_2xx,
    )


def summary(rate, p99=20.0):
    return Summary(requests_per_second=rate, p50_ms=5.0, p99_ms=p99, errors=Counter())


def test_parse_report_reads_the_json_line_after_wrks_summary():
    parsed = parse_report(WRK_OUTPUT)

    assert parsed.requests == 2210
    assert parsed.requests_per_second == 441.1
    assert (parsed.p50_ms, parsed.p99_ms) == (290.11, 1410.0)
    assert parsed.errors == {"status": 3, "timeout": 12}
    assert parsed.error_count == 15
    assert parsed.non_2xx == {"503": 3, "302": 1}
    assert parsed.non_2xx_count == 4


def test_parse_report_without_status_counts_has_no_non_2xx_figure():
    output = WRK_OUTPUT.replace('{"503": 3, "302": 1}', "null")

    parsed = parse_report(output)

    assert parsed.non_2xx is None
    assert math.isnan(parsed.non_2xx_count)


def test_parse_report_of_a_run_whose_every_response_timed_out_has_no_latency():
    output = WRK_OUTPUT.replace('"requests": 2210', '"requests": 12')

    parsed = parse_report(output)

    assert math.isnan(parsed.p50_ms)
    assert math.isnan(parsed.p99_ms)


def test_parse_report_of_output_without_figures_raises():
    with pytest.raises(ValueError, match="no figures"):
        parse_report(WRK_OUTPUT.split("wrk-json")[0])


def test_summarise_takes_medians_and_adds_errors_up():
    rounds = [
        result(900.0, p50=6.0, p99=30.0, errors={"timeout": 2}),
        result(1000.0, p50=5.0, p99=90.0),
        result(1100.0, p50=4.0, p99=20.0, errors={"timeout": 1, "status": 4}),
    ]

    summarised = summarise(rounds)

    assert summarised.requests_per_second == 1000.0
    assert (summarised.p50_ms, summarised.p99_ms) == (5.0, 30.0)
    assert summarised.errors == {"timeout": 3, "status": 4}


def test_summarise_leaves_rounds_without_latencies_out_of_their_median():
    rounds = [result(0.0, p50=math.nan, p99=math.nan), result(50.0, p99=80.0)]

    assert summarise(rounds).p99_ms == 80.0


def test_describe_counts_lists_non_zero_counts_or_zero():
    assert describe_counts(Counter()) == "0"
    assert describe_counts({"timeout": 12, "connect": 0, "status": 3}) == (
        "status 3, timeout 12"
    )


def test_static_ratio_is_a_share_of_the_static_rate():
    summaries = {"static": summary(2000.0), "article": summary(500.0)}

    assert static_ratio(summaries, "article") == 0.25


def test_static_ratio_without_a_static_rate_is_not_a_number():
    summaries = {"static": summary(0.0), "article": summary(500.0)}

    assert math.isnan(static_ratio(summaries, "article"))


def fast_site(cached_rate=1900.0, uncached_rate=700.0, p99=20.0, load=None):
    """A run's figures that meet every floor unless told otherwise."""
    modes = {
        mode: {
            "static": summary(2000.0),
            "article": summary(rate, p99),
            "term": summary(rate),
            "index": summary(rate),
            "suggest": summary(rate),
        }
        for mode, rate in (("cached", cached_rate), ("uncached", uncached_rate))
    }
    if load is None:
        load = {target: result(1500.0, non_2xx={}) for target in ("article", "term")}
    return floor_checks(modes, load, connections=16, load_connections=256)


def failed(checks):
    return [check.label for check in checks if not check.passed]


def test_floor_checks_of_a_fast_site_all_pass():
    checks = fast_site()

    assert failed(checks) == []
    assert [check.label for check in checks[:4]] == [
        "cached article >= 0.8x static",
        "cached term >= 0.8x static",
        "uncached article >= 0.3x static",
        "uncached term >= 0.3x static",
    ]
    assert checks[0].shown == "0.95x"


def test_floor_checks_miss_cached_pages_slower_than_the_floor_ratio():
    assert failed(fast_site(cached_rate=1500.0)) == [
        "cached article >= 0.8x static",
        "cached term >= 0.8x static",
    ]


def test_floor_checks_miss_uncached_pages_slower_than_the_floor_ratio():
    assert failed(fast_site(uncached_rate=500.0)) == [
        "uncached article >= 0.3x static",
        "uncached term >= 0.3x static",
    ]


def test_floor_checks_miss_a_p99_of_100_ms_or_more():
    assert failed(fast_site(p99=100.0)) == [
        "cached article: p99 < 100 ms at 16",
        "uncached article: p99 < 100 ms at 16",
    ]


def test_floor_checks_miss_load_errors_and_non_2xx_responses():
    load = {
        "article": result(1500.0, errors={"timeout": 1}, non_2xx={}),
        "term": result(1500.0, non_2xx={"502": 2}),
    }

    checks = fast_site(load=load)

    assert failed(checks) == ["article at 256: errors", "term at 256: non-2xx"]
    assert checks[-1].shown == "2"


def test_floor_checks_miss_a_figure_that_could_not_be_measured():
    load = {target: result(1500.0) for target in ("article", "term")}

    checks = fast_site(p99=math.nan, load=load)

    assert failed(checks) == [
        "cached article: p99 < 100 ms at 16",
        "uncached article: p99 < 100 ms at 16",
        "article at 256: non-2xx",
        "term at 256: non-2xx",
    ]
