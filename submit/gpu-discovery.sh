#!/usr/bin/env bash
# Spark GPU discovery script: prints this node's GPUs as one JSON object,
#   {"name":"gpu","addresses":["0","1"]}
# with CUDA device indices as addresses (what DJL's Device.gpu(index) takes).
# Use it as spark.worker.resource.gpu.discoveryScript (standalone) or
# spark.executor.resource.gpu.discoveryScript (YARN, Kubernetes); see docs/cluster.md.
#
# FINEGRAINED_FAKE_GPUS="0,1" prints those addresses instead of asking nvidia-smi: for tests of
# Spark's GPU scheduling on a machine without GPUs (the devices cannot be trained on).
set -euo pipefail

print() {  # addresses as arguments -> the JSON line
  local out='{"name":"gpu","addresses":[' sep=''
  for a in "$@"; do out+="$sep\"$a\""; sep=','; done
  echo "$out]}"
}

if [[ -n "${FINEGRAINED_FAKE_GPUS+set}" ]]; then
  IFS=', ' read -r -a fake <<< "$FINEGRAINED_FAKE_GPUS"
  print ${fake[@]+"${fake[@]}"}
  exit 0
fi

if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "gpu-discovery.sh: nvidia-smi not found on $(hostname): this node has no usable NVIDIA driver" >&2
  exit 1
fi
# One index per line; a node whose driver reports no GPU prints an empty list (Spark then says
# how many GPUs it wanted).
mapfile -t indices < <(nvidia-smi --query-gpu=index --format=csv,noheader | tr -d ' \r' | grep -E '^[0-9]+$' || true)
print ${indices[@]+"${indices[@]}"}
