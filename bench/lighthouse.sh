#!/bin/sh
# Lighthouse (npm lighthouse 12.2.3, Debian's Chromium) on the home page and an
# article page, as a phone: prints the performance, accessibility, best
# practices and SEO scores. Serves a fresh production-mode demo install with
# gunicorn (DEBUG=0, page cache on) on a free port.
#   apt-get install -y chromium nodejs npm   (once)
#   bench/lighthouse.sh [RUNS]               (RUNS per page, best kept; default 1)
set -eu
cd "$(dirname "$0")/.."
RUNS="${1:-1}"
LH_DIR=var/lighthouse
if [ ! -x "$LH_DIR/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$LH_DIR"
  npm install --prefix "$LH_DIR" --no-audit --no-fund --silent lighthouse@12.2.3
fi
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
exec .venv/bin/python bench/lighthouse_run.py "$LH_DIR/node_modules/.bin/lighthouse" "$RUNS"
