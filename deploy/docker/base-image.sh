#!/usr/bin/env bash
# Build the Python base image for machines without a container registry (docs/docker.md):
# mmdebstrap makes a Debian root file system from this machine's own apt sources, with python3,
# a virtualenv at /opt/venv on PATH (so `python` and `pip` behave as in the official image), the
# machine's extra CA certificates and its pip configuration; `docker import` turns it into an image.
#
#   deploy/docker/base-image.sh            prints the image name (builds it when missing)
#
# The tarball is cached under BASE_IMAGE_CACHE (default ~/.cache/clinical-task-gateway), keyed on
# everything that goes into it: the Debian suite and sources, the package set, the CA
# certificates, the pip configuration and this script. Delete the directory to rebuild.
# Needs root (or mmdebstrap's unshare mode), mmdebstrap and a running docker daemon (DOCKER_HOST).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

PACKAGES="python3,python3-venv,python3-pip,ca-certificates,passwd"
suite="$(. /etc/os-release && echo "${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}")"
cache="${BASE_IMAGE_CACHE:-${HOME:-/root}/.cache/clinical-task-gateway}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# apt's own sources (one-line and deb822 files; disabled ones have other extensions).
: > "$work/sources"
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    if [[ "$f" == *.sources ]]; then cat "$f"; echo; else grep -E '^\s*deb(-src)?\s' "$f" || true; fi
done > "$work/sources"
# mmdebstrap reads the file's format from its name.
if grep -q '^Types:' "$work/sources"; then mv "$work/sources" "$work/apt.sources"; src="$work/apt.sources"
else mv "$work/sources" "$work/sources.list"; src="$work/sources.list"; fi
# apt options that matter for fetching: proxies, TLS and snapshot validity.
apt-config dump | grep -E '^Acquire::(https?|ftp)::|^Acquire::(Check-Valid-Until|Check-Date|Retries) ' \
    > "$work/apt.conf" || true
"${PYTHON:-python3}" "$here/pip_config.py" > "$work/pip.conf"
mkdir -p "$work/ca"
cp /usr/local/share/ca-certificates/*.crt "$work/ca/" 2>/dev/null || true

key="$( { echo "$suite $PACKAGES"; cat "$src" "$work/apt.conf" "$work/pip.conf" "$0"; \
          cat "$work"/ca/*.crt 2>/dev/null || true; } | sha256sum | cut -c1-12)"
image="clinical-task-gateway-base:${suite}-${key}"
if docker image inspect "$image" >/dev/null 2>&1; then
    echo "$image"; exit 0
fi
tarball="$cache/base-${suite}-${key}.tar"
if [ ! -f "$tarball" ] || [ ! -s "$tarball" ]; then
    mkdir -p "$cache"
    echo "building $image with mmdebstrap (suite $suite, packages $PACKAGES)" >&2
    mmdebstrap --variant=minbase --format=tar --include="$PACKAGES" --aptopt="$work/apt.conf" \
        --customize-hook="cp $work/ca/. \"\$1/usr/local/share/ca-certificates/\" -r" \
        --customize-hook='chroot "$1" update-ca-certificates' \
        --customize-hook="cp $work/pip.conf \"\$1/etc/pip.conf\"" \
        --customize-hook='chroot "$1" python3 -m venv /opt/venv' \
        --customize-hook='rm -rf "$1"/var/cache/apt/*.bin "$1"/usr/share/doc "$1"/usr/share/man' \
        "$suite" "$tarball.partial" "$src" >"$work/mmdebstrap.log" 2>&1 \
        || { tail -30 "$work/mmdebstrap.log" >&2; rm -f "$tarball.partial"; exit 1; }
    mv "$tarball.partial" "$tarball"
fi
docker import \
    --change 'ENV PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["python3"]' \
    "$tarball" "$image" >/dev/null
echo "$image"
