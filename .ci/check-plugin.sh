#!/usr/bin/env bash
# The plug-in path as a user takes it, against the packaged jar: the algorithm example of
# docs/search-algorithms.md compiled in a folder of its own, put in a jar, and selected by
# search_algorithm.type in a search run through the launcher's --jars.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[[ -f target/finegrained.jar && -f target/classpath.txt ]] || mvn -q -B -DskipTests package

mkdir -p "$work/src/com/example/search" "$work/classes/META-INF/services"
# The Java block after the plugin-example marker, as the docs show it.
awk '/<!-- plugin-example:/ {on=1; next} on && /^```java/ {code=1; next} code && /^```/ {exit} code {print}' \
  docs/search-algorithms.md > "$work/src/com/example/search/SequentialRandom.java"
javac -d "$work/classes" -cp "target/finegrained.jar:$(cat target/classpath.txt)" "$work/src/com/example/search/SequentialRandom.java"
echo com.example.search.SequentialRandom > "$work/classes/META-INF/services/io.finegrained.search.AlgorithmProvider"
(cd "$work/classes" && jar cf "$work/my-algorithms.jar" .)

cat > "$work/job.yml" <<YAML
search_algorithm: {type: SequentialRandom, samples: 4, seed: 2}
search_space:
  hyper_parameters:
    lr: {type: FLOAT_EXP, range: [0.0001, 0.1]}
    x0: {type: FLOAT, range: [0.0, 1.0]}
    depth: {type: CATEGORY, range: [18, 34, 50]}
    width: {type: INT, range: [16, 64]}
trial: {type: command, command: [java, $PWD/conf/examples/SyntheticTraining.java], timeout_s: 120}
objectives: {error: min, cost: min}
YAML
submit/finegrained --jars "$work/my-algorithms.jar" search "$work/job.yml" --output "$work/run" > "$work/out.txt"
rows=$(wc -l < "$work/run/trials.jsonl")
ok=$(grep -c '"status":"OK"' "$work/run/trials.jsonl" || true)
if [[ "$rows" -ne 4 || "$ok" -ne 4 ]]; then
  echo "plug-in check: expected 4 OK trials, found $rows rows ($ok OK)" >&2
  cat "$work/out.txt" >&2
  exit 1
fi
echo "plug-in check: a user algorithm from --jars ran 4 trials"
