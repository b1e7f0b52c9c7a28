#!/usr/bin/env bash
# Makes `prometheus` and `promtool` available for the integration tests: uses them when
# they are on PATH, installs Debian's `prometheus` package when running as root with
# apt-get, and otherwise says what will be skipped and why. Never fails the build.
set -u
if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
  echo "prometheus: $(prometheus --version 2>&1 | head -1)"
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "prometheus: installing Debian package 'prometheus' (gives prometheus and promtool)..."
  export DEBIAN_FRONTEND=noninteractive
  if (apt-get install -y -q --no-install-recommends prometheus >/tmp/safetyrisk-apt.log 2>&1 ||
      { apt-get update -q >>/tmp/safetyrisk-apt.log 2>&1 &&
        apt-get install -y -q --no-install-recommends prometheus >>/tmp/safetyrisk-apt.log 2>&1; }); then
    # The package may start a service; the tests start their own on other ports.
    echo "prometheus: $(prometheus --version 2>&1 | head -1)"
    exit 0
  fi
  echo "prometheus: install failed (see /tmp/safetyrisk-apt.log)"
fi
echo "SKIP: prometheus/promtool not available (not root, no apt-get, or install failed):"
echo "      the tests against a real Prometheus and the promtool checks will be skipped."
exit 0
