#!/usr/bin/env bash
# finegrained through a cluster's own spark-submit (standalone, YARN, Kubernetes).
#
#   submit/spark-submit.sh [--gpu] [--trial-cores N] [--dry-run] SPARK_SUBMIT_OPTIONS... \
#       search CONF [--output DIR] [--resume]
#
# Everything before the finegrained command (search, train, explain) goes to spark-submit as is
# (--master, --deploy-mode, --num-executors, --conf ...); the rest goes to finegrained.
# The application is target/finegrained-cluster.jar (mvn -Pcluster package: Spark is the
# cluster's, DJL and the CPU libtorch are inside), built when missing or older than the sources.
#
# Options of this script:
#   --trial-cores N  each executor has N cores and runs one trial with all of them
#                    (spark.executor.cores=N, spark.task.cpus=N): one DJL training per JVM.
#   --gpu            one GPU per executor and per task (spark.executor/task.resource.gpu.amount=1),
#                    the discovery script for YARN (shipped) and Kubernetes (in the image), and
#                    PYTORCH_FLAVOR=cu128 for the executors; see docs/cluster.md.
#   --dry-run        print the spark-submit command instead of running it (builds nothing).
# In cluster deploy mode (--deploy-mode cluster) the driver's report goes to its container's log;
# after a search that succeeded this script prints where the run's outputs are (its --output).
# Environment:
#   SPARK_SUBMIT             the spark-submit to run (default: $SPARK_HOME/bin/spark-submit, then PATH)
#   FINEGRAINED_CLUSTER_JAR  use this application jar instead of building one
#   FINEGRAINED_MAIN         another main class (as for submit/finegrained; the tests use it)
#   PYTORCH_LIBRARY_PATH     with --gpu: the libtorch 2.7.1+cu128 lib folder on the nodes
#   FINEGRAINED_GPU_DISCOVERY with --gpu on Kubernetes: the discovery script's path in the image
#                            (default /opt/finegrained/gpu-discovery.sh)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

