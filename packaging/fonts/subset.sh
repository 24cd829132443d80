#!/usr/bin/env bash
# Regenerates the two fonts bundled into the app (assets/fonts/) from egui's own default fonts
# (crate epaint_default_fonts, in cargo's registry after `cargo fetch`):
#
#   UbuntuLight-teamsfix.ttf  proportional: Latin, Greek, Cyrillic, punctuation, arrows, maths
#   Hack-teamsfix.ttf         monospace: Latin and punctuation (other scripts fall back to the
#                             proportional font, as in egui's defaults)
#
# What is dropped and why (see assets/fonts/README.md): polytonic Greek, private-use icons, Hack's
# box drawing and maths, glyph names, device metrics (hdmx, VDMX) and the TrueType hinting
# programs: egui hints glyphs itself (skrifa's autohinter) when a font brings none.
# The fonts are renamed as their licences ask of modified versions (Ubuntu Font Licence 2c).
#
# Needs python3-fonttools (Debian) or `pip install fonttools`.
# Usage: packaging/fonts/subset.sh [FOLDER WITH Ubuntu-Light.ttf AND Hack-Regular.ttf]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/assets/fonts"
src="${1:-}"
find_fonts() {
  local d
  for d in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/epaint_default_fonts-0.37.0/fonts; do
    [ -f "$d/Ubuntu-Light.ttf" ] && src="$d"
  done
  return 0
}
if [ -z "$src" ]; then
  find_fonts
  if [ -z "$src" ]; then
    # The app no longer depends on the crate: let cargo fetch it into its registry cache.
    tmp="$(mktemp -d)"
    mkdir -p "$tmp/src" && : >"$tmp/src/lib.rs"
    printf '[package]\nname = "fetch-fonts"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\nepaint_default_fonts = "=0.37.0"\n' >"$tmp/Cargo.toml"
    (cd "$tmp" && cargo fetch -q) || true
    rm -rf "$tmp"
    find_fonts
  fi
fi
[ -n "$src" ] && [ -f "$src/Ubuntu-Light.ttf" ] && [ -f "$src/Hack-Regular.ttf" ] || {
  echo "subset.sh: egui's fonts (crate epaint_default_fonts 0.37.0) not found; pass their folder" >&2
  exit 2
}
python=/usr/bin/python3
"$python" -c 'import fontTools' 2>/dev/null || python=python3
"$python" -c 'import fontTools' 2>/dev/null || {
  echo "subset.sh: fontTools missing; as root: apt-get install -y python3-fonttools" >&2
  exit 2
}

# Text the app shows: Latin (with Latin-1, Extended-A/B and the combining accents: Dutch, other
# European names in paths), Greek and Cyrillic (user names), general punctuation (curly quotes
# pasted from Teams, dashes, the ellipsis egui elides with), currency, letterlike symbols,
# arrows, maths operators, geometric shapes (and U+FFFD where the source font has it).
sans_ranges="U+0020-007E,U+00A0-024F,U+0300-036F,U+0370-03FF,U+0400-04FF,U+1E00-1EFF,U+2000-206F,U+20A0-20CF,U+2100-214F,U+2190-21FF,U+2200-22FF,U+25A0-25FF,U+FFFD"
mono_ranges="U+0020-007E,U+00A0-017F,U+2000-206F,U+20AC,U+2122,U+2190-21FF,U+2212,U+FFFD"

subset() { # SOURCE RANGES OUTPUT FAMILY
  "$python" -m fontTools.subset "$1" --unicodes="$2" --output-file="$3" \
    --drop-tables+=hdmx,VDMX,TTFA --no-glyph-names --no-hinting
  "$python" - "$3" "$4" <<'EOF'
import sys
from fontTools.ttLib import TTFont
path, family = sys.argv[1], sys.argv[2]
font = TTFont(path, recalcTimestamp=False)
names = font["name"]
style = "Regular"
for rec in list(names.names):
    if rec.nameID in (1, 16):
        names.setName(family, rec.nameID, rec.platformID, rec.platEncID, rec.langID)
    elif rec.nameID == 4:
        names.setName(f"{family} {style}", 4, rec.platformID, rec.platEncID, rec.langID)
    elif rec.nameID == 6:
        names.setName(family.replace(" ", "") + "-" + style, 6, rec.platformID, rec.platEncID, rec.langID)
    elif rec.nameID == 3:
        names.setName(f"{family} {style}; subset for teamsfix", 3, rec.platformID, rec.platEncID, rec.langID)
font.save(path)
EOF
}

mkdir -p "$out"
subset "$src/Ubuntu-Light.ttf" "$sans_ranges" "$out/UbuntuLight-teamsfix.ttf" "Ubuntu Light derivative teamsfix"
subset "$src/Hack-Regular.ttf" "$mono_ranges" "$out/Hack-teamsfix.ttf" "Hack teamsfix"
# The exe embeds them deflated (raw deflate, no header; src/gui/fonts.rs inflates them).
for f in "$out"/*-teamsfix.ttf; do
  python3 -c 'import sys, zlib; c = zlib.compressobj(9, zlib.DEFLATED, -15); d = open(sys.argv[1], "rb").read(); open(sys.argv[1] + ".deflate", "wb").write(c.compress(d) + c.flush())' "$f"
done
cp "$src/UFL.txt" "$out/UFL.txt"
cp "$src/Hack-Regular.txt" "$out/Hack-LICENSE.txt"
for f in "$src/Ubuntu-Light.ttf" "$src/Hack-Regular.ttf" "$out"/*.ttf "$out"/*.ttf.deflate; do
  printf '%-70s %8d bytes\n' "$f" "$(stat -c %s "$f")"
done
