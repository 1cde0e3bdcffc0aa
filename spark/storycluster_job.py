#!/usr/bin/env python3
"""StoryCluster on Spark: the same JSON report as `cluster run CORPUS --format json`.

Spark plans and moves the work; the Swift engine does all of it. The job

1. counts the corpus's terms in Spark: each task runs `cluster spark count` on its share of
   the articles (their document and term frequencies), and one aggregation (`reduceByKey`)
   adds the shares up into the counts the TF-IDF weights need, which the driver writes to
   the work directory; the vocabulary, its pruning and the idf weights depend on the corpus
   only through these sums, so the model is the one `cluster run` fits;
2. weighs the rows in Spark: each task runs `cluster spark weigh` on its share, which weighs
   the share's articles with the model made from those counts and writes them (with each
   text's exact-copy fingerprint) to the work directory;
3. runs `cluster spark prepare` on the driver, which reads the corpus (for its dates and ids)
   and the weighed shares (`--frequencies`, `--rows`), and writes the rows (in time order, cut in row blocks of 512) into a work directory, and cuts the
   kernel's block pairs (each row block against itself and the later blocks its time window
   reaches; every later block for undated rows) into `--tasks` runs of about equal size;
4. hands each Spark task one run and runs `cluster spark task` on it (the binary travels with
   the job through `SparkContext.addFile`): every pair of rows is scored by the one task
   holding its block pair;
5. merges the tasks' candidates: per row and kind, the union cut to the best `c` neighbours
   (`N`) or `w` edges (`E`), by float score descending, then other row ascending. The cut is
   associative, so it runs as a `reduceByKey` with a map-side combine;
6. writes the merged lines to one file on the driver and runs `cluster spark finish`, which
   reads the same counts and rows and writes the report exactly as `cluster run` would.

Usage:
    storycluster_job.py [--master URL] [--tasks T] [--cluster PATH] [--work DIR]
                        [--merged FILE] CORPUS... OUT.json [-- more `cluster run` options]

`--work DIR` must be on a filesystem every executor sees (local mode always does). Without it
the job uses a temporary directory and removes it at the end.

Exit codes follow `cluster`: 0 success, 64 usage, the prepare or finish step's own code when it
fails (65 for bad input data), 1 when the Spark job fails.

Fault injection (for the tests): with STORYCLUSTER_SPARK_KILL_FIRST=1 in the driver's
environment, the first attempt of partition 0 of each stage SIGKILLs its worker: the count and
kernel workers after their first output line, the weigh worker as soon as it starts, so Spark
has to retry each of the three (use a master such as `local[2,4]`: local mode retries only with
the `[threads,maxFailures]` form).
"""

from __future__ import annotations

import argparse
import json
import math
import operator
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence

# Record keys sort by kind first: neighbour rows, edge rows, threshold pairs, counters.
KIND_RANK = {"N": 0, "E": 1, "C": 2, "S": 3}
KIND_LETTER = "NECS"

# `cluster run` options the job sets itself.
RESERVED_OPTIONS = ("--format", "--output")

EXIT_USAGE = 64
EXIT_FAILURE = 1

KILL_FIRST_ENV = "STORYCLUSTER_SPARK_KILL_FIRST"

# C and S lines per record.
CHUNK_LINES = 4096


