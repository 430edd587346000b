"""Values in the bench/ report tables: TSV cells, medians and API timestamps (imported by
bench/rollout/tool.py and bench/strategies/probe.py, which put bench/lib on sys.path)."""
import datetime
import re
import statistics


def num(x):
    """A TSV cell -> float, None when it is empty, '-' or not a number."""
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def med(values):
    """The median of the values that are not None; None when there are none."""
    v = [x for x in values if x is not None]
    return statistics.median(v) if v else None


def parse_time(s):
    """A Go/.NET timestamp (up to 9 fractional digits, Z or an offset) -> an aware datetime."""
    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?$", s)
    if not m:
        raise ValueError(s)
    frac = (m.group(2) or ".0")[1:7].ljust(6, "0")
    tz = m.group(3) or "Z"
    tz = "+00:00" if tz == "Z" else tz
    return datetime.datetime.fromisoformat(f"{m.group(1)}.{frac}{tz}")
