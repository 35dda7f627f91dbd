# Starts and stops a private MariaDB server for tests, on a unix socket of
# its own and no TCP port, with its data under a directory the caller
# chooses. Source this file; it defines two functions.
#
#   mariadb_start DIR     starts the server (creating DIR on first use) and
#                         exports AA_TEST_MYSQL_SOCKET
#   mariadb_stop DIR      stops it

mariadb_start() {
  local dir=$1
  local data=$dir/data
  local socket=$dir/mysqld.sock
  mkdir -p "$dir"
  # A server left running by an interrupted run holds the data directory.
  mariadb_stop "$dir"
  # Temporary tables go under DIR, because two installs at the same moment
  # in a shared /tmp can pick the same temporary table file and fail.
  local tmp=$dir/tmp
  mkdir -p "$tmp"
  if [ ! -d "$data/mysql" ]; then
    mariadb-install-db --no-defaults --user=root --auth-root-authentication-method=socket \
      --datadir="$data" --tmpdir="$tmp" >"$dir/install.log" 2>&1 || { cat "$dir/install.log"; return 1; }
  fi
  # The tests connect through the socket only. Without a TCP port, two runs
  # that start at the same moment cannot pick the same port and collide.
  # --no-defaults must come first: Debian's my.cnf points at /run/mysqld.
  mariadbd --no-defaults --user=root --datadir="$data" --socket="$socket" --skip-networking \
    --tmpdir="$tmp" --pid-file="$dir/mysqld.pid" --skip-log-bin \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_bin \
    --innodb-buffer-pool-size=64M --innodb-log-file-size=16M \
    >"$dir/server.log" 2>&1 &
  local waited=0
  until mariadb --no-defaults -uroot --socket="$socket" -e 'SELECT 1' >/dev/null 2>&1; do
    sleep 0.2
    waited=$((waited + 1))
    if [ $waited -gt 150 ]; then
      echo "MariaDB did not start within 30 s; its log:" >&2
      tail -n 30 "$dir/server.log" >&2
      return 1
    fi
  done
  export AA_TEST_MYSQL_SOCKET=$socket
}

mariadb_stop() {
  local dir=$1
  if [ -f "$dir/mysqld.pid" ]; then
    kill "$(cat "$dir/mysqld.pid")" 2>/dev/null || true
    local waited=0
    while [ -f "$dir/mysqld.pid" ] && [ $waited -lt 100 ]; do
      sleep 0.2
      waited=$((waited + 1))
    done
  fi
}