class JobError(Exception):
    """A failure that ends the job with `code`, its message already meant for stderr."""

    def __init__(self, message: str, code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.code = code


class ProtocolError(Exception):
    """A worker line that does not follow the task protocol."""


# MARK: - Arguments


@dataclass
class JobArguments:
    master: str | None
    tasks: int | None
    cluster: str
    work: str | None
    merged: str | None
    inputs: list[str]
    output: str
    run_options: list[str]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def parse_arguments(argv: Sequence[str]) -> JobArguments:
    """Parses `[options] CORPUS... OUT.json [-- run options]`; usage errors exit with 64."""
    argv = list(argv)
    run_options: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, run_options = argv[:cut], argv[cut + 1 :]
    parser = _Parser(
        prog="storycluster_job.py",
        usage="%(prog)s [options] CORPUS... OUT.json [-- cluster run options]",
        description="Cluster a corpus on Spark with the StoryCluster engine as every task's "
        "worker; writes the report `cluster run CORPUS --format json` writes.",
        epilog="Options after `--` go to `cluster spark prepare` and `finish` as to `cluster "
        "run` (--format and --output are the job's).",
    )
    parser.add_argument(
        "--master", help="Spark master URL (default: the launcher's; local[*] under python3)"
    )
    parser.add_argument(
        "--tasks", type=int, help="Spark tasks for the kernel, each a run of the kernel's block "
        "pairs (default: 2 per core of a local[N] master, else 64; at most the block pairs)"
    )
    parser.add_argument(
        "--cluster",
        default=os.environ.get("STORYCLUSTER_CLUSTER", ".build/release/cluster"),
        help="the cluster binary (default: $STORYCLUSTER_CLUSTER, else .build/release/cluster)",
    )
    parser.add_argument(
        "--work", help="work directory, kept at the end; on a filesystem every executor sees "
        "(default: a temporary directory, removed at the end)"
    )
    parser.add_argument(
        "--merged", help="also keep the merged task lines (what finish reads) in this file"
    )
    parser.add_argument("paths", nargs="+", metavar="CORPUS... OUT.json",
                        help="files or folders to read, then the report to write")
    parsed = parser.parse_args(argv)
    if len(parsed.paths) < 2:
        parser.error("give at least one corpus (file or folder) and the output file OUT.json")
    if parsed.tasks is not None and parsed.tasks < 1:
        parser.error(f"--tasks must be 1 or more (got {parsed.tasks})")
    inputs, output = parsed.paths[:-1], parsed.paths[-1]
    if "-" in inputs:
        parser.error("standard input (-) cannot be read twice (by prepare and finish); "
                     "give a file or folder")
    for option in run_options:
        if option.split("=", 1)[0] in RESERVED_OPTIONS:
            parser.error(f"{option.split('=', 1)[0]} is set by the job (it writes "
                         "--format json to OUT.json); leave it out of the options after --")
    if not os.path.isfile(parsed.cluster) or not os.access(parsed.cluster, os.X_OK):
        parser.error(f"no executable cluster binary at {parsed.cluster}; build it with `swift "
                     "build -c release --product cluster` or pass --cluster PATH")
    return JobArguments(
        master=parsed.master, tasks=parsed.tasks, cluster=os.path.abspath(parsed.cluster),
        work=parsed.work, merged=parsed.merged, inputs=inputs, output=output,
        run_options=run_options,
    )


# MARK: - Merging


# A record's key: (kind rank, slot) for N and E; (kind rank, task, chunk) for C and S, so their
# keys are unique and never merged, and they come out in task order, each task's in its order.
Key = tuple[int, ...]
# A record's value: (cut, candidates) for N and E, the candidates as `j:hex8` tokens joined by
# spaces (as the worker wrote them, or best first once merged: the protocol takes any order);
# (None, the worker's lines) for C and S.
Value = tuple[int | None, "str | list[str]"]


def decode(tokens: str) -> list[tuple[float, int, str, str]]:
    """Decodes `j:hex8 j:hex8 ...` into (negated score, row, row digits, hex digits) tuples,
    which order by score descending, then row ascending (rows are distinct within a union, so
    the order is total; -0.0 and 0.0 are one score, as in Swift's float comparison).

    The work is done in bulk (one `split`, one `bytes.fromhex`, one `struct.unpack`): the merge
    decodes both sides of every union it cuts."""
    parts = tokens.replace(":", " ").split()
    rows, digits = parts[0::2], parts[1::2]
    if len(rows) != len(digits) or tokens.count(":") != len(digits):
        raise ProtocolError(f"bad entries {tokens[:80]!r} (expected <row>:<8 hex digits> ...)")
    if digits and set(map(len, digits)) != {8}:
        raise ProtocolError(f"bad score bits in {tokens[:80]!r} (expected 8 hex digits)")
    try:
        scores = struct.unpack(f">{len(digits)}f", bytes.fromhex("".join(digits)))
        numbers = list(map(int, rows))
    except ValueError as error:
        raise ProtocolError(f"bad entries {tokens[:80]!r}: {error}") from None
    if any(map(math.isnan, scores)):
        raise ProtocolError(f"a NaN score in {tokens[:80]!r}")
    return list(zip(map(operator.neg, scores), numbers, rows, digits))


def best(entries: list[tuple[float, int, str, str]], cut: int) -> str:
    """The best `cut` entries as `j:hex8` tokens, best first."""
    entries.sort()
    return " ".join([f"{row}:{bits}" for _, _, row, bits in entries[:cut]])


def merge_values(a: Value, b: Value) -> Value:
    """The associative merge: the union of N or E candidates cut to the capacity; C and S lines
    concatenated."""
    cut, left = a
    right = b[1]
    if cut is None:  # C and S keys are unique, so this is not reached; but if it were:
        return (None, left + right)  # type: ignore[operator]
    if not left or not right:
        return (cut, left or right)
    return (cut, best(decode(left) + decode(right), cut))  # type: ignore[arg-type]


def parse_line(line: str, capacity: dict[str, int], task: int) -> tuple[Key, Value]:
    """One worker line as a keyed record: `((kind rank, slot), (cut, tokens))` for N and E,
    `((kind rank, task), (None, [line]))` for C and S (run_worker adds the chunk number)."""
    kind, _, rest = line.partition(" ")
    rank = KIND_RANK.get(kind)
    if rank is None:
        raise ProtocolError(f"unknown line kind in {line[:80]!r}")
    if rank >= 2:
        return ((rank, task), (None, [line]))
    slot, _, tokens = rest.partition(" ")
    if not slot.isdigit():
        raise ProtocolError(f"no slot in {line[:80]!r}")
    # The tokens stay text until two tasks' candidates for one row meet in the merge: a row
    # that only one task found (most rows, with a time window) is never decoded.
    return ((rank, int(slot)), (capacity[kind], tokens.strip()))


def format_record(key: Key, value: Value) -> Iterator[str]:
    """The merged lines of one record, as the worker wrote them."""
    rank, slot = key[0], key[1]
    cut, items = value
    if cut is None:
        yield from items
    elif items:
        if items.count(" ") >= cut:  # more than `cut` tokens from one task: cut them
            items = best(decode(items), cut)  # type: ignore[arg-type]
        yield f"{KIND_LETTER[rank]} {slot} {items}"
    else:
        yield f"{KIND_LETTER[rank]} {slot}"


# Rows per partition of the merge (see run_job).
ROWS_PER_MERGE_PARTITION = 16_384


def partition_count(partitions: int) -> int:
    """The merge's partitions: `partitions` for N and E rows, as many for C lines, one for S."""
    return 2 * partitions + 1


def range_partitioner(rows: int, partitions: int) -> Callable[[Key], int]:
    """Sends N and E keys to `partitions` contiguous slot ranges (in kind-then-slot order), a
    task's C chunks to partition `partitions + task % partitions`, and S chunks to the last
    one, so partition order is output order and no partition holds every C line (the driver
    fetches a partition whole)."""
    total = max(1, 2 * rows)

    def partition(key: Key) -> int:
        rank, index = key[0], key[1]
        if rank == KIND_RANK["C"]:
            return partitions + index % partitions
        if rank == KIND_RANK["S"]:
            return 2 * partitions
        return min(partitions - 1, (rank * rows + index) * partitions // total)

    return partition


def memory_megabytes(setting: str) -> int:
    """A Spark memory setting (`512m`, `2g`) in MiB."""
    match = re.fullmatch(r"\s*(\d+)\s*([kmgt]?)b?\s*", setting.lower())
    if not match:
        return 512
    scale = {"k": 1 / 1024, "": 1, "m": 1, "g": 1024, "t": 1024 * 1024}[match.group(2)]
    return max(1, int(int(match.group(1)) * scale))


# MARK: - The task


def run_worker(
    binary: str,
    work: str,
    units: list[str],
    capacity: dict[str, int],
    task: int,
    kill_after_first_line: bool = False,
) -> Iterator[tuple[Key, Value]]:
    """Runs `cluster spark task` on `units` (`row-block from to` lines, a task as prepare cut
    them) and yields its lines as keyed records.

    A worker that fails raises RuntimeError with its exit code and stderr, so Spark logs it and
    retries the task; so does one that prints a line the protocol does not know (then with
    ProtocolError's message), or that ends in a partial line."""
    environment = worker_environment()
    with tempfile.TemporaryFile() as stdin, tempfile.TemporaryFile() as stderr:
        stdin.write("".join(f"{unit}\n" for unit in units).encode())
        stdin.seek(0)
        process = subprocess.Popen(
            [binary, "spark", "task", "--work", work], stdin=stdin, stdout=subprocess.PIPE,
            stderr=stderr, env=environment, text=True, bufsize=1 << 16,
        )
        assert process.stdout is not None
        killed = False
        problem = ""
        chunks: dict[int, list[str]] = {}
        next_chunk = 0
        try:
            for line in process.stdout:
                if not line.endswith("\n"):
                    problem = f"its output ends in a partial line ({line[:60]!r})"
                    break
                line = line.rstrip("\n")
                if not line:
                    continue
                if kill_after_first_line and not killed:
                    killed = True
                    process.send_signal(signal.SIGKILL)
                try:
                    key, value = parse_line(line, capacity, task)
                except ProtocolError as error:
                    problem = f"it printed a line the protocol does not know: {error}"
                    process.kill()
                    break
                if value[0] is not None:
                    yield key, value
                    continue
                # C and S lines travel in chunks, one record each.
                pending = chunks.setdefault(key[0], [])
                pending.append(line)
                if len(pending) == CHUNK_LINES:
                    yield (key[0], task, next_chunk), (None, pending)
                    chunks[key[0]] = []
                    next_chunk += 1
        finally:
            process.stdout.close()
            code = process.wait()
        # A worker that finished before the kill reached it still counts as killed, so the
        # fault test fails the attempt every time.
        if code != 0 or problem or killed:
            stderr.seek(0)
            raise worker_failure("task", how_it_ended(code, killed, problem),
                                 f"units {units[0]!r}...{units[-1]!r}", stderr.read())
    for rank in sorted(chunks):
        if chunks[rank]:
            yield (rank, task, next_chunk), (None, chunks[rank])
            next_chunk += 1


def first_attempt_of_partition_0() -> bool:
    """Whether this Spark task is the first attempt of its stage's partition 0 (where the
    fault injection strikes)."""
    from pyspark import TaskContext

    context = TaskContext.get()
    return context is not None and context.partitionId() == 0 and context.attemptNumber() == 0


def how_it_ended(code: int, killed: bool, problem: str = "") -> str:
    """How a worker ended, for its task's error: its exit code (and signal), whether the fault
    injection killed it, else the protocol problem it had."""
    if problem and not killed:
        return problem
    how = f"exit code {code}"
    if code < 0:
        how += f" (killed by {signal.Signals(-code).name})"
    if killed:
        how += f", killed on purpose by {KILL_FIRST_ENV}"
    return how


def worker_failure(step: str, how: str, where: str, stderr: bytes | str) -> RuntimeError:
    """The error a failed `cluster spark STEP` worker raises in its Spark task (so Spark logs
    it and retries the task): how it ended, on what, and its stderr."""
    message = (stderr.decode(errors="replace") if isinstance(stderr, bytes) else stderr).strip()
    return RuntimeError(
        f"cluster spark {step} failed with {how} on {where}: {message or '(nothing on stderr)'}"
    )


def worker_environment() -> dict[str, str]:
    """A worker's environment: Spark runs a task per core, so one BLAS thread each, unless the
    environment says otherwise."""
    environment = dict(os.environ)
    environment.setdefault("OPENBLAS_NUM_THREADS", "1")
    return environment


def run_counter(
    binary: str, inputs: list[str], options: list[str], part: int, parts: int, cwd: str,
    kill_after_first_line: bool = False,
) -> Iterator[tuple[str, tuple[int, int]]]:
    """Runs `cluster spark count` on share `part` of `parts` (in `cwd`, the driver's working
    directory, so the inputs are the paths prepare reads, in its order) and yields its counts as records:
    `("", (documents, 0))` for its `D` line and `(term hex, (documents, occurrences))` for each
    `T` line, so the records add up by key (the empty key sorts first).

    A worker that fails, or prints a line that is not a count line, raises RuntimeError with
    its exit code and stderr, so Spark logs it and retries the task."""
    environment = worker_environment()
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(
            [binary, "spark", "count", "--part", str(part), "--parts", str(parts),
             "--threads", "1", *options, *inputs],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr, env=environment,
            cwd=cwd, text=True, bufsize=1 << 16,
        )
        assert process.stdout is not None
        problem = ""
        killed = False
        try:
            for line in process.stdout:
                if kill_after_first_line and not killed:
                    killed = True
                    process.send_signal(signal.SIGKILL)
                fields = line.split()
                if not line.endswith("\n") or not fields:
                    problem = f"it printed a partial or empty line ({line[:60]!r})"
                    process.kill()
                    break
                if fields[0] == "D" and len(fields) == 2 and fields[1].isdigit():
                    yield "", (int(fields[1]), 0)
                elif (fields[0] == "T" and len(fields) == 4 and fields[2].isdigit()
                      and fields[3].isdigit()):
                    yield fields[1], (int(fields[2]), int(fields[3]))
                else:
                    problem = f"it printed a line that is not a count line ({line[:60]!r})"
                    process.kill()
                    break
        finally:
            process.stdout.close()
            code = process.wait()
        if code != 0 or problem or killed:
            stderr.seek(0)
            raise worker_failure("count", how_it_ended(code, killed, problem),
                                 f"share {part} of {parts}", stderr.read())


def run_weigher(
    binary: str, work: str, frequencies: str, inputs: list[str], options: list[str],
    part: int, parts: int, cwd: str, kill_after: float | None = None
) -> Iterator[int]:
    """Runs `cluster spark weigh` on share `part` of `parts`, which writes the share's rows to
    `work`; yields the share's number once it is written. A worker that fails raises
    RuntimeError with its exit code and stderr, so Spark logs it and retries the task (the
    share's file is written whole or not at all)."""
    environment = worker_environment()
    process = subprocess.Popen(
        [binary, "spark", "weigh", "--work", work, "--frequencies", frequencies, "--part",
         str(part), "--parts", str(parts), "--threads", "1", *options, *inputs],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env=environment, cwd=cwd, text=True,
    )
    if kill_after is not None:
        try:
            if kill_after > 0:
                process.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            pass
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
    _, message = process.communicate()
    # A worker that finished before the kill reached it still counts as killed, so the fault
    # test fails the attempt every time.
    if process.returncode != 0 or kill_after is not None:
        how = how_it_ended(process.returncode, killed=kill_after is not None)
        raise worker_failure("weigh", how, f"share {part} of {parts}", message)
    yield part


def add_counts(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    """The aggregation's sum of two shares' counts of one term."""
    return (a[0] + b[0], a[1] + b[1])


# MARK: - The driver


def forward_failure(code: int, stderr: str) -> JobError:
    """A failed driver step: its stderr goes to ours, and the job ends with its exit code."""
    sys.stderr.write(stderr)
    return JobError("", code)


def spark_failure_message(error: Exception) -> str:
    """The worker's own message out of a failed Spark job, else the Python exception's line,
    else the failure's first line."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    for line in lines:
        if "cluster spark task failed" in line or "ProtocolError" in line:
            return line
    for line in lines:
        if re.match(r"^[A-Za-z_][\w.]*(Error|Exception): ", line) and not line.startswith(
            ("org.apache", "java.", "py4j.")
        ):
            return line
    return lines[0] if lines else type(error).__name__


def run_job(
    context, arguments: JobArguments, log: Callable[[str], None] | None = None
) -> None:
    """Runs the job, writing `arguments.output`.

    `context` is a SparkContext, or a function that starts one (called first: the counts are
    a Spark job).

    - Throws: JobError with the exit code (a step's own, or 1 for a failed Spark job)."""
    from py4j.protocol import Py4JError
    from pyspark import SparkFiles

    log = log or (lambda message: None)
    scratch = tempfile.mkdtemp(prefix="storycluster-spark-")
    try:
        work = os.path.abspath(arguments.work) if arguments.work else os.path.join(scratch, "work")
        merged_path = arguments.merged or os.path.join(scratch, "merged.txt")

        requested = arguments.tasks or default_tasks(arguments.master)
        sc = context() if callable(context) else context
        binary_name = os.path.basename(arguments.cluster)
        sc.addFile(arguments.cluster)
        if __name__ != "__main__":
            # Imported (as the tests do): the task's functions are pickled by reference, so the
            # executors need this module.
            sc.addPyFile(os.path.abspath(__file__))

        def worker_binary() -> str:
            binary = SparkFiles.get(binary_name)
            if not os.access(binary, os.X_OK):
                os.chmod(binary, 0o755)
            return binary

        # The document frequencies: every share counted in a task, added up in one
        # aggregation, written by the driver (one line a term) for prepare and finish.
        started = time.monotonic()
        os.makedirs(work, exist_ok=True)
        frequencies_path = os.path.join(work, "frequencies.txt")
        inputs, options, cwd = arguments.inputs, arguments.run_options, os.getcwd()

        # Each share reads the corpus (to take its articles in prepare's order) and counts
        # its part: two shares per core Spark has, at most the kernel's tasks.
        shares = max(1, min(requested, 2 * sc.defaultParallelism))

        kill_first = os.environ.get(KILL_FIRST_ENV) == "1"

        def count(index: int, parts: Iterable[int]) -> Iterator[tuple[str, tuple[int, int]]]:
            kill = kill_first and first_attempt_of_partition_0()
            for part in parts:
                yield from run_counter(worker_binary(), inputs, options, part, shares, cwd, kill)

        terms = 0
        try:
            counted = (
                sc.parallelize(range(shares), shares)
                .mapPartitionsWithIndex(count)
                .reduceByKey(add_counts)
                .sortByKey()
            )
            with open(frequencies_path, "w", encoding="utf-8") as out:
                for term, (documents, occurrences) in counted.toLocalIterator():
                    if term:
                        out.write(f"T {term} {documents} {occurrences}\n")
                        terms += 1
                    else:
                        out.write(f"D {documents}\n")
        except Py4JError as error:
            raise JobError(f"error: the Spark job failed: {spark_failure_message(error)}")
        log(f"count: {terms} terms from {shares} shares ({time.monotonic() - started:.2f} s)")

        # The rows: every share weighed in a task with the model made from the counts.
        started = time.monotonic()

        def weigh(index: int, parts: Iterable[int]) -> Iterator[int]:
            kill = 0.0 if kill_first and first_attempt_of_partition_0() else None
            for part in parts:
                yield from run_weigher(worker_binary(), work, frequencies_path, inputs, options,
                                       part, shares, cwd, kill)

        try:
            weighed = sc.parallelize(range(shares), shares).mapPartitionsWithIndex(weigh).collect()
        except Py4JError as error:
            raise JobError(f"error: the Spark job failed: {spark_failure_message(error)}")
        if sorted(weighed) != list(range(shares)):
            raise JobError(f"error: the weigh tasks wrote shares {sorted(weighed)}, not 0 to "
                           f"{shares - 1}")
        log(f"weigh: {shares} shares ({time.monotonic() - started:.2f} s)")

        started = time.monotonic()
        with tempfile.TemporaryFile(mode="w+") as prepare_stderr:
            prepare = subprocess.Popen(
                [arguments.cluster, "spark", "prepare", "--work", work, "--tasks",
                 str(requested), "--frequencies", frequencies_path, "--rows", str(shares),
                 *arguments.run_options,
                 *arguments.inputs],
                stdout=subprocess.PIPE, stderr=prepare_stderr, text=True,
            )
            header_line, _ = prepare.communicate()
            prepare_stderr.seek(0)
            if prepare.returncode != 0:
                raise forward_failure(prepare.returncode, prepare_stderr.read())
            prepare_warnings = prepare_stderr.read()
            sys.stderr.write(prepare_warnings)
        try:
            header = json.loads(header_line.strip().splitlines()[-1])
            rows, blocks = int(header["rows"]), int(header["blocks"])
            capacity = {"N": int(header["neighbor_capacity"]), "E": int(header["edge_capacity"])}
            plan = [[str(unit) for unit in units] for units in header["tasks"]]
        except (ValueError, KeyError, IndexError, TypeError) as error:
            raise JobError(f"error: cluster spark prepare printed no header line "
                           f"({error}): {header_line[:200]!r}")
        log(f"prepare: {rows} rows in {blocks} blocks, capacities N {capacity['N']} "
            f"E {capacity['E']} ({time.monotonic() - started:.2f} s)")

        tasks = max(1, len(plan))

        def task(index: int, assigned: Iterable[list[str]]) -> Iterator[tuple[Key, Value]]:
            units = [unit for task_units in assigned for unit in task_units]
            if not units:
                return iter(())
            kill = kill_first and first_attempt_of_partition_0()
            return run_worker(worker_binary(), work, units, capacity, index, kill)

        # Each merge partition is sorted by key as the reduce leaves it, spilling to disk past
        # the Python worker's memory (as sortByKey does).
        sort_megabytes = 0.9 * memory_megabytes(
            sc.getConf().get("spark.python.worker.memory", "512m") or "512m"
        )

        def sort_partition(items: Iterable[tuple[Key, Value]]) -> Iterator[tuple[Key, Value]]:
            from pyspark.shuffle import ExternalSorter

            return iter(ExternalSorter(sort_megabytes).sorted(items, key=lambda item: item[0]))

        # The merged rows come to the driver a partition at a time (two with prefetching), so
        # a partition holds at most ROWS_PER_MERGE_PARTITION rows' candidates (about 3 KB of
        # text each with the default 200 edges): the driver's JVM heap stays small.
        merge_partitions = max(tasks, -(-rows // ROWS_PER_MERGE_PARTITION))
        started = time.monotonic()
        records = (
            sc.parallelize(plan or [[]], tasks)
            .mapPartitionsWithIndex(task)
            .reduceByKey(merge_values, partition_count(merge_partitions),
                         range_partitioner(rows, merge_partitions))
            .mapPartitions(sort_partition)
        )
        lines = 0
        try:
            with open(merged_path, "w", encoding="utf-8") as merged:
                for key, value in records.toLocalIterator(prefetchPartitions=True):
                    for line in format_record(key, value):
                        merged.write(line)
                        merged.write("\n")
                        lines += 1
        except Py4JError as error:  # the job failed (a task failed on its every attempt)
            raise JobError(f"error: the Spark job failed: {spark_failure_message(error)}")
        log(f"tasks: {tasks} over {blocks} row blocks, {lines} merged lines "
            f"({time.monotonic() - started:.2f} s)")

        started = time.monotonic()
        finish = subprocess.run(
            [arguments.cluster, "spark", "finish", "--work", work, "--merged", merged_path,
             "--frequencies", frequencies_path, "--rows", str(shares), *arguments.run_options, "--format", "json", "--output", arguments.output,
             *arguments.inputs],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        if finish.returncode != 0:
            raise forward_failure(finish.returncode, finish.stderr)
        # finish reads the corpus again: its warnings (--skip-invalid's) were prepare's already.
        already = set(prepare_warnings.splitlines())
        sys.stderr.writelines(
            line for line in finish.stderr.splitlines(keepends=True)
            if line.rstrip("\n") not in already
        )
        sys.stdout.write(finish.stdout)
        log(f"finish: {arguments.output} ({time.monotonic() - started:.2f} s)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def default_tasks(master: str | None) -> int:
    """Tasks for the kernel when --tasks is not given: two per core of a `local[N]` (or
    `local[N,F]`, `local[*]`) master, else 64 (on a cluster, pass about 2-4 per executor core)."""
    found = re.fullmatch(r"local(?:\[(\*|\d+)(?:,\d+)?\])?", master or "local[*]")
    if not found:
        return 64
    cores = found.group(1)
    if cores is None:
        count = 1
    elif cores == "*":
        count = os.cpu_count() or 1
    else:
        count = int(cores)
    return 2 * max(1, count)


def spark_context(master: str | None):
    """A SparkContext for the job: `master` if given, else the launcher's (spark-submit's
    --master; pyspark's own launcher says local[*])."""
    from pyspark import SparkConf, SparkContext

    # Start the gateway first, so the conf holds what spark-submit was given (--master, --conf)
    # and the defaults below fill in only what it was not.
    SparkContext._ensure_initialized()
    conf = SparkConf().setIfMissing("spark.app.name", "storycluster")
    if master:
        conf.setMaster(master)
    else:
        conf.setIfMissing("spark.master", "local[2]")
    conf.setIfMissing("spark.ui.enabled", "false")
    conf.set("spark.ui.showConsoleProgress", "false")  # pyspark's launcher turns it on
    conf.setIfMissing("spark.log.level", "WARN")
    return SparkContext.getOrCreate(conf)


def main(argv: Sequence[str]) -> int:
    arguments = parse_arguments(argv)

    def log(message: str) -> None:
        print(f"storycluster-spark: {message}", file=sys.stderr, flush=True)

    contexts = []

    def start():
        started = time.monotonic()
        sc = spark_context(arguments.master)
        contexts.append(sc)
        log(f"Spark {sc.version} on {sc.master} ({time.monotonic() - started:.2f} s to start)")
        return sc

    try:
        run_job(start, arguments, log)
    except JobError as error:
        if str(error):
            print(error, file=sys.stderr)
        return error.code
    finally:
        for sc in contexts:
            sc.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
