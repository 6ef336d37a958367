# Sourced by scripts/test: make sure redis-server and redis-cli are on PATH (the Redis storage
# tests start a server with them, the Redis Cluster tests three, joined by redis-cli).
# Missing: installed with apt-get when running as root where apt-get exists; otherwise one line
# says what to install and the caller exits with status 2.

REDIS_TOOLS_HINT="scripts/test needs redis-server and redis-cli on PATH: install them (Debian/Ubuntu: sudo apt-get install redis-server; Fedora: sudo dnf install redis; macOS: brew install redis)"

have_redis_tools() {
    command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1
}

ensure_redis_tools() {
    if have_redis_tools; then
        return 0
    fi
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u 2>/dev/null)" = 0 ]; then
        echo "==> installing redis-server and redis-cli (apt-get install -y redis-server)"
        # An image with empty package lists needs an update first.
        DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server >/dev/null 2>&1 ||
            { apt-get update >/dev/null 2>&1 &&
                DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server >/dev/null 2>&1; } ||
            true
        hash -r
        if have_redis_tools; then
            return 0
        fi
    fi
    echo "error: $REDIS_TOOLS_HINT" >&2
    return 2
}
