# Starts and stops a private Redis server for tests, on a loopback port of
# its own, with its data (an append-only file, so a restart keeps the
# queue) under a directory the caller chooses. Source this file; it defines
# two functions.
#
#   redis_start DIR     starts the server (creating DIR) and exports
#                       AA_TEST_REDIS_PORT and AA_TEST_REDIS_DIR
#   redis_stop DIR      stops it

redis_start() {
  local dir=$1
  mkdir -p "$dir"
  # A server left running by an interrupted run holds the port and the files.
  redis_stop "$dir"
  # The first port of the range that no other run holds and where nothing
  # listens. Probing alone lets two runs that start at the same moment pick
  # the same port, so each port also has a lock file, and a run takes its
  # flock before it probes. The daemonized server inherits the locked
  # descriptor and holds the lock for as long as it runs.
  local port lock_fd=""
  for port in $(seq 36379 36479); do
    if { exec {lock_fd}>>"${TMPDIR:-/tmp}/aa-test-redis-port-$port.lock"; } 2>/dev/null; then
      if flock -n "$lock_fd" && ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
      exec {lock_fd}>&-
    fi
    lock_fd=""
  done
  if [ -z "$lock_fd" ]; then
    echo "Redis did not start: every port from 36379 to 36479 is in use or locked by another test run;" \
      "stop the servers of finished runs (ps -C redis-server)" >&2
    return 1
  fi
  redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --pidfile "$dir/redis.pid" \
    --daemonize yes --logfile "$dir/redis.log" --appendonly yes --appendfsync everysec \
    --save "" --protected-mode yes >/dev/null || { exec {lock_fd}>&-; tail -n 20 "$dir/redis.log" >&2; return 1; }
  exec {lock_fd}>&-
  local waited=0
  until redis-cli -p "$port" ping >/dev/null 2>&1; do
    sleep 0.1
    waited=$((waited + 1))
    if [ $waited -gt 100 ]; then
      echo "Redis did not start within 10 s; its log:" >&2
      tail -n 20 "$dir/redis.log" >&2
      return 1
    fi
  done
  export AA_TEST_REDIS_PORT=$port
  export AA_TEST_REDIS_DIR=$dir
}

redis_stop() {
  local dir=$1
  if [ -f "$dir/redis.pid" ]; then
    kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
    local waited=0
    while [ -f "$dir/redis.pid" ] && [ $waited -lt 100 ]; do
      sleep 0.1
      waited=$((waited + 1))
    done
    rm -f "$dir/redis.pid"
  fi
}
