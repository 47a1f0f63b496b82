#!/usr/bin/env bash
# Installs caseflow's build and test dependencies from Debian 12 packages.
# Run as root (CI) or with sudo available; a no-op where they are installed.
set -euo pipefail
packages=(
  build-essential cmake pkg-config git
  libboost-dev libboost-test-dev     # Boost.MSM (header-only) and Boost.Test
  libyaml-dev                        # rule and calendar files (parser)
  libyaml-cpp-dev                    # history files, replay
  libhowardhinnant-date-dev tzdata   # date/tz: business calendars, IANA zones
  libcli11-dev                       # the caseflow CLI
  libbenchmark-dev                   # bench/
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
