"""Time the SIECLE parser on one file and report its peak memory growth.

    python3 tools/siecle_gen.py --students 100000 --uai 0751234A --seed 100 --out /tmp/eleves-100k.xml
    .venv/bin/python bench/bench_siecle_parse.py /tmp/eleves-100k.xml [--uai 0751234A] [--repeat 3]

Each run happens in a fresh child process so that the peak RSS (ru_maxrss, which only
ever grows) belongs to that run alone; "growth" is the peak minus the RSS measured just
before parsing, after the imports.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _rss_now_kb() -> int:
    with open("/proc/self/statm") as statm:  # Linux; pages of resident memory
        return int(statm.read().split()[1]) * resource.getpagesize() // 1024


def _one_run(path: str, uai: str, max_upload_mb: int, queue: multiprocessing.Queue) -> None:
    from students.siecle import SiecleFileError, open_upload, parse_siecle

    before_kb = _rss_now_kb()
    started = time.perf_counter()
    try:
        with open(path, "rb") as upload, open_upload(upload, max_upload_bytes=max_upload_mb * 1024 * 1024) as xml:
            result = parse_siecle(xml, expected_uai=uai)
        outcome = {"counts": result.counts, "error_codes": sorted({issue.code.value for issue in result.errors})}
    except SiecleFileError as exc:
        outcome = {"refused": exc.code.value}
    elapsed = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put({"seconds": round(elapsed, 3), "rss_before_mb": round(before_kb / 1024, 1),
               "rss_peak_mb": round(peak_kb / 1024, 1), "rss_growth_mb": round((peak_kb - before_kb) / 1024, 1),
               **outcome})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", help="a SIECLE .xml or .zip file")
    parser.add_argument("--uai", default="0751234A", help="expected UAI (default 0751234A)")
    parser.add_argument("--max-upload-mb", type=int, default=400,
                        help="upload cap for the run (default 400: the stress file is a plain 185 MB XML)")
    parser.add_argument("--repeat", type=int, default=3, help="runs, each in a new process (default 3)")
    args = parser.parse_args(argv)
    size_mb = Path(args.path).stat().st_size / 1024 / 1024
    context = multiprocessing.get_context("spawn")  # fork would inherit the parent's peak RSS
    runs = []
    for _ in range(args.repeat):
        queue = context.Queue()
        child = context.Process(target=_one_run, args=(args.path, args.uai, args.max_upload_mb, queue))
        child.start()
        runs.append(queue.get())
        child.join()
    best = min(runs, key=lambda run: run["seconds"])
    print(json.dumps({"file": args.path, "file_mb": round(size_mb, 1), "best": best,
                      "all_seconds": [run["seconds"] for run in runs],
                      "max_rss_growth_mb": max(run["rss_growth_mb"] for run in runs)}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
