#!/usr/bin/env bash
# End-to-end check of aa-discord-emulator over real HTTP: starts it on port
# 0, links a user (authorize, token, users/@me, add member), hits a rate
# limit and a fault with curl, then stops it with SIGTERM and expects a
# clean exit.
# Usage: end_to_end.sh PATH/TO/aa-discord-emulator PATH/TO/tests/data/discord
set -euo pipefail

source "$(dirname "$0")/../../common/end_to_end_lib.sh"

check_usage_errors "$1"
start_emulator "$1" "$2"

api="$base/api/v10"
guild=197038439483310086
nelly=80351110224678912
bot=(-H "Authorization: Bot aa-discord-bot-token")

# Link: authorize redirect, code exchange, users/@me, add member.
redirect_uri=http%3A%2F%2F127.0.0.1%2Fdiscord%2Fcallback%2F
redirect=$(curl -s -o /dev/null -w '%{redirect_url}' \
    "$base/oauth2/authorize?response_type=code&client_id=aa-discord-client&scope=identify%20guilds.join&state=e2e&redirect_uri=$redirect_uri&user_id=$nelly")
check "redirect keeps state" "e2e" "$(sed -n 's/.*[?&]state=\([^&]*\).*/\1/p' <<<"$redirect")"
code=$(sed -n 's/.*[?&]code=\([^&]*\).*/\1/p' <<<"$redirect")
tokens=$(curl -s -u aa-discord-client:aa-discord-secret -d grant_type=authorization_code -d "code=$code" \
    -d "redirect_uri=http://127.0.0.1/discord/callback/" "$api/oauth2/token")
access_token=$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<<"$tokens")
check "token response has an access token" "yes" "$([[ -n "$access_token" ]] && echo yes || echo no)"
me=$(curl -s -H "Authorization: Bearer $access_token" "$api/users/@me")
check "users/@me" "Nelly" "$(sed -n 's/.*"username":"\([^"]*\)".*/\1/p' <<<"$me")"
check "add member" "201" "$(status "${bot[@]}" -X PUT -H 'Content-Type: application/json' \
    -d "{\"access_token\":\"$access_token\",\"nick\":\"Nelly\"}" "$api/guilds/$guild/members/$nelly")"

# Rate limit: get member allows 5 per second, so the sixth of six requests
# sent within a few milliseconds is refused. Ten tries keep a slow machine
# from crossing a window edge in the middle of a burst.
refused=no
for _ in $(seq 1 10); do
    codes=$(curl -s -o /dev/null -o /dev/null -o /dev/null -o /dev/null -o /dev/null -o /dev/null -w '%{http_code} ' \
        "${bot[@]}" "$api/guilds/$guild/members/$nelly" "$api/guilds/$guild/members/$nelly" \
        "$api/guilds/$guild/members/$nelly" "$api/guilds/$guild/members/$nelly" \
        "$api/guilds/$guild/members/$nelly" "$api/guilds/$guild/members/$nelly")
    if [[ "$codes" == *429* ]]; then refused=yes; break; fi
    sleep 1
done
check "sixth get member within a second is refused" "yes" "$refused"
headers=$(curl -s -D - -o /dev/null "${bot[@]}" -X PUT "$api/guilds/$guild/members/$nelly/roles/41771983423143936")
check "bucket header" "yes" "$(grep -qi '^x-ratelimit-bucket: ' <<<"$headers" && echo yes || echo no)"

# Faults: an injected 429 and a dropped connection.
curl -s -o /dev/null -X POST -d '{"rate_limit":"global","count":1,"retry_after_ms":100}' "$base/_emulator/faults"
check "injected global 429" "429" "$(status "${bot[@]}" "$api/guilds/$guild")"
check "after the injected 429" "200" "$(status "${bot[@]}" "$api/guilds/$guild")"
curl -s -o /dev/null -X POST -d '{"api":"down"}' "$base/_emulator/faults"
set +e
curl -s -o /dev/null "${bot[@]}" "$api/guilds/$guild"
curl_exit=$?
set -e
check "api down closes the connection (curl exit 52: empty reply)" "52" "$curl_exit"
curl -s -o /dev/null -X DELETE "$base/_emulator/faults"
check "still serving after the faults" "200" "$(status "${bot[@]}" "$api/guilds/$guild")"

stop_emulator_and_report
