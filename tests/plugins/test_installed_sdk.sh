#!/usr/bin/env bash
# Installs the Alliance Auth build into a temporary prefix, builds
# examples/hello_plugin against that prefix with only find_package, installs
# the plugin there and checks that the installed daemon loads it.
#
# usage: test_installed_sdk.sh CMAKE GENERATOR CXX_COMPILER BUILD_DIR SOURCE_DIR
set -euo pipefail

if [[ $# -ne 5 ]]; then
  echo "usage: $0 CMAKE GENERATOR CXX_COMPILER BUILD_DIR SOURCE_DIR" >&2
  exit 2
fi
cmake=$1
generator=$2
cxx_compiler=$3
build_dir=$4
source_dir=$5

work=$(mktemp -d "${TMPDIR:-/tmp}/aa-installed-sdk.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

# Runs a step quietly and prints its output only when it fails.
step() {
  local name=$1
  shift
  if ! "$@" >"$work/$name.log" 2>&1; then
    cat "$work/$name.log"
    echo "FAILED: $name: $*" >&2
    exit 1
  fi
}

step install-sdk "$cmake" --install "$build_dir" --prefix "$prefix"

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
step configure-example "$cmake" -S "$source_dir/examples/hello_plugin" -B "$work/build" -G "$generator" \
  -DCMAKE_CXX_COMPILER="$cxx_compiler" -DCMAKE_PREFIX_PATH="$prefix" "${launcher[@]}"

# find_package must have used the temporary prefix, not another installation.
sdk_dir=$(sed -n 's/^AllianceAuthSdk_DIR:PATH=//p' "$work/build/CMakeCache.txt")
if [[ $sdk_dir != "$prefix/lib/cmake/AllianceAuthSdk" ]]; then
  echo "FAILED: find_package used '$sdk_dir', expected $prefix/lib/cmake/AllianceAuthSdk" >&2
  exit 1
fi

step build-example "$cmake" --build "$work/build"
step install-example "$cmake" --install "$work/build"
plugin=$prefix/lib/allianceauth/plugins/hello.so
if [[ ! -f $plugin || ! -f $prefix/lib/allianceauth/plugins/hello/templates/hello/index.html ]]; then
  echo "FAILED: the example did not install hello.so and its templates into $prefix/lib/allianceauth/plugins" >&2
  exit 1
fi

# An instance with no plugin_dirs, so the daemon finds hello.so only in its
# own prefix. The greeting setting checks that the plugin's declared
# settings were registered, since `plugins` rejects unknown keys.
instance=$work/instance
mkdir -p "$instance/log" "$instance/var"
cat >"$instance/allianceauth.yaml" <<YAML
secret_key: "installed-sdk-test-0123456789-abcdefghijklmnop"
log:
  console: false
database:
  backend: sqlite3
  name: var/test.sqlite3
plugins:
  hello:
    greeting: "Welcome"
YAML

status=0
output=$("$prefix/bin/allianceauth" --config "$instance/allianceauth.yaml" plugins 2>&1) || status=$?
expected="hello  loaded  1.0.0  $plugin"
if [[ $status -ne 0 ]] || ! grep -qxF "$expected" <<<"$output"; then
  echo "$output"
  echo "FAILED: allianceauth plugins exited with $status; expected status 0 and the line: $expected" >&2
  exit 1
fi
echo "installed daemon loaded $plugin"
