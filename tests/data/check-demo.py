#!/usr/bin/env python3
# The bundled 2048 demo is a mirage 4.5+ project that the manifest form can read:
# the version pin on the first line of config.ml, a `main` entry point, the `www`
# job; and the page it serves refers only to files that are there.

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

PIN = re.compile(r'^\(\* mirage >= 4\.(\d+)\.\d+ & < 4\.\d+\.\d+ \*\)$')


class References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == 'link' and attrs.get('rel') == 'stylesheet':
            self.refs.append(attrs.get('href'))
        elif tag == 'script' and 'src' in attrs:
            self.refs.append(attrs['src'])
        elif tag == 'img' and 'src' in attrs:
            self.refs.append(attrs['src'])


def check(demo):
    problems = []
    config = (demo / 'config.ml').read_text(encoding='utf-8')
    first = config.splitlines()[0] if config else ''
    m = PIN.match(first)
    if not m or int(m.group(1)) < 5:
        problems.append(f'config.ml: first line {first!r} is not a "(* mirage >= 4.5.x & < ... *)" pin')
    if not re.search(r'^open Mirage$', config, re.M):
        problems.append('config.ml: no "open Mirage"')
    if not re.search(r'\bmain\s+"Unikernel\.Main"', config):
        problems.append('config.ml: no main "Unikernel.Main" entry point (mirage 4.5+)')
    if re.search(r'\bforeign\b', config):
        problems.append('config.ml: uses foreign, which mirage 4.5 replaced with main')
    if not re.search(r'\bregister\s+"www"', config):
        problems.append('config.ml: no register "www"')
    if not re.search(r'runtime_arg\s+~pos:__POS__\s+"Unikernel\.port"', config):
        problems.append('config.ml: the port is not a runtime argument "Unikernel.port"')
    if not re.search(r'\bcrunch\s+"htdocs"', config):
        problems.append('config.ml: htdocs is not a crunched store')

    unikernel = (demo / 'unikernel.ml').read_text(encoding='utf-8')
    if not re.search(r'^let port\b', unikernel, re.M) or 'opt int 8080' not in unikernel:
        problems.append('unikernel.ml: no "port" argument defaulting to 8080')
    if not re.search(r'^module Main\b', unikernel, re.M):
        problems.append('unikernel.ml: no Main functor')

    htdocs = demo / 'htdocs'
    parser = References()
    parser.feed((htdocs / 'index.html').read_text(encoding='utf-8'))
    for wanted in ('style.css', 'game.js'):
        if wanted not in parser.refs:
            problems.append(f'index.html does not load {wanted}')
    for ref in parser.refs:
        if re.match(r'^[a-z]+:|^//', ref or ''):
            problems.append(f'index.html loads an external resource: {ref}')
        elif not (htdocs / ref).is_file():
            problems.append(f'index.html refers to {ref}, which does not exist')
    css = (htdocs / 'style.css').read_text(encoding='utf-8')
    if re.search(r'url\(\s*["\']?(https?:)?//', css) or '@import' in css:
        problems.append('style.css loads an external resource')
    return problems


def main(demo):
    problems = check(Path(demo))
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
