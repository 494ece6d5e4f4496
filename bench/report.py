"""Printing bench/tally.py rows and their per-rule summary (also usable on a JSONL file:
`python bench/report.py FILE.jsonl LIMIT` prints the table and summary again)."""
from __future__ import annotations

import json
import statistics
import sys

GIB_IN_MIB = 1024.0


def ratios(row, limit):
    """(rule-call ratio, end-to-end ratio, lower_bound) = pabutools time / ours; when
    pabutools hit the limit its time counts as the limit and the ratios are lower bounds.
    None when ours did not finish."""
    if row["ours"] is None:
        return None, None, False
    theirs = row["pabutools"] if row["pabutools"] is not None else limit
    call = theirs / max(row["ours"], 1e-6)
    e2e = (theirs + (row["pabutools_parse"] or 0)) / max(row["ours"] + (row["ours_parse"] or 0),
                                                         1e-6)
    return call, e2e, row["pabutools"] is None


def _fmt_time(seconds, limit):
    return f"> {limit}" if seconds is None else f"{seconds:.4f}"


def _fmt_ratio(value, lower_bound):
    if value is None:
        return "-"
    return ("> " if lower_bound else "") + (f"{value:.0f}" if value >= 10 else f"{value:.1f}")


HEADER = (f"{'instance':<40} {'voters':>7} {'proj':>4} {'rule':<18} {'ours s':>8} {'explain':>8} "
          f"{'pabu s':>8} {'ratio':>7} {'ours e2e':>9} {'pabu e2e':>9} {'e2e ratio':>9} "
          f"{'peak MiB':>8} identical")


def print_row(row, limit, header=[True]):  # noqa: B006  (a flag kept between calls)
    if header[0]:
        print(HEADER)
        header[0] = False
    call, e2e, lower = ratios(row, limit)
    ours_e2e = None if row["ours"] is None else row["ours"] + (row["ours_parse"] or 0)
    ours_limit = row.get("ours_limit", limit)
    theirs_e2e = (None if row["pabutools"] is None
                  else row["pabutools"] + (row["pabutools_parse"] or 0))
    print(f"{row['instance'][:40]:<40} {row['voters']:>7} {row['projects']:>4} "
          f"{row['rule']:<18} {_fmt_time(row['ours'], row.get('ours_limit', limit)):>8} "
          f"{_fmt_explain(row.get('ours_explain')):>8} "
          f"{_fmt_time(row['pabutools'], limit):>8} {_fmt_ratio(call, lower):>7} "
          f"{_fmt_time(ours_e2e, ours_limit):>9} "
          f"{_fmt_e2e(theirs_e2e, row, limit):>9} {_fmt_ratio(e2e, lower):>9} "
          f"{row['ours_peak_mib']:>8.0f} {row['identical']}", flush=True)


def _fmt_explain(seconds):
    return "-" if seconds is None else f"{seconds:.4f}"


def _fmt_e2e(seconds, row, limit):
    if seconds is None:
        return f"> {limit + (row['pabutools_parse'] or 0):.0f}"
    return f"{seconds:.4f}"


def print_summary(rows, rules, limit):
    print(f"\nper rule: median of pabutools time / ours over the files where ours finished "
          f"(a pabutools call stopped at the {limit} s limit counts as {limit} s, so that "
          f"file's ratio is a lower bound '> x'; the median is then a lower bound too when "
          f"such files are at or below it). 'call' = the rule call alone; 'e2e' = parse of the "
          f".pb file + the rule call; 'with explanation' = the call + reading its details.")
    for rule in rules:
        mine = [r for r in rows if r["rule"] == rule]
        if not mine:
            continue
        measured = [ratios(r, limit) for r in mine if r["ours"] is not None]
        same = sum(r["identical"] == "yes" for r in mine)
        compared = sum(r["identical"] in ("yes", "NO") for r in mine)
        line = f"  {rule:<18} "
        if measured:
            line += (f"median call {statistics.median(m[0] for m in measured):>7.1f}x  "
                     f"median e2e {statistics.median(m[1] for m in measured):>7.1f}x  ")
            explained = [ratios(dict(r, ours=r["ours"] + r["ours_explain"]), limit)[0]
                         for r in mine if r["ours"] is not None and r.get("ours_explain")
                         is not None]
            if len(explained) == len(measured):
                line += f"with explanation {statistics.median(explained):>7.1f}x  "
        line += (f"identical {same}/{compared}  pabutools > limit: "
                 f"{sum(r['pabutools'] is None for r in mine)}  ours > limit: "
                 f"{sum(r['ours'] is None for r in mine)}  files: {len(mine)}")
        print(line)
    peaks = [r["ours_peak_mib"] for r in rows if r.get("ours_peak_mib")]
    if peaks:
        worst = max(rows, key=lambda r: r.get("ours_peak_mib") or 0)
        print(f"\npeak memory of our worker (ru_maxrss): max {max(peaks):.0f} MiB "
              f"({worst['instance']}); under 1 GiB on every file: "
              f"{'yes' if max(peaks) < GIB_IN_MIB else 'NO'}")
    nos = [r for r in rows if r["identical"] == "NO"]
    print(f"not identical to pabutools: {len(nos)} rows"
          + "".join(f"\n  {r['instance']} {r['rule']}" for r in nos))


if __name__ == "__main__":
    path, limit = sys.argv[1], int(sys.argv[2])
    loaded = [json.loads(line) for line in open(path)]
    for row in loaded:
        print_row(row, limit)
    print_summary(loaded, list(dict.fromkeys(r["rule"] for r in loaded)), limit)
