#!/usr/bin/env bash
# Start a local Redis on 127.0.0.1:6379 when none answers (tests of the shared state and of the multi-process
# topology). Memory only, no persistence; it keeps running for later runs, like the PostgreSQL cluster.
set -euo pipefail
if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then exit 0; fi
echo "== starting redis-server on 127.0.0.1:6379"
redis-server --bind 127.0.0.1 --port 6379 --save "" --appendonly no --daemonize yes >/dev/null
for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && exit 0; sleep 0.1; done
echo "redis-server did not start" >&2
exit 1
