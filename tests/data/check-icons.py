#!/usr/bin/env python3
# Every icon under data/icons is well-formed SVG with the size its folder promises:
# 128×128 for scalable app icons (the GNOME app icon grid), 16×16 for symbolic ones,
# and a symbolic icon uses nothing but the symbolic foreground colour.

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

SVG_NS = '{http://www.w3.org/2000/svg}'
EXPECTED = {'scalable': 128, 'symbolic': 16}
SYMBOLIC_COLOUR = '#2e3436'


def check(path):
    problems = []
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        return [f'not well-formed XML: {e}']
    if root.tag != SVG_NS + 'svg':
        return [f'root element is {root.tag}, not an SVG <svg>']

    size = EXPECTED[path.parent.parent.name]
    for attr in ('width', 'height'):
        value = root.get(attr)
        if value is None or float(re.sub(r'px$', '', value)) != size:
            problems.append(f'{attr} is {value!r}, expected {size}')
    viewbox = (root.get('viewBox') or '').replace(',', ' ').split()
    if [float(v) for v in viewbox] != [0, 0, size, size]:
        problems.append(f'viewBox is {root.get("viewBox")!r}, expected "0 0 {size} {size}"')

    if path.parent.parent.name == 'symbolic':
        if not path.name.endswith('-symbolic.svg'):
            problems.append('a symbolic icon name must end in -symbolic.svg')
        for el in root.iter():
            for attr in ('fill', 'stroke'):
                colour = el.get(attr)
                if colour and colour not in ('none', SYMBOLIC_COLOUR):
                    problems.append(f'<{el.tag[len(SVG_NS):]}> {attr}={colour!r} is not {SYMBOLIC_COLOUR}')
    return problems


def main(icon_dir):
    icons = sorted(Path(icon_dir).glob('hicolor/*/apps/*.svg'))
    if not icons:
        print(f'no icons found under {icon_dir}')
        return 1
    failed = 0
    print(f'1..{len(icons)}')
    for n, icon in enumerate(icons, 1):
        problems = check(icon)
        failed += bool(problems)
        print(f'{"not ok" if problems else "ok"} {n} - {icon.relative_to(icon_dir)}')
        for problem in problems:
            print(f'# {problem}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
