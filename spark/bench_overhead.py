#!/usr/bin/env python3
"""What Spark costs: the job in local[2] against `cluster run` on one corpus, as a ratio.

    python3 spark/bench_overhead.py [--count 20000] [--seed 1] [CORPUS]
                                    [--cluster PATH] [--master local[2]] [--repeat 3] [--json FILE]

Without CORPUS it times the synthetic archive `scripts/make_synthetic_archive.py --count N --seed S`
(made once into the temporary directory, outside the timer). Each repetition runs `cluster run
CORPUS --format json` and `bash spark/submit.sh --master M CORPUS OUT` as whole processes, so the
job's figure includes starting the JVM; the job's own log splits it into Spark's start, the count
(the document frequencies' aggregation), the weighing of the rows, prepare, the tasks with the
merge, and finish. Both reports must be byte-identical (checked by
SHA-256). A warm-up run of each comes first; figures are p0/p50/p100 over the repetitions.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def timed(command: list[str], environment: dict[str, str] | None = None
          ) -> tuple[float, int, str]:
    """Runs `command`; returns wall seconds, the peak RSS in KiB of the largest process among
    the command and the descendants it waited for (for the job: the Python driver and the
    cluster binaries, not the JVM, which pyspark leaves unwaited), and stderr. Fails loudly on a
    non-zero exit."""
    with tempfile.TemporaryFile(mode="w+") as stderr:
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr,
                                   env={**os.environ, **(environment or {})}, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        text = stderr.read()
    if process.returncode != 0:
        sys.exit(f"error: {' '.join(command)} exited {process.returncode}:\n{text[-3000:]}")
    return seconds, usage.ru_maxrss, text


def digest(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def stages(log: str) -> dict[str, float]:
    """The job's own timings from its `storycluster-spark:` log lines."""
    found: dict[str, float] = {}
    for name, pattern in (
        ("spark start", r"storycluster-spark: Spark .*\(([\d.]+) s to start\)"),
        ("count", r"storycluster-spark: count: .*\(([\d.]+) s\)"),
        ("weigh", r"storycluster-spark: weigh: .*\(([\d.]+) s\)"),
        ("prepare", r"storycluster-spark: prepare: .*\(([\d.]+) s"),
        ("tasks and merge", r"storycluster-spark: tasks: .*\(([\d.]+) s\)"),
        ("finish", r"storycluster-spark: finish: .*\(([\d.]+) s\)"),
    ):
        match = re.search(pattern, log)
        if match:
            found[name] = float(match.group(1))
    return found


def quantiles(values: list[float]) -> str:
    return (f"p0 {min(values):7.2f}  p50 {statistics.median(values):7.2f}  "
            f"p100 {max(values):7.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", help="corpus file or folder (default: synthetic)")
    parser.add_argument("--count", type=int, default=20000, help="synthetic articles (20000)")
    parser.add_argument("--seed", type=int, default=1, help="synthetic archive seed (1)")
    parser.add_argument("--cluster", default=os.environ.get(
        "STORYCLUSTER_CLUSTER", os.path.join(ROOT, ".build", "release", "cluster")))
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (3)")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--no-warm-up", dest="warm_up", action="store_false",
                        help="skip the untimed first run of each (for the largest corpora)")
    arguments = parser.parse_args()
    cluster = os.path.abspath(arguments.cluster)
    if not os.access(cluster, os.X_OK):
        sys.exit(f"error: no cluster binary at {cluster}; build it (swift build -c release "
                 "--product cluster) or pass --cluster")

    with tempfile.TemporaryDirectory(prefix="storycluster-spark-bench-") as scratch:
        if arguments.corpus:
            corpus = os.path.abspath(arguments.corpus)
            label = os.path.relpath(corpus, ROOT)
        else:
            corpus = os.path.join(scratch, f"synthetic-{arguments.count}.jsonl")
            label = f"synthetic/{arguments.count}/seed {arguments.seed}"
            subprocess.run(
                [sys.executable, os.path.join(ROOT, "scripts", "make_synthetic_archive.py"),
                 "--count", str(arguments.count), "--seed", str(arguments.seed),
                 "--output", corpus], check=True, stderr=subprocess.DEVNULL,
            )
        run_out = os.path.join(scratch, "run.json")
        job_out = os.path.join(scratch, "spark.json")
        run_command = [cluster, "run", "--format", "json", "--output", run_out, corpus]
        job_command = ["bash", os.path.join(HERE, "submit.sh"), "--master", arguments.master,
                       corpus, job_out]
        job_environment = {"STORYCLUSTER_CLUSTER": cluster}

        import pyspark  # for the header only

        java = subprocess.run(["java", "-version"], stderr=subprocess.PIPE, text=True).stderr
        print(f"spark/bench_overhead: {label}, {os.path.getsize(corpus) / 1e6:.1f} MB")
        print(f"  pyspark {pyspark.__version__}, {java.splitlines()[0] if java else 'java ?'}, "
              f"Python {platform.python_version()}, {os.cpu_count()} cores, master "
              f"{arguments.master}, OPENBLAS_NUM_THREADS="
              f"{os.environ.get('OPENBLAS_NUM_THREADS', 'unset')} (tasks: 1 unless set)")
        print(f"  cluster: {cluster}, {arguments.repeat} timed runs each"
              + (" after a warm-up" if arguments.warm_up else " (no warm-up)"))

        if arguments.warm_up:
            timed(run_command)  # warm-up: the corpus into the page cache
            timed(job_command, job_environment)
        run_seconds: list[float] = []
        job_seconds: list[float] = []
        job_stages: list[dict[str, float]] = []
        run_rss = job_rss = 0
        for _ in range(arguments.repeat):
            seconds, rss, _ = timed(run_command)
            run_seconds.append(seconds)
            run_rss = max(run_rss, rss)
            seconds, rss, log = timed(job_command, job_environment)
            job_seconds.append(seconds)
            job_rss = max(job_rss, rss)
            job_stages.append(stages(log))
        same = digest(run_out) == digest(job_out)
        if not same:
            print("error: the Spark job's report differs from cluster run's", file=sys.stderr)

        ratio = statistics.median(job_seconds) / statistics.median(run_seconds)
        print(f"overhead/cluster-run/{arguments.count if not arguments.corpus else label}")
        print(f"  cluster run   {quantiles(run_seconds)}  peak RSS {run_rss / 1024:7.1f} MiB")
        print(f"  spark job     {quantiles(job_seconds)}  peak RSS {job_rss / 1024:7.1f} MiB "
              "(largest of driver and binaries; JVM not counted)")
        for name in job_stages[0]:
            values = [stage[name] for stage in job_stages if name in stage]
            print(f"    {name:<28} p50 {statistics.median(values):7.2f} s")
        print(f"  ratio spark/run (p50): {ratio:.2f}x; reports identical (SHA-256): {same}")
        if arguments.json:
            with open(arguments.json, "w") as f:
                json.dump({"corpus": label, "master": arguments.master,
                           "run_seconds": run_seconds, "job_seconds": job_seconds,
                           "job_stages": job_stages, "ratio": ratio, "identical": same,
                           "run_peak_rss_kib": run_rss, "job_peak_rss_kib": job_rss}, f,
                          indent=1)
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
