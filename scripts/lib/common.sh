# Shared by scripts/run and scripts/test: installs what is missing, builds
# with ccache into one build tree. Source it from the repository root.

AA_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
AA_BUILD=${AA_BUILD:-$AA_ROOT/build}

# Debian 12 packages the build, the tests, the demo and the benchmarks need.
AA_PACKAGES=(
  g++ cmake ninja-build pkg-config ccache gettext
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-locale1.81-dev
  libsoci-dev libsqlite3-dev libmariadb-dev libhiredis-dev libyaml-cpp-dev
  libcurl4-openssl-dev libctemplate-dev doctest-dev libssl-dev libsodium-dev
  libfmt-dev libspdlog-dev libicu-dev
  mariadb-server redis-server sqlite3 curl jq nodejs npm chromium wrk
)

# ccache rewrites paths below the source tree as relative ones and ignores
# the working directory, so a fresh clone in another place reuses the cache.
export CCACHE_BASEDIR=$AA_ROOT
export CCACHE_NOHASHDIR=1

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Installs the packages of AA_PACKAGES that are not installed yet. Needs root,
# as the README's set-up does; without root it names what is missing.
ensure_packages() {
  local missing=()
  local package
  for package in "${AA_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then return 0; fi
  # A command that provides the package's program is enough (e.g. a newer
  # node from elsewhere stands in for Debian's nodejs and npm).
  local still_missing=()
  for package in "${missing[@]}"; do
    case $package in
      nodejs) command -v node >/dev/null || still_missing+=("$package") ;;
      npm) command -v npm >/dev/null || still_missing+=("$package") ;;
      *) still_missing+=("$package") ;;
    esac
  done
  if [ ${#still_missing[@]} -eq 0 ]; then return 0; fi
  if [ "$(id -u)" != 0 ]; then
    die "missing packages: ${still_missing[*]}; run as root or install them with apt-get"
  fi
  log "installing ${still_missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${still_missing[@]}" >/dev/null || die "apt-get install failed"
}

# Installs the front-end packages when node_modules is missing or older
# than package-lock.json.
ensure_frontend() {
  if [ -d "$AA_ROOT/node_modules" ] && [ "$AA_ROOT/node_modules/.package-lock.json" -nt "$AA_ROOT/package-lock.json" ]; then
    return 0
  fi
  log "installing front-end packages with npm"
  (cd "$AA_ROOT" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
}

# Configures (once) and builds the one build tree. Pass -DAA_BUILD_TESTS=OFF
# for a daemon-only build.
build() {
  if [ ! -f "$AA_BUILD/build.ninja" ]; then
    log "configuring $AA_BUILD"
    cmake -S "$AA_ROOT" -B "$AA_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null ||
      die "cmake configure failed"
  elif [ $# -gt 0 ]; then
    cmake "$AA_BUILD" "$@" >/dev/null || die "cmake configure failed"
  fi
  log "building"
  ninja -C "$AA_BUILD" || die "build failed"
}
