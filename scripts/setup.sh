#!/usr/bin/env bash
# Installs whatever the build and the tests need and is missing; prints
# nothing when everything is already there. Safe to run any number of times.
#
#   - the Rust target wasm32-unknown-unknown (rustup)
#   - wasm-bindgen-cli, at exactly the version Cargo.toml pins for the
#     wasm-bindgen crate (the CLI and the crate must match)
#   - Debian packages: chromium (browser tests), chromium-driver,
#     poppler-utils (PDF checks), fonts-dejavu-core (DejaVu Sans, the font
#     the infographics are laid out with; copied into www/fonts/)
#   - npm devDependencies: binaryen (wasm-opt) and playwright-core
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

# Root, or sudo when there is one (apt needs it).
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

# ---- Rust -----------------------------------------------------------------
if ! command -v cargo >/dev/null 2>&1; then
    say "cargo is missing: install Rust with rustup first (https://rustup.rs)"
    exit 1
fi
if command -v rustup >/dev/null 2>&1; then
    if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        say "adding the Rust target wasm32-unknown-unknown"
        rustup target add wasm32-unknown-unknown
    fi
elif ! rustc --print target-list | grep -qx wasm32-unknown-unknown \
        || [ ! -d "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown" ]; then
    say "no rustup and no wasm32-unknown-unknown standard library: install it"
    exit 1
fi

# The version pinned in Cargo.toml: `wasm-bindgen = "=0.2.130"`.
WB_VERSION="$(sed -nE 's/^[[:space:]]*wasm-bindgen[[:space:]]*=[[:space:]]*"=?([0-9][0-9.]*)".*/\1/p' Cargo.toml | head -n1)"
if [ -z "$WB_VERSION" ]; then
    WB_VERSION="$(sed -nE 's/^[[:space:]]*wasm-bindgen[[:space:]]*=.*version[[:space:]]*=[[:space:]]*"=?([0-9][0-9.]*)".*/\1/p' Cargo.toml | head -n1)"
fi
if [ -z "$WB_VERSION" ]; then
    say "cannot read the wasm-bindgen version pinned in Cargo.toml"
    exit 1
fi
installed_wb="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$installed_wb" != "$WB_VERSION" ]; then
    say "installing wasm-bindgen-cli $WB_VERSION (found: ${installed_wb:-none}); this takes several minutes"
    cargo install wasm-bindgen-cli --version "$WB_VERSION" --force --quiet
fi

# ---- Debian packages --------------------------------------------------------
missing=()
for pkg in chromium chromium-driver poppler-utils fonts-dejavu-core; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if [ "${#missing[@]}" -gt 0 ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        say "missing ${missing[*]} and no apt-get: install them by hand"
        exit 1
    fi
    say "installing ${missing[*]} (apt)"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ---- npm devDependencies ----------------------------------------------------
if ! command -v npm >/dev/null 2>&1; then
    say "npm is missing: install Node.js 20 or later"
    exit 1
fi
# Re-run npm only when node_modules is missing or older than the lock file.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
        || [ ! -f node_modules/.package-lock.json ] \
        || [ package-lock.json -nt node_modules/.package-lock.json ] \
        || [ package.json -nt node_modules/.package-lock.json ]; then
    say "installing npm devDependencies (binaryen, playwright-core)"
    # No browser download: the tests drive Debian's chromium.
    export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
    if [ -f package-lock.json ]; then
        npm ci --no-audit --no-fund --loglevel=error >/dev/null
    else
        npm install --no-audit --no-fund --loglevel=error >/dev/null
    fi
fi
