#!/usr/bin/env bash
# Makes Debian's headless `chromium` and the Noto CJK fonts available for the report's
# browser test (cmd/safetyrisk/zz_report_browser_integration_test.go) and for `safetyrisk report --pdf`:
# uses them when they are there, installs the Debian packages `chromium` and
# `fonts-noto-cjk` when running as root with apt-get, and otherwise says what the test
# will do. Waits for the dpkg lock (another apt-get may be running). Never fails the build: under CI=true the test itself fails when the browser
# or the fonts are missing.
set -u
have_fonts() { fc-list :lang=zh 2>/dev/null | grep -qi 'noto.*cjk'; }
browser() { command -v chromium || command -v chromium-browser; }
if browser >/dev/null 2>&1 && have_fonts; then
  echo "chromium: $($(browser) --version 2>/dev/null | head -1), fonts-noto-cjk present"
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "chromium: installing Debian packages 'chromium' and 'fonts-noto-cjk'..."
  export DEBIAN_FRONTEND=noninteractive
  pkgs="chromium fonts-noto-cjk fontconfig"
  if (apt-get install -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends $pkgs >/tmp/safetyrisk-apt-chromium.log 2>&1 ||
      { apt-get update -q -o DPkg::Lock::Timeout=600 >>/tmp/safetyrisk-apt-chromium.log 2>&1 &&
        apt-get install -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends $pkgs >>/tmp/safetyrisk-apt-chromium.log 2>&1; }); then
    fc-cache -f >/dev/null 2>&1 || true
    if browser >/dev/null 2>&1 && have_fonts; then
      echo "chromium: $($(browser) --version 2>/dev/null | head -1), fonts-noto-cjk present"
      exit 0
    fi
  fi
  echo "chromium: install failed (see /tmp/safetyrisk-apt-chromium.log)"
fi
if [ "${CI:-}" = true ]; then
  echo "chromium or fonts-noto-cjk missing: under CI=true the report's browser test will FAIL."
else
  echo "SKIP: chromium or fonts-noto-cjk not available (not root, no apt-get, or install failed):"
  echo "      the report's browser test will be skipped; 'safetyrisk report --pdf' will say how to print."
fi
exit 0
