#!/usr/bin/env bash
# Runs the StoryCluster Spark job: the same report as `cluster run CORPUS --format json`.
#
#   bash spark/submit.sh [--master URL] CORPUS... OUT.json [job options] [-- cluster run options]
#
# --master defaults to local[2] (use local[N,F] for F attempts per task in local mode). Job
# options: --tasks T, --work DIR (see storycluster_job.py). The cluster binary is
# $STORYCLUSTER_CLUSTER, else .build/release/cluster (built when missing). Needs Java 17 or later
# and pyspark (python3 -m pip install -r spark/requirements.txt). Exit codes are the job's:
# 0 success, 64 usage, 65 bad input data, 1 other failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

master="local[2]"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --master) [ $# -ge 2 ] || { echo "error: --master needs a URL" >&2; exit 64; }
      master="$2"; shift 2 ;;
    --master=*) master="${1#--master=}"; shift ;;
    --) args+=("$@"); break ;;
    *) args+=("$1"); shift ;;
  esac
done

cluster="${STORYCLUSTER_CLUSTER:-$root/.build/release/cluster}"
if [ ! -x "$cluster" ]; then
  if [ -n "${STORYCLUSTER_CLUSTER:-}" ]; then
    echo "error: STORYCLUSTER_CLUSTER=$cluster is not an executable file" >&2
    exit 1
  fi
  echo "submit.sh: building the cluster binary (swift build -c release --product cluster)" >&2
  (cd "$root" && swift build -c release --product cluster >&2) || {
    echo "error: could not build $cluster" >&2; exit 1; }
fi

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! command -v "$java" >/dev/null 2>&1; then
  echo "error: Spark needs Java 17 or later, and there is no java on PATH or in JAVA_HOME;" \
    "install it (apt-get install openjdk-17-jre-headless)" >&2
  exit 1
fi
java_major="$("$java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
if [ -z "$java_major" ] || [ "$java_major" -lt 17 ]; then
  echo "error: Spark needs Java 17 or later; $java is ${java_major:-of an unknown version}" \
    "(apt-get install openjdk-17-jre-headless, or point JAVA_HOME at a newer one)" >&2
  exit 1
fi

python="${PYSPARK_PYTHON:-python3}"
if ! "$python" -c 'import pyspark' 2>/dev/null; then
  echo "error: pyspark is not installed for $python; install it with" \
    "$python -m pip install -r $here/requirements.txt" >&2
  exit 1
fi

# The job runs under python3 itself, not spark-submit: spark-submit's Python runner sends the
# driver's stderr to stdout, and the diagnostics (a bad record's file:line) belong on stderr.
# pyspark still starts the JVM through spark-submit; give it more options in
# PYSPARK_SUBMIT_ARGS (ending in pyspark-shell) or $SPARK_CONF_DIR/spark-defaults.conf.
export PYSPARK_PYTHON="$python"
# The driver JVM streams the merged rows to the job a partition at a time; 2 GiB leaves room
# (pyspark's default is 1 GiB). Set PYSPARK_SUBMIT_ARGS yourself to choose.
export PYSPARK_SUBMIT_ARGS="${PYSPARK_SUBMIT_ARGS:---driver-memory ${STORYCLUSTER_DRIVER_MEMORY:-2g} pyspark-shell}"
exec "$python" "$here/storycluster_job.py" --master "$master" --cluster "$cluster" "${args[@]}"
