# Shared steps of the emulators' end-to-end scripts, which source this file:
# a scratch directory removed on exit, a check counter, starting the binary
# on a free port and stopping it with SIGTERM. Needs bash and curl.

work=$(mktemp -d)
emulator_pid=""

cleanup() {
    if [[ -n "$emulator_pid" ]] && kill -0 "$emulator_pid" 2>/dev/null; then
        kill "$emulator_pid"
    fi
    rm -rf "$work"
}
trap cleanup EXIT

passed=0
failed=0
check() {
    local name=$1 expected=$2 actual=$3
    if [[ "$expected" == "$actual" ]]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $name: expected '$expected', got '$actual'" >&2
    fi
}

# Prints the HTTP status code of one curl request.
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

# check_usage_errors BINARY: bad command lines exit with status 2 and name
# the bad value, before the emulator binds any port.
check_usage_errors() {
    local output exit_status
    set +e
    output=$("$1" --port 70000 --data "$work" 2>&1)
    exit_status=$?
    set -e
    check "port out of range exits 2" "2" "$exit_status"
    check "port error names the value" "yes" "$(grep -q "invalid --port '70000'" <<<"$output" && echo yes || echo no)"

    set +e
    output=$("$1" --data "$work" --colour blue 2>&1)
    exit_status=$?
    set -e
    check "unknown option exits 2" "2" "$exit_status"
    check "unknown option is named" "yes" "$(grep -q "unknown option '--colour'" <<<"$output" && echo yes || echo no)"

    set +e
    "$1" --port 0 >/dev/null 2>&1
    exit_status=$?
    set -e
    check "missing --data exits 2" "2" "$exit_status"
}

# start_emulator BINARY DATA_DIR: starts it on a free port, waits up to ten
# seconds for the LISTENING line and sets base to its URL. Exits with the
# emulator's stderr when no LISTENING line comes.
start_emulator() {
    "$1" --port 0 --data "$2" >"$work/stdout" 2>"$work/stderr" &
    emulator_pid=$!
    for _ in $(seq 1 100); do
        grep -q '^LISTENING ' "$work/stdout" 2>/dev/null && break
        sleep 0.1
    done
    local port
    port=$(awk '/^LISTENING/ {print $2}' "$work/stdout")
    if [[ -z "$port" ]]; then
        echo "FAIL: emulator printed no LISTENING line; stderr:" >&2
        cat "$work/stderr" >&2
        exit 1
    fi
    base="http://127.0.0.1:$port"
}

# Stops the emulator with SIGTERM, checks for exit status 0, prints the
# counts and returns non-zero when any check failed.
stop_emulator_and_report() {
    kill -TERM "$emulator_pid"
    set +e
    wait "$emulator_pid"
    local exit_status=$?
    set -e
    emulator_pid=""
    check "clean exit on SIGTERM" "0" "$exit_status"

    echo "$passed passed, $failed failed"
    [[ $failed -eq 0 ]]
}
