# Shared by package.sh and the package tests (sourced after lib.sh): the publisher's key,
# finding the built artefacts, whether a window drew something, the Wine prefix and its
# server. Callers define say() and die().

# publisher_ldflags FILE: reads the publisher's public key (base64, as 'build/release
# keygen -pub' writes it) from FILE, or none when FILE is empty. Sets publisher_flags
# (the -X ldflag stamping app/update.PublicKey, with a leading space; empty without a key)
# and publisher_note (a line saying what the build will do); on a bad file it returns 1
# with publisher_error set. The TEST-ONLY key is refused: a release must never trust it.
publisher_ldflags() {
  local file=$1 key
  publisher_flags= publisher_note= publisher_error=
  if [[ -z $file ]]; then
    publisher_note="WARNING: no PUBLISHER_PUB: these builds never update themselves (the app says so)"
    return 0
  fi
  [[ -f $file ]] || { publisher_error="PUBLISHER_PUB: no file at '$file'"; return 1; }
  key=$(tr -d ' \t\r\n' <"$file")
  python3 -c 'import base64, sys; sys.exit(0 if len(base64.b64decode(sys.argv[1], validate=True)) == 32 else 1)' "$key" 2>/dev/null ||
    { publisher_error="PUBLISHER_PUB: '$file' does not hold an ed25519 public key (32 bytes of base64; make one with 'go run ./build/release keygen')"; return 1; }
  local test_key
  test_key=$(sed -n 's/^const TestOnlyPublicKey = "\(.*\)"$/\1/p' sync/release/testkey.go)
  [[ $key != "$test_key" ]] ||
    { publisher_error="PUBLISHER_PUB: '$file' is the TEST-ONLY key everyone knows: a release must be signed with the publisher's own key"; return 1; }
  publisher_flags=" -X github.com/ecert-desktop/ecert-desktop/app/update.PublicKey=$key"
  publisher_note="updates: releases must be signed by the key in $file ($(printf '%s' "$key" | base64 -d | sha256sum | cut -c1-16))"
}

# test_bin NAME PACKAGE: builds the Linux program PACKAGE once for all the package tests,
# as build/out/test-package/bin/NAME, and prints its path. Go relinks only when a source
# changed, so the second test that asks for it waits a second, not a link.
test_bin() {
  local bin=$PWD/build/out/test-package/bin/$1
  mkdir -p "$(dirname "$bin")"
  go build -o "$bin" "$2" || die "$2 does not build"
  echo "$bin"
}

# newest_artefact GLOB WHAT: the newest file matching GLOB in build/out/package/, or die.
newest_artefact() {
  local f
  f=$(ls -t build/out/package/$1 2>/dev/null | head -1 || true)
  [[ -n $f && -s $f ]] || die "no $2 in build/out/package/ (run 'make package' first)"
  echo "$PWD/$f"
}

# screen_drawn DISPLAY PNG: takes a screenshot of the whole screen into PNG; succeeds
# when it is not blank (enough contrast and colours, as smoke.sh judges it); sets
# drawn_stats to what was measured.
screen_drawn() {
  local display=$1 shot=$2 stddev colours
  import -display "$display" -window root "$shot" 2>/dev/null || die "could not take a screenshot of $display"
  stddev=$(convert "$shot" -format '%[fx:standard_deviation]' info:)
  colours=$(identify -format '%k' "$shot")
  drawn_stats="standard deviation $stddev, $colours colours"
  python3 -c "import sys; sys.exit(0 if float('$stddev') > 0.02 and int('$colours') > 50 else 1)"
}

# setup_wine_prefix LOG: makes $WINEPREFIX (once: about a minute) and puts in it what Go
# programs need and Wine 8.0 lacks. The caller exports WINEPREFIX and WINEDEBUG.
setup_wine_prefix() {
  local log=$1
  if [[ ! -f $WINEPREFIX/system.reg ]]; then
    say "creating the Wine prefix (once)"
    wineboot -i >>"$log" 2>&1 || true
    wineserver -w
    [[ -f $WINEPREFIX/system.reg ]] || { tail -20 "$log" >&2; die "wineboot made no prefix in $WINEPREFIX"; }
  fi
  # Go 1.22+ needs ProcessPrng from bcryptprimitives.dll (Windows 10+); Wine 8.0 lacks
  # it. A stand-in, for this prefix only (see build/packaging/windows/wine/).
  local shim=$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll
  local src=build/packaging/windows/wine/bcryptprimitives.c
  if [[ ! -f $shim ]] || [[ $src -nt $shim ]]; then
    x86_64-w64-mingw32-gcc -shared -O2 -s -o "$shim" "$src" build/packaging/windows/wine/bcryptprimitives.def \
      -ladvapi32 || die "could not build the bcryptprimitives stand-in"
  fi
}

# wine_server_start: keeps this prefix's wineserver (and Wine's services) running until
# the caller's cleanup runs 'wineserver -k'. Otherwise each wine command starts them
# again and reloads the registry: about twice as slow (the packaging README has the
# figures). With a server that stays, 'wineserver -w' would never return: wait for the
# programs with wine_wait instead.
wine_server_start() {
  # (It fails when one already runs for this prefix: that one is used.)
  wineserver -p 2>/dev/null || true
}

# wine_wait: waits until no program runs in $WINEPREFIX but Wine's own (under
# C:\windows), e.g. an uninstaller that went on from a copy in %TEMP% after the one
# started had returned. Gives up after 120 s.
wine_wait() {
  local deadline=$((SECONDS + 120)) busy p env cmd
  while ((SECONDS < deadline)); do
    busy=
    for p in $(pgrep -f '\.exe' || true); do
      env=$(tr '\0' '\n' 2>/dev/null <"/proc/$p/environ") || continue
      [[ $'\n'$env$'\n' == *$'\n'"WINEPREFIX=$WINEPREFIX"$'\n'* ]] || continue
      cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline") || continue
      # A Windows program's command line starts with its Windows path.
      [[ $cmd =~ ^[A-Za-z]:\\ && ${cmd,,} != 'c:\windows\'* ]] && busy="$busy $cmd"
    done
    [[ -z $busy ]] && return 0
    sleep 0.5
  done
  die "Wine programs still running after 120 s:$busy"
}
