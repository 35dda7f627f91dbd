# Shared by extract, update and check: argument parsing and where a
# translation domain keeps its sources and catalogs. Sourced, not run.
#
# Core (the repository root) is domain "allianceauth": C++ in core/src,
# templates in templates/, catalogs in core/locale. A plugin directory is
# domain <directory name> unless --domain names another: C++ anywhere in
# it, templates in <dir>/templates, catalogs in <dir>/locale, the layout
# that aa_add_plugin() compiles.

set -euo pipefail

I18N_SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
I18N_REPO_ROOT=$(cd "$I18N_SCRIPT_DIR/../.." && pwd)

die() {
  echo "$(basename "$0"): $*" >&2
  exit 2
}

require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool not found; install GNU gettext (apt-get install gettext)"
  done
}

# Sets ROOT, DOMAIN, LOCALE_DIR, POT, CXX_DIRS and TEMPLATE_DIR for the
# directory $1 (the repository root when empty) and domain $2 (derived when empty).
resolve_domain() {
  local dir=${1:-$I18N_REPO_ROOT}
  [[ -d $dir ]] || die "$dir is not a directory"
  ROOT=$(cd "$dir" && pwd)
  if [[ $ROOT == "$I18N_REPO_ROOT" ]]; then
    DOMAIN=${2:-allianceauth}
    LOCALE_DIR=$ROOT/core/locale
    CXX_DIRS=(core/src sdk/src)
    TEMPLATE_DIR=templates
  else
    DOMAIN=${2:-$(basename "$ROOT")}
    LOCALE_DIR=$ROOT/locale
    CXX_DIRS=(.)
    TEMPLATE_DIR=templates
  fi
  [[ $DOMAIN =~ ^[A-Za-z0-9_.-]+$ ]] || die "invalid domain '$DOMAIN'; use letters, digits, '_', '.' or '-'"
  POT=$LOCALE_DIR/$DOMAIN.pot
}

# Prints the catalogs of the domain, one path a line, sorted.
list_catalogs() {
  local po
  for po in "$LOCALE_DIR"/*/LC_MESSAGES/"$DOMAIN".po; do
    [[ -f $po ]] && echo "$po"
  done
  return 0
}
