#!/usr/bin/env bash
# End-to-end check of aa-eve-emulator over real HTTP: starts it on port 0,
# runs the login flow and a few ESI and fault cases with curl, then stops it
# with SIGTERM and expects a clean exit.
# Usage: end_to_end.sh PATH/TO/aa-eve-emulator PATH/TO/tests/data
set -euo pipefail

source "$(dirname "$0")/../../common/end_to_end_lib.sh"

check_usage_errors "$1"
start_emulator "$1" "$2"

# Login: authorize redirect, code exchange, second exchange rejected.
redirect=$(curl -s -o /dev/null -w '%{redirect_url}' \
    "$base/v2/oauth/authorize?response_type=code&client_id=aa-demo-client&redirect_uri=http%3A%2F%2Flocalhost%2Fcallback&scope=publicData%20esi-location.read_location.v1&state=e2e&character_id=2112000004")
check "redirect keeps state" "e2e" "$(sed -n 's/.*[?&]state=\([^&]*\).*/\1/p' <<<"$redirect")"
code=$(sed -n 's/.*[?&]code=\([^&]*\).*/\1/p' <<<"$redirect")
tokens=$(curl -s -u aa-demo-client:aa-demo-secret -d grant_type=authorization_code -d "code=$code" "$base/v2/oauth/token")
access_token=$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<<"$tokens")
check "token response has an access token" "yes" "$([[ -n "$access_token" ]] && echo yes || echo no)"
check "code reuse" "400" "$(status -u aa-demo-client:aa-demo-secret -d grant_type=authorization_code -d "code=$code" "$base/v2/oauth/token")"

# ESI with the token, and public routes over one keep-alive connection.
check "location with token" "200" "$(status -H "Authorization: Bearer $access_token" "$base/latest/characters/2112000004/location/")"
check "two requests on one connection" "200200" \
    "$(curl -s -o /dev/null -o /dev/null -w '%{http_code}' "$base/latest/status/" "$base/v5/corporations/98370861/")"
check "affiliation 404 rule" "404" "$(status -X POST -d '[2112000001,1]' "$base/latest/characters/affiliation/")"

# Size cap: a 2 MB body gets 413, not a crash.
head -c 2000000 /dev/zero | tr '\0' '1' >"$work/big"
check "oversized body" "413" "$(status -X POST --data-binary @"$work/big" "$base/latest/characters/affiliation/")"

# Faults: 5xx count, dropped connection, slow response.
curl -s -o /dev/null -X POST -d '{"esi":"5xx","status":502,"count":1}' "$base/_emulator/faults"
check "injected 502" "502" "$(status "$base/latest/status/")"
check "after the injected 502" "200" "$(status "$base/latest/status/")"
curl -s -o /dev/null -X POST -d '{"esi":"down"}' "$base/_emulator/faults"
set +e
curl -s -o /dev/null "$base/latest/status/"
curl_exit=$?
set -e
check "esi down closes the connection (curl exit 52: empty reply)" "52" "$curl_exit"
curl -s -o /dev/null -X POST -d '{"esi":"slow","delay_ms":700}' "$base/_emulator/faults"
elapsed=$(curl -s -o /dev/null -w '%{time_total}' "$base/latest/status/")
check "slow response takes the delay" "yes" "$(awk -v t="$elapsed" 'BEGIN { print (t >= 0.7 ? "yes" : "no") }')"
curl -s -o /dev/null -X DELETE "$base/_emulator/faults"
check "still serving after the faults" "200" "$(status "$base/latest/status/")"

stop_emulator_and_report
