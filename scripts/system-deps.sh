#!/usr/bin/env bash
# Installs the Debian packages the project needs, only if one is missing:
#   site:  the libraries WeasyPrint opens (GLib, Pango, PangoFT2, HarfBuzz and its subsetter,
#          fontconfig) and the DejaVu fonts embedded in the PDFs. Without libharfbuzz-subset0
#          WeasyPrint falls back to fontTools for subsetting and the build prints a notice;
#   tests: Chromium (browser tests, never a browser download) and poppler-utils (reading PDFs).
# Options: --tests adds the test packages; --list prints the package names, one a line, and
# installs nothing (tests/test_system_deps.py checks the list against what a build loads).
set -euo pipefail
usage="usage: scripts/system-deps.sh [--tests] [--list]"
tests=0
list=0
for arg in "$@"; do
  case "$arg" in
    --tests) tests=1 ;;
    --list) list=1 ;;
    *) echo "error: unknown option '$arg'; $usage" >&2; exit 2 ;;
  esac
done
want=(
  libglib2.0-0 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0
  libfontconfig1 fonts-dejavu-core
)
if [ "$tests" -eq 1 ]; then
  want+=(chromium poppler-utils)
fi
if [ "$list" -eq 1 ]; then
  printf '%s\n' "${want[@]}"
  exit 0
fi
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "error: run as root, or install them first: apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
