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
