#!/usr/bin/env bash
# Builds the local base image dotnet-base:10 WITHOUT any registry, from this host's own
# .NET runtime (see /work/shared/recipes.md, recipe 1):
#   - /usr/share/dotnet/{dotnet,host,shared/Microsoft.NETCore.App,shared/Microsoft.AspNetCore.App}
#   - the ELF interpreter and every library `ldd` reports for dotnet, the runtime's .so files,
#     curl and sh; plus what .NET dlopens at run time: libssl.so.3, libcrypto.so.3,
#     libz.so.1 and ICU (libicu*.so.72)
#   - /etc/passwd + /etc/group with an `app` user (uid 1654, like Microsoft's images),
#     CA certificates, /tmp (1777)
#   - curl (for compose/Swarm healthchecks) and /bin/sh (dash, for CMD-SHELL healthchecks)
# then `docker import` with PATH, DOTNET_ROOT and ASPNETCORE_HTTP_PORTS=8080.
#
# Usage: scripts/base-image.sh [--force] [--tag NAME:TAG]   (default tag dotnet-base:10)
# Skips the build when the image exists, unless --force.
set -euo pipefail

tag="dotnet-base:10"
force=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --force) force=1 ;;
    --tag) tag="$2"; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "base-image: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

say() { echo "base-image: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

command -v docker >/dev/null || die "docker CLI not found (run scripts/start-docker.sh)"
docker info >/dev/null 2>&1 || die "Docker engine not reachable (run scripts/start-docker.sh)"

verify() {
  say "verify: docker run --rm $tag dotnet --list-runtimes"
  docker run --rm "$tag" dotnet --list-runtimes
  docker run --rm "$tag" curl --version | head -n1
}

if [[ $force -eq 0 ]] && docker image inspect "$tag" >/dev/null 2>&1; then
  say "$tag already exists (use --force to rebuild)"
  verify
  exit 0
fi

dotnet_root="${DOTNET_ROOT:-/usr/share/dotnet}"
[[ -x "$dotnet_root/dotnet" ]] || dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
[[ -x "$dotnet_root/dotnet" ]] || die "no .NET install found (looked at $dotnet_root)"
netcore="$(ls -d "$dotnet_root"/shared/Microsoft.NETCore.App/10.* 2>/dev/null | sort -V | tail -n1)"
aspnet="$(ls -d "$dotnet_root"/shared/Microsoft.AspNetCore.App/10.* 2>/dev/null | sort -V | tail -n1)"
[[ -n "$netcore" && -n "$aspnet" ]] || die "Microsoft.NETCore.App / Microsoft.AspNetCore.App 10.x not found under $dotnet_root/shared"
command -v curl >/dev/null || die "curl not found on the host (apt-get install curl)"

root="$(mktemp -d -t dotnet-base.XXXXXX)"
trap 'rm -rf "$root"' EXIT
say "rootfs in $root (runtime $(basename "$netcore"), aspnet $(basename "$aspnet"))"

# Merged-/usr layout, like Debian 12.
mkdir -p "$root"/usr/{bin,lib,lib64,share/dotnet/shared} "$root"/etc/ssl/certs "$root"/tmp "$root"/app "$root"/data \
  "$root"/proc "$root"/sys "$root"/dev
ln -s usr/bin "$root/bin"; ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"; ln -s usr/bin "$root/sbin"
chmod 1777 "$root/tmp"

# .NET: the muxer, host fxr and the two shared frameworks only.
cp -a "$dotnet_root/dotnet" "$root/usr/share/dotnet/"
cp -a "$dotnet_root/host" "$root/usr/share/dotnet/"
mkdir -p "$root/usr/share/dotnet/shared/Microsoft.NETCore.App" "$root/usr/share/dotnet/shared/Microsoft.AspNetCore.App"
cp -a "$netcore" "$root/usr/share/dotnet/shared/Microsoft.NETCore.App/"
cp -a "$aspnet" "$root/usr/share/dotnet/shared/Microsoft.AspNetCore.App/"
ln -s ../share/dotnet/dotnet "$root/usr/bin/dotnet"

# Tools for healthchecks.
cp -L "$(command -v curl)" "$root/usr/bin/curl"
cp -L /bin/sh "$root/usr/bin/sh"

# Libraries: what ldd reports for the ELF files, plus what .NET dlopens.
libdir=/usr/lib/x86_64-linux-gnu
extra=()
for name in libssl.so.3 libcrypto.so.3 libz.so.1 libicuuc.so.72 libicui18n.so.72 libicudata.so.72; do
  [[ -e "$libdir/$name" ]] && extra+=("$libdir/$name") || say "warning: $libdir/$name not found"
done
elfs=("$dotnet_root/dotnet" "$dotnet_root"/host/fxr/*/libhostfxr.so "$netcore"/*.so "$aspnet"/*.so \
      "$(command -v curl)" /bin/sh "${extra[@]}")
declare -A seen=()
copy_lib() {  # copy the file (dereferenced) to the same path in the rootfs
  local p="$1"
  [[ -n "${seen[$p]:-}" ]] && return 0
  seen[$p]=1
  mkdir -p "$root$(dirname "$p")"
  cp -L "$p" "$root$p"
}
for e in "${elfs[@]}"; do
  [[ -e "$e" ]] || continue
  while read -r line; do
    case "$line" in
      *liblttng*"not found"*) ;;  # optional LTTng tracing provider, only loaded when tracing is on
      *"not found"*) say "warning: ldd $e: $line" ;;
      *"=> /"*) copy_lib "$(awk '{print $3}' <<<"$line")" ;;
      /*) copy_lib "$(awk '{print $1}' <<<"$line")" ;;
    esac
  done < <(ldd "$e" 2>/dev/null || true)
done
for x in "${extra[@]}"; do copy_lib "$x"; done
# OpenSSL engines/providers are not needed for TLS defaults; the config file is.
[[ -f /etc/ssl/openssl.cnf ]] && cp /etc/ssl/openssl.cnf "$root/etc/ssl/openssl.cnf"

# Users, certificates, name resolution basics.
cat >"$root/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
app:x:1654:1654:app:/app:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/sh
P
cat >"$root/etc/group" <<'G'
root:x:0:
app:x:1654:
nogroup:x:65534:
G
if [[ -f /etc/ssl/certs/ca-certificates.crt ]]; then
  cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
else
  say "warning: /etc/ssl/certs/ca-certificates.crt not found (no CA certificates in the image)"
fi
echo 'hosts: files dns' >"$root/etc/nsswitch.conf"
mkdir -p "$root/root" && chmod 700 "$root/root"
chown -R 1654:1654 "$root/app" "$root/data"

say "rootfs size: $(du -sh "$root" | cut -f1); importing as $tag"
tar -C "$root" -c . | docker import \
  -c 'ENV PATH=/usr/share/dotnet:/usr/bin:/bin' \
  -c 'ENV DOTNET_ROOT=/usr/share/dotnet' \
  -c 'ENV ASPNETCORE_HTTP_PORTS=8080' \
  -c 'WORKDIR /app' \
  -m "dotnet-base from host runtime $(basename "$netcore") (scripts/base-image.sh)" \
  - "$tag" >/dev/null
verify
