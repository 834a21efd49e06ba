#!/usr/bin/env bash
# Headless Chromium for the browser tests (webtest/), from Debian's packages.
#
#   deploy/browser.sh    install chromium and chromium-driver if /usr/bin/chromium is missing
#
# Idempotent: does nothing when Chromium is already installed. Needs root (apt-get).
set -euo pipefail

LOG_TAG=browser
# shellcheck source=lib/log.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/log.sh"

if [[ -x /usr/bin/chromium ]]; then
  log "chromium present: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  die "/usr/bin/chromium is missing and installing it needs root (apt-get)"
fi

export DEBIAN_FRONTEND=noninteractive
log "installing chromium and chromium-driver with apt-get"
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >/dev/null
log "installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
