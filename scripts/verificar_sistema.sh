#!/usr/bin/env bash
# Checks the system libraries the SRM needs; installs them with apt-get when running as root.
#   base:    Python 3.11+, WeasyPrint's Pango/HarfBuzz and fonts.
#   pruebas: also Debian's Chromium (browser tests) and poppler-utils (PDF text in tests).
set -euo pipefail
modo=${1:-base}

faltan=()
python3 -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else 1)' 2>/dev/null \
  || { echo "Se necesita Python 3.11, 3.12 o 3.13 (python3 --version)." >&2; exit 1; }
python3 -c 'import venv, ensurepip' 2>/dev/null || faltan+=(python3-venv)
ldconfig -p | grep -q 'libpango-1.0.so' || faltan+=(libpango-1.0-0)
ldconfig -p | grep -q 'libpangoft2-1.0.so' || faltan+=(libpangoft2-1.0-0)
ldconfig -p | grep -q 'libharfbuzz-subset.so' || faltan+=(libharfbuzz-subset0)
[ -d /usr/share/fonts/truetype/dejavu ] || faltan+=(fonts-dejavu-core)
if [ "$modo" = pruebas ]; then
  command -v chromium >/dev/null || faltan+=(chromium)
  command -v pdftotext >/dev/null || faltan+=(poppler-utils)
fi

[ ${#faltan[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Instalando paquetes del sistema: ${faltan[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${faltan[@]}" >/dev/null
else
  echo "Faltan paquetes del sistema. Instálelos con:" >&2
  echo "  sudo apt-get install ${faltan[*]}" >&2
  exit 1
fi
