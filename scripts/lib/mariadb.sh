# Starts and stops a private MariaDB server for tests, on a socket and a
# loopback port of its own, with its data under a directory the caller
# chooses. Source this file; it defines two functions.
#
#   mariadb_start DIR     starts the server (creating DIR on first use) and
#                         exports AA_TEST_MYSQL_SOCKET, AA_TEST_MYSQL_PORT
#   mariadb_stop DIR      stops it

mariadb_start() {
  local dir=$1
  local data=$dir/data
  local socket=$dir/mysqld.sock
  mkdir -p "$dir"
  # A server left running by an interrupted run holds the data directory.
  mariadb_stop "$dir"
  if [ ! -d "$data/mysql" ]; then
    mariadb-install-db --no-defaults --user=root --auth-root-authentication-method=socket \
      --datadir="$data" >"$dir/install.log" 2>&1 || { cat "$dir/install.log"; return 1; }
  fi
  # The first port of the range where nothing listens.
  local port
  for port in $(seq 33306 33406); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  done
  # --no-defaults must come first: Debian's my.cnf points at /run/mysqld.
  mariadbd --no-defaults --user=root --datadir="$data" --socket="$socket" --port="$port" \
    --bind-address=127.0.0.1 --pid-file="$dir/mysqld.pid" --skip-log-bin \
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
  export AA_TEST_MYSQL_PORT=$port
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