gpu=false dry_run=false trial_cores="" master="" deploy_mode=client
submit_args=() app_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    search | train | explain) app_args=("$@"); break ;;
    --gpu) gpu=true; shift ;;
    --dry-run) dry_run=true; shift ;;
    --trial-cores)
      [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || { echo "spark-submit.sh: --trial-cores needs a positive number" >&2; exit 2; }
      trial_cores=$2; shift 2 ;;
    --master) [[ $# -ge 2 ]] || { echo "spark-submit.sh: --master needs a URL" >&2; exit 2; }
      master=$2; submit_args+=("$1" "$2"); shift 2 ;;
    --master=*) master=${1#--master=}; submit_args+=("$1"); shift ;;
    --deploy-mode) [[ $# -ge 2 ]] || { echo "spark-submit.sh: --deploy-mode needs client or cluster" >&2; exit 2; }
      deploy_mode=$2; submit_args+=("$1" "$2"); shift 2 ;;
    --deploy-mode=*) deploy_mode=${1#--deploy-mode=}; submit_args+=("$1"); shift ;;
    --conf) [[ $# -ge 2 ]] || { echo "spark-submit.sh: --conf needs KEY=VALUE" >&2; exit 2; }
      [[ "$2" == spark.submit.deployMode=* ]] && deploy_mode=${2#spark.submit.deployMode=}
      submit_args+=("$1" "$2"); shift 2 ;;
    *) submit_args+=("$1"); shift ;;
  esac
done
if [[ ${#app_args[@]} -eq 0 ]]; then
  echo "usage: submit/spark-submit.sh [--gpu] [--trial-cores N] [--dry-run] SPARK_SUBMIT_OPTIONS... search CONF [options]" >&2
  exit 2
fi

submit=${SPARK_SUBMIT:-}
if [[ -z "$submit" ]]; then
  if [[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]]; then
    submit="$SPARK_HOME/bin/spark-submit"
  elif command -v spark-submit >/dev/null 2>&1; then
    submit=spark-submit
  elif ! $dry_run; then
    echo "spark-submit.sh: no spark-submit found: set SPARK_HOME to the cluster's Spark 3.5 (Scala 2.12)" \
         "or SPARK_SUBMIT to its spark-submit; on one machine use submit/finegrained instead" >&2
    exit 1
  else
    submit=spark-submit
  fi
fi

jar=${FINEGRAINED_CLUSTER_JAR:-$root/target/finegrained-cluster.jar}
if [[ -z "${FINEGRAINED_CLUSTER_JAR:-}" ]] && ! $dry_run; then
  if [[ ! -f "$jar" || -n "$(find "$root/pom.xml" "$root/src/main" -newer "$jar" -print -quit 2>/dev/null)" ]]; then
    echo "spark-submit.sh: building $jar (mvn -Pcluster -DskipTests package) ..." >&2
    (cd "$root" && mvn -q -B -Pcluster -DskipTests package) 1>&2 || { echo "spark-submit.sh: the build failed" >&2; exit 1; }
  fi
fi

opens=""
for module in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
    java.util.concurrent java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens+=" --add-opens=java.base/$module=ALL-UNNAMED"
done
opens=${opens# }

# Ours first: a --conf given by the user comes later and wins.
conf=(
  --conf "spark.driver.extraJavaOptions=$opens -Dai.djl.offline=true"
  --conf "spark.executor.extraJavaOptions=$opens -Dai.djl.offline=true"
  --conf spark.executorEnv.DJL_OFFLINE=true
  --conf spark.yarn.appMasterEnv.DJL_OFFLINE=true
  --conf spark.kubernetes.driverEnv.DJL_OFFLINE=true
)
# glibc malloc settings for libtorch (io.finegrained.train.NativeAllocator): the driver (client
# mode) inherits them from here, executors get them through spark.executorEnv.
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-1} MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-134217728} \
  MALLOC_TRIM_THRESHOLD_=${MALLOC_TRIM_THRESHOLD_:-268435456}
for setting in MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX MALLOC_MMAP_THRESHOLD_=$MALLOC_MMAP_THRESHOLD_ \
    MALLOC_TRIM_THRESHOLD_=$MALLOC_TRIM_THRESHOLD_; do
  conf+=(--conf "spark.executorEnv.$setting")
done
if [[ -n "$trial_cores" ]]; then
  conf+=(--conf "spark.executor.cores=$trial_cores" --conf "spark.task.cpus=$trial_cores")
fi
files=()
if $gpu; then
  conf+=(--conf spark.executor.resource.gpu.amount=1 --conf spark.task.resource.gpu.amount=1
         --conf spark.executorEnv.PYTORCH_FLAVOR=cu128 --conf spark.executorEnv.PYTORCH_VERSION=2.7.1)
  if [[ -n "${PYTORCH_LIBRARY_PATH:-}" ]]; then
    conf+=(--conf "spark.executorEnv.PYTORCH_LIBRARY_PATH=$PYTORCH_LIBRARY_PATH")
  fi
  case "$master" in
    yarn)
      # YARN localizes --files into each container's working folder, executable.
      files=(--files "$root/submit/gpu-discovery.sh")
      conf+=(--conf spark.executor.resource.gpu.discoveryScript=./gpu-discovery.sh) ;;
    k8s://*)
      conf+=(--conf spark.executor.resource.gpu.vendor=nvidia.com
             --conf "spark.executor.resource.gpu.discoveryScript=${FINEGRAINED_GPU_DISCOVERY:-/opt/finegrained/gpu-discovery.sh}") ;;
    spark://*)
      echo "spark-submit.sh: on a standalone cluster each worker declares its GPUs" \
           "(spark.worker.resource.gpu.amount and spark.worker.resource.gpu.discoveryScript in its own" \
           "configuration); see docs/cluster.md" >&2 ;;
  esac
fi

command=("$submit" --class "${FINEGRAINED_MAIN:-io.finegrained.cli.Main}" "${conf[@]}" ${files[@]+"${files[@]}"}
         ${submit_args[@]+"${submit_args[@]}"} "$jar" "${app_args[@]}")
if $dry_run; then
  printf '%q ' "${command[@]}"; echo
  exit 0
fi
export DJL_OFFLINE=true
if [[ "$deploy_mode" != cluster ]]; then
  exec "${command[@]}"
fi
# In cluster deploy mode the driver runs in the cluster and its report (the front, where the run
# is) goes to its container's log: say here where the run directory is.
output=""
for ((i = 0; i < ${#app_args[@]}; i++)); do
  case "${app_args[i]}" in
    --output) output=${app_args[i+1]:-} ;;
    --output=*) output=${app_args[i]#--output=} ;;
  esac
done
status=0
"${command[@]}" || status=$?
if [[ $status -eq 0 && -n "$output" && "${app_args[0]}" == search ]]; then
  echo "finegrained: the run's outputs are in $output (trials.jsonl, the front, models/); the driver's report is in its log (YARN: yarn logs -applicationId ID)"
fi
exit $status
