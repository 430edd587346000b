#!/usr/bin/env bash
# Makes the Berth packages (docs/concepts/packaging.md). In artifacts/package/:
#   berth-VERSION-RID/               berth (the client, NativeAOT), berth-server (the server, self-contained single file,
#                                    with libe_sqlite3.so beside it), berth-server.service, README.md, SHA256SUMS
#   berth-VERSION-RID.tar.gz         that folder, packed; no .NET runtime needed on the target
#   berth-VERSION-RID.tar.gz.sha256  its checksum (sha256sum -c)
#   Berth.Tool.VERSION.nupkg         the `dotnet tool` package (framework-dependent: needs .NET 10 + ASP.NET Core 10)
#   SHA256SUMS                       checksums of the tarballs and the tool package here
# Usage: scripts/package.sh            this machine's RID only (what .ci/run calls before the tests)
#        scripts/package.sh --all      linux-x64 and linux-arm64
#        scripts/package.sh RID...     those (linux-x64, linux-arm64)
# The arm64 client is cross-compiled ahead of time with clang and Debian's arm64 libraries (installed with apt-get when
# missing); when that cannot be had, it is a self-contained single-file JIT build instead, said in its README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
say() { echo "package: $*" >&2; }

rid_of() {
  case "$1" in
    x86_64 | linux-x64) echo linux-x64 ;;
    aarch64 | arm64 | linux-arm64) echo linux-arm64 ;;
    *) say "unsupported machine or RID '$1' (linux-x64, linux-arm64, --all)"; exit 2 ;;
  esac
}
host="$(rid_of "$(uname -m)")"
rids=()
if [[ $# -eq 0 ]]; then rids=("$host"); fi
for arg in "$@"; do
  if [[ "$arg" == --all ]]; then rids+=(linux-x64 linux-arm64); else rids+=("$(rid_of "$arg")"); fi
done
mapfile -t rids < <(printf '%s\n' "${rids[@]}" | awk '!seen[$0]++')

apt_install() { (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@") >/dev/null 2>&1; }

# NativeAOT links with the system's C toolchain.
if ! command -v clang >/dev/null && ! command -v gcc >/dev/null; then
  say "installing clang (apt-get): NativeAOT links with it"
  apt_install clang
fi

# Cross-compiling ahead of time to the other architecture: clang as the cross linker, the target's C runtime and zlib,
# its objcopy to strip symbols. On Debian: its multiarch packages. Returns 1 when they cannot be had.
cross_toolchain() {
  local target=$1 arch=$2
  if command -v clang >/dev/null && command -v "$target-objcopy" >/dev/null && [[ -e "/usr/lib/$target/libz.a" || -e "/usr/lib/$target/libz.so" ]] \
     && [[ -d "/usr/lib/gcc-cross/$target" ]]; then
    return 0
  fi
  command -v apt-get >/dev/null || return 1
  say "installing the $arch cross toolchain (apt-get: clang, gcc-$target, binutils-$target, libc6-dev-$arch-cross, zlib1g-dev:$arch)"
  dpkg --add-architecture "$arch" 2>/dev/null || return 1
  apt_install clang llvm "gcc-$target" "binutils-$target" "libc6-dev-$arch-cross" "zlib1g-dev:$arch"
}

version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n1)"
[[ -n "$version" ]] || { say "no <Version> in Directory.Build.props"; exit 1; }
out="$root/artifacts/package"
mkdir -p "$out"
started=$(date +%s)

package_rid() {
  local rid=$1 name="berth-$version-$1" dir="$out/berth-$version-$1" client="AOT"
  rm -rf "$dir" "$out/$name.tar.gz" "$out/$name.tar.gz.sha256" "$out/.client-$rid"
  mkdir -p "$dir"

  # Self-contained, one file: no .NET runtime on the target. SQLite's native library stays beside it (extracting it at
  # start would need a writable folder, which the unit's ProtectSystem=strict does not give). ReadyToRun: Berth's and
  # its packages' assemblies compiled ahead of time (the runtime's own already are; not composite, which would compile
  # the whole framework again), as the Release build from a clone is (Directory.Build.targets).
  say "$rid server: dotnet publish src/Berth.Server -r $rid --self-contained true -p:PublishSingleFile=true -p:PublishReadyToRun=true"
  dotnet publish src/Berth.Server -c Release -r "$rid" --self-contained true -p:PublishSingleFile=true \
    -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=false -nologo -v q -clp:ErrorsOnly -o "$dir"
  mv "$dir/Berth.Server" "$dir/berth-server"
  # The client's assembly is inside berth-server (the `server` options); its loose files are not needed.
  rm -f "$dir"/*.pdb "$dir"/*.runtimeconfig.json "$dir"/*.deps.json "$dir/Berth.Cli"

  # PublishAot comes from the client's project file; set on the command line it would reach the core library too.
  local aot=()
  if [[ "$rid" != "$host" ]]; then
    local target=aarch64-linux-gnu arch=arm64
    [[ "$rid" == linux-x64 ]] && target=x86_64-linux-gnu arch=amd64
    if ! cross_toolchain "$target" "$arch"; then
      say "$rid client: no $target cross toolchain; making a self-contained single-file JIT client instead"
      aot=(-p:PublishAot=false -p:PublishSingleFile=true --self-contained true)
      client="JIT"
    fi
  fi
  say "$rid client: dotnet publish src/Berth.Cli -r $rid ($client)"
  dotnet publish src/Berth.Cli -c Release -r "$rid" ${aot[@]+"${aot[@]}"} -nologo -v q -clp:ErrorsOnly -o "$out/.client-$rid"
  cp "$out/.client-$rid/Berth.Cli" "$dir/berth"
  rm -rf "$out/.client-$rid"

  cp packaging/berth-server.service "$dir/"
  {
    cat packaging/README.md
    echo
    echo "## This package"
    echo "Berth $version for $rid, made $(date -u +%Y-%m-%d) from $(git rev-parse --short HEAD 2>/dev/null || echo 'an unknown commit')."
    if [[ "$client" == AOT ]]; then
      echo "\`berth\` is compiled ahead of time (NativeAOT)."
    else
      echo "\`berth\` is a self-contained single-file JIT build (no $rid cross toolchain where it was made): it needs no"
      echo ".NET runtime either, but starts in ~0.2 s a command instead of ~10 ms."
    fi
  } > "$dir/README.md"
  (cd "$dir" && sha256sum berth berth-server ./*.so berth-server.service README.md | sed 's: \./: :' > SHA256SUMS)

  tar -C "$out" -czf "$out/$name.tar.gz" "$name"
  (cd "$out" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
  say "$rid: ${out#"$root/"}/$name.tar.gz ($(du -h "$out/$name.tar.gz" | cut -f1); client $client $(du -h "$dir/berth" | cut -f1))"
}

for rid in "${rids[@]}"; do package_rid "$rid"; done

say "tool: dotnet pack src/Berth.Server (Berth.Tool, framework-dependent)"
rm -f "$out"/Berth.Tool.*.nupkg
dotnet pack src/Berth.Server -c Release -nologo -v q -clp:ErrorsOnly -o "$out"

(cd "$out" && sha256sum -- *.tar.gz *.nupkg > SHA256SUMS)
say "done in $(( $(date +%s) - started ))s; checksums in ${out#"$root/"}/SHA256SUMS"
say "run it: $out/berth-$version-${rids[0]}/berth --help   (berth server runs berth-server beside it, same pid)"
