#!/usr/bin/env bash
# The s3a:// check: a search whose data, job file and run directory are on a real S3-compatible
# server on loopback (@20minutes/s3rver from the npm registry, pinned by .ci/s3rver/package-lock.json),
# reached through hadoop-aws (test scope, profile s3). Runs S3SearchCheck, which the README's `mvn -B test`
# leaves out: that command needs Java and Maven alone, this one Node.js too.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJL_OFFLINE=true

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
server=$(mktemp -d)
trap 'rm -rf "$server"' EXIT
cp .ci/s3rver/package.json .ci/s3rver/package-lock.json "$server/"
(cd "$server" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

# -Ps3 brings hadoop-aws (test scope); -Dtest names the class, which Surefire then runs though its
# name is outside the patterns of `mvn test`.
mvn -B ${MVN_OFFLINE:-} -Ps3 test -Dtest=S3SearchCheck \
  -Dfinegrained.s3rver.modules="$server/node_modules"
