# Shared by the package tests (sourced after lib.sh): finding the built artefacts, and
# whether a window drew something. Callers define say() and die().

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
