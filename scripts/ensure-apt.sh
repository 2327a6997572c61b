#!/usr/bin/env bash
# ensure-apt.sh CMD:PACKAGE... — install each Debian PACKAGE whose command CMD
# is missing. Runs non-interactively, waits for the dpkg lock, and runs
# 'apt-get update' at most once per call. Fails loudly with the install hint
# when the package cannot be installed, so a test never passes silently
# without its tool.
set -euo pipefail
missing=()
for spec in "$@"; do
  cmd=${spec%%:*}; pkg=${spec#*:}
  if [[ $cmd == /* ]]; then [[ -e $cmd ]] && continue
  else command -v "$cmd" >/dev/null 2>&1 && continue; fi
  missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
echo "ensure-apt: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
opts=(-o DPkg::Lock::Timeout=600 -y -q --no-install-recommends)
if ! { $sudo apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null &&
       $sudo apt-get "${opts[@]}" install ${missing[*]} >/dev/null; }; then
  echo "ensure-apt: FAILED to install: ${missing[*]}" >&2
  echo "ensure-apt: install them by hand: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
