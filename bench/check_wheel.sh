#!/usr/bin/env bash
# Install the package (not editable) into a temporary venv and run it outside any checkout:
# proves the wheel ships the four project folders (missions_kg/_project/...).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install -q "$repo"
site=$("$tmp/venv/bin/python" -c 'import missions_kg, pathlib; print(pathlib.Path(missions_kg.__file__).parent)')
for folder in ontology data shapes queries; do
  test -d "$site/_project/$folder" || { echo "wheel lacks _project/$folder" >&2; exit 1; }
done
ls "$site/_project/data"/*.trig >/dev/null
cd "$tmp"
env -u MISSIONS_KG_ROOT XDG_CACHE_HOME="$tmp/xdg" "$tmp/venv/bin/missions-kg" build --no-force
env -u MISSIONS_KG_ROOT XDG_CACHE_HOME="$tmp/xdg" "$tmp/venv/bin/missions-kg" stats | head -3
echo "wheel OK: $(ls "$site/_project/data" | wc -l) data files shipped"
