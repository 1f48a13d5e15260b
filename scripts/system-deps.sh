#!/usr/bin/env bash
# Installs the Debian packages a target needs when missing (as root), else says what to run.
# Usage: scripts/system-deps.sh run|test|bench
set -euo pipefail
packages=(ffmpeg gettext) # gettext: compilemessages
case "${1:-run}" in
  # strace: proves probes open no other file; Java and npm: the Nu HTML Checker (tests/standards);
  # redis-server: a throwaway Redis for the Redis tests when REDIS_URL is not set
  test) packages+=(chromium espeak-ng strace default-jre-headless npm redis-server) ;;
  bench) packages+=(wrk espeak-ng) ;;
esac
binary_of() { case "$1" in ffmpeg) echo ffprobe ;; chromium) echo chromium ;; gettext) echo msgfmt ;; wrk) echo wrk ;; espeak-ng) echo espeak-ng ;;
  strace) echo strace ;; default-jre-headless) echo java ;; npm) echo npm ;; redis-server) echo redis-server ;; esac; }

missing=()
for package in "${packages[@]}"; do
  command -v "$(binary_of "$package")" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages; run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing from Debian's packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
