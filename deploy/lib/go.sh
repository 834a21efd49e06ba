# shellcheck shell=bash
# Shared by the deploy scripts (sourced, not run; needs lib/log.sh): the Go toolchain the
# scripts build their tools with (Temporal CLI and server) is /usr/local/go, which a
# non-login shell may not have on its PATH.

setup_go() {
  case ":$PATH:" in
    *:/usr/local/go/bin:*) ;;
    *) PATH="/usr/local/go/bin:$PATH" ;;
  esac
  export PATH
}

require_go() {
  command -v go >/dev/null 2>&1 || die "go not found (expected in /usr/local/go/bin)"
}
