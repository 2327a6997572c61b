#!/usr/bin/env bash
# ensure-wine32.sh — 32-bit Wine (/usr/lib/wine/wine, Debian wine32:i386),
# which runs the x86 DLL tests. Installs it when missing: adds the i386
# architecture to dpkg, then installs wine32:i386 (scripts/ensure-apt.sh runs
# apt-get update, no standard input). Fails loudly with the commands to run
# by hand when it cannot.
set -euo pipefail
wine=/usr/lib/wine/wine
[[ -x $wine ]] && exit 0
hint="install it by hand: sudo dpkg --add-architecture i386 && sudo apt-get update && sudo apt-get install wine32:i386"
sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
if ! dpkg --print-foreign-architectures | grep -qx i386; then
  echo "ensure-wine32: adding the i386 architecture to dpkg" >&2
  if ! $sudo dpkg --add-architecture i386; then
    echo "ensure-wine32: FAILED to add the i386 architecture; $hint" >&2
    exit 1
  fi
fi
if ! "$(dirname "$0")/ensure-apt.sh" "$wine:wine32:i386" || [[ ! -x $wine ]]; then
  echo "ensure-wine32: FAILED to install 32-bit Wine; $hint" >&2
  exit 1
fi
