#!/usr/bin/env bash
# Draws the teamsfix icon with ImageMagick (no fonts needed: plain shapes) and writes
#   assets/teamsfix-256.png  (window icon for the GUI)
#   assets/teamsfix-64.png   (the same at 64 px, the Windows exe's window icon: its size budget)
#   assets/teamsfix.ico      (256/48/32/16 px, embedded into the Windows exes by build.rs)
# Drawn at 1024 px and scaled down, so the edges are anti-aliased.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/assets"
mkdir -p "$out"
convert_bin=/usr/bin/convert
[ -x "$convert_bin" ] || convert_bin=convert
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# 1024 px master: indigo rounded square, white "T", white badge with an indigo check mark.
"$convert_bin" -size 1024x1024 xc:none \
  -fill '#4B53BC' -stroke none -draw 'roundrectangle 32,32 991,991 200,200' \
  -fill white -draw 'roundrectangle 200,220 720,340 28,28' \
  -draw 'roundrectangle 400,220 520,800 28,28' \
  -fill white -stroke '#4B53BC' -strokewidth 36 -draw 'circle 712,712 712,492' \
  -fill none -stroke '#4B53BC' -strokewidth 78 -draw 'stroke-linecap round stroke-linejoin round polyline 606,718 686,798 830,634' \
  "$tmp/master.png"

"$convert_bin" "$tmp/master.png" -filter Lanczos -resize 256x256 -strip "PNG32:$out/teamsfix-256.png"
for s in 48 32 16; do
  "$convert_bin" "$tmp/master.png" -filter Lanczos -resize "${s}x${s}" -strip "PNG32:$tmp/icon-$s.png"
done
"$convert_bin" "$out/teamsfix-256.png" "$tmp/icon-48.png" "$tmp/icon-32.png" "$tmp/icon-16.png" "$out/teamsfix.ico"
"$convert_bin" "$out/teamsfix-256.png" -filter Lanczos -resize 64x64 -strip "PNG32:$out/teamsfix-64.png"
# Every image PNG-compressed (ImageMagick writes the small ones as plain bitmaps).
python3 "$(dirname "$0")/ico_png.py" "$out/teamsfix.ico"
echo "wrote $out/teamsfix-256.png and $out/teamsfix.ico"
