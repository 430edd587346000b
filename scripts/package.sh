#!/usr/bin/env bash
# Makes the Berth package: the `berth` client compiled ahead of time (NativeAOT, trimmed: no .NET needed, starts in
# milliseconds) and the `berth-server` it hands `berth server` over to (framework-dependent: it needs the .NET 10 and
# ASP.NET Core 10 runtimes; see docs/cli.md#the-package for why). Output, in artifacts/package/:
#   berth-VERSION-RID/          berth, berth-server, the server's assemblies
#   berth-VERSION-RID.tar.gz    the same folder, packed
# Not part of the quick start (the AOT compile takes a few CPU-minutes); .ci/run calls it before the tests, which then
# run the compiled client (tests/Berth.Tests/Aot). Usage: scripts/package.sh [RID] (default: this machine's, linux-x64).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
say() { echo "package: $*" >&2; }

case "${1:-$(uname -m)}" in
  x86_64 | linux-x64) rid=linux-x64 ;;
  aarch64 | arm64 | linux-arm64) rid=linux-arm64 ;;
  *) say "unsupported machine or RID '${1:-$(uname -m)}' (linux-x64, linux-arm64)"; exit 2 ;;
esac

# NativeAOT links with the system's C toolchain.
if ! command -v clang >/dev/null && ! command -v gcc >/dev/null; then
  say "installing clang (apt-get): NativeAOT links with it"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang) >/dev/null
fi

version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n1)"
[[ -n "$version" ]] || { say "no <Version> in Directory.Build.props"; exit 1; }
name="berth-$version-$rid"
out="$root/artifacts/package"
dir="$out/$name"
rm -rf "$dir" "$out/$name.tar.gz" "$out/.client-$rid"
mkdir -p "$dir"

started=$(date +%s)
say "server: dotnet publish src/Berth.Server -c Release -r $rid --self-contained false"
dotnet publish src/Berth.Server -c Release -r "$rid" --self-contained false -nologo -v q -clp:ErrorsOnly -o "$dir"
mv "$dir/Berth.Server" "$dir/berth-server"
# The server carries the client's assembly (the `server` options); not the client's JIT launcher.
rm -f "$dir/Berth.Cli" "$dir/Berth.Cli.runtimeconfig.json" "$dir/Berth.Cli.deps.json" "$dir"/*.pdb

say "client: dotnet publish src/Berth.Cli -c Release -r $rid (NativeAOT)"
dotnet publish src/Berth.Cli -c Release -r "$rid" -nologo -v q -clp:ErrorsOnly -o "$out/.client-$rid"
cp "$out/.client-$rid/Berth.Cli" "$dir/berth"
rm -rf "$out/.client-$rid"

tar -C "$out" -czf "$out/$name.tar.gz" "$name"
say "done in $(( $(date +%s) - started ))s: ${out#"$root/"}/$name.tar.gz ($(du -h "$out/$name.tar.gz" | cut -f1); client $(du -h "$dir/berth" | cut -f1))"
say "run it: $dir/berth --help   (berth server runs $dir/berth-server, same pid)"
