#!/usr/bin/env python3
# po/POTFILES.in names files that exist, and every source or template with
# translatable strings is named in it.

import re
import sys
from pathlib import Path

C_MARKERS = re.compile(r'\b(N?_|C_|NC_|g_dngettext|ngettext)\s*\(\s*"')
UI_MARKER = re.compile(r'translatable="(yes|true)"')


def main(top):
    top = Path(top)
    listed = []
    for line in (top / 'po' / 'POTFILES.in').read_text(encoding='utf-8').splitlines():
        line = line.strip()
        if line and not line.startswith('#'):
            listed.append(line)
    skipped = set()
    skip_file = top / 'po' / 'POTFILES.skip'
    if skip_file.exists():
        skipped = {l.strip() for l in skip_file.read_text().splitlines()
                   if l.strip() and not l.startswith('#')}

    problems = [f'{f} is listed but does not exist' for f in listed if not (top / f).is_file()]

    candidates = list(top.glob('src/**/*.c')) + list(top.glob('ui/**/*.ui')) \
        + list(top.glob('plugins/**/*.c')) + list(top.glob('plugins/**/*.ui'))
    for path in sorted(candidates):
        rel = path.relative_to(top).as_posix()
        if rel in listed or rel in skipped:
            continue
        text = path.read_text(encoding='utf-8', errors='replace')
        marker = UI_MARKER if path.suffix == '.ui' else C_MARKERS
        if marker.search(text):
            problems.append(f'{rel} has translatable strings but is not in po/POTFILES.in')

    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
