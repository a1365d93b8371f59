#!/bin/sh
# Article page uncached, from the app cache, through nginx, and a static file
# from nginx; then purge latency. The work is in http_cache.py (a Python file
# named http.py would shadow the standard library's http package here).
# Usage: bench/http.sh [--articles 10000] [--seconds 10] [--redis URL] [--reuse DIR]
cd "$(dirname "$0")/.." || exit 1
exec .venv/bin/python bench/http_cache.py "$@"
