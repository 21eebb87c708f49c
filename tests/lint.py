#!/usr/bin/env python3
"""tests/lint.py - a lint of the CLI test scripts, in the spirit of git's
t/chainlint.pl: it fails on a test script that would hide a failure.

    python3 tests/lint.py [--tap] [FILE...]   (default: tests/cli/t*.sh)
    python3 tests/lint.py --self-test         (tests/data/lint/*.sh)

It parses the shell (a subset of bash good enough for tests/cli) and
reports FILE:LINE: RULE: what is wrong. The rules (see tests/README.md):

  unchecked   a crm-* or `crm NOUN` command (or a function of the script
              whose status is such a command's) whose exit status nothing
              checks: not under expect_code/expect_code_in/run/run_in/
              check, not an if/while/until condition, not followed by
              `|| not_ok ...`/`|| exit N`/`|| return N`, not followed by a
              statement reading $?, not run in the background with $!
              saved; `|| true` ignores a failure.
  piped       a command under test piped into another (the pipe hides
              its status; set -o pipefail in the same scope allows it).
  lost        a command under test inside $(...) whose status is lost
              (only `var=$(cmd)` alone keeps it).
  echoed      a failure that is echoed instead of reported with not_ok.
  bare-ok     an `ok` that no condition decides (not in an if/case that
              also calls not_ok), or `COND && ok`.
  outside     a condition outside check: `check DESC A && B` (B is not
              checked), or a `[ ... ]`/`test` whose result nothing uses.
  redirected  the TAP line of a helper (ok, check, expect_code...) sent
              away from stdout.

A line ending in `# lint-ok: REASON` is not reported (give the reason).
"""
import glob
import os
import re
import sys

CRM_RE = re.compile(r'^(?:.*/)?crm(?:-\S+)?$')
HELPERS_ARGPOS = {'expect_code': 2, 'expect_code_in': 3, 'run': 1,
                  'run_in': 2, 'check': 2}
TAP_HELPERS = {'ok', 'not_ok', 'check', 'expect_code', 'expect_code_in',
               'compare', 'expect_out', 'expect_err', 'err_has', 'out_has',
               'done_testing'}
WRAPPERS = {'env', 'nice', 'command', 'time', 'nohup', 'setsid', 'exec',
            'stdbuf', 'timeout', 'valgrind'}
TESTS = {'[', '[[', 'test'}
RESERVED = {'if', 'then', 'elif', 'else', 'fi', 'while', 'until', 'do',
            'done', 'for', 'case', 'esac', '{', '}', '!', 'function', 'in'}
ASSIGN_RE = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?\+?=')
FAIL_TEXT = re.compile(r'\bfail(ed|s|ure)?\b|\bFAIL', re.I)


class Word:
    def __init__(self, text, line, quoted, subs):
        self.text, self.line, self.quoted, self.subs = text, line, quoted, subs

    def value(self):
        """The text without quotes (for names like crm-contact)."""
        return re.sub(r'["\']', '', self.text)


class Tok:
    def __init__(self, kind, text, line, word=None):
        self.kind, self.text, self.line, self.word = kind, text, line, word


class LintError(Exception):
    pass


class Lexer:
    def __init__(self, src, line=1):
        self.s, self.i, self.line = src, 0, line
        self.heredocs = []  # pending (delimiter, strip_tabs)
        self.comments = {}  # line -> comment text

    def peekc(self, k=0):
        j = self.i + k
        return self.s[j] if j < len(self.s) else ''

    def adv(self, n=1):
        for _ in range(n):
            if self.i < len(self.s) and self.s[self.i] == '\n':
                self.line += 1
            self.i += 1

    def match_paren(self, start):
        """Index of the ')' closing the '(' before start, aware of quotes."""
        depth, j, s = 1, start, self.s
        cases = []  # depth at each open case: its patterns end in ')'
        while j < len(s):
            c = s[j]
            if (j == 0 or not (s[j - 1].isalnum() or s[j - 1] in '_-$')):
                m = re.match(r'(case|esac)(?![A-Za-z0-9_-])', s[j:j + 5])
                if m and m.group(1) == 'case':
                    cases.append(depth)
                elif m and cases:
                    cases.pop()
            if c == ')' and cases and cases[-1] == depth:
                j += 1
                continue
            if c == '\\':
                j += 2
                continue
            if c == "'":
                k = s.find("'", j + 1)
                j = len(s) if k < 0 else k + 1
                continue
            if c == '"':
                j = self.skip_dq(j + 1)
                continue
            if c == '#' and (j == 0 or s[j - 1] in ' \t\n;'):
                k = s.find('\n', j)
                j = len(s) if k < 0 else k
                continue
            if c == '(':
                depth += 1
            elif c == ')':
                depth -= 1
                if depth == 0:
                    return j
            j += 1
        raise LintError('unmatched (')

    def skip_dq(self, j):
        s = self.s
        while j < len(s):
            c = s[j]
            if c == '\\':
                j += 2
                continue
            if c == '"':
                return j + 1
            if c == '$' and j + 1 < len(s) and s[j + 1] == '(':
                j = self.match_paren(j + 2) + 1
                continue
            j += 1
        raise LintError('unmatched "')

    def sub(self, start, end, line):
        return parse(self.s[start:end], line, self.comments)

    def read_word(self):
        start, line, quoted, subs = self.i, self.line, False, []
        s = self.s
        if s.startswith('[[', self.i) and (self.peekc(2) in ' \t'):
            j = s.find(']]', self.i)
            if j < 0:
                raise LintError('unmatched [[')
            text = s[self.i:j + 2]
            self.adv(j + 2 - self.i)
            return Word(text, line, False, [])
        if s.startswith('((', self.i):
            depth, j = 0, self.i
            while j < len(s):
                if s[j] == '(':
                    depth += 1
                elif s[j] == ')':
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            text = s[self.i:j + 1]
            self.adv(j + 1 - self.i)
            return Word(text, line, False, [])
        while self.i < len(s):
            c = s[self.i]
            if c in ' \t\n;&|()<>':
                if c in '<>' and self.peekc(1) == '(' and self.i == start:
                    end = self.match_paren(self.i + 2)
                    subs.append(self.sub(self.i + 2, end, self.line))
                    self.adv(end + 1 - self.i)
                    continue
                if c == '(' and ASSIGN_RE.match(s[start:self.i] + 'x') \
                        and s[start:self.i].endswith('='):
                    end = self.match_paren(self.i + 1)
                    self.adv(end + 1 - self.i)
                    continue
                break
            if c == '\\':
                self.adv(2)
                continue
            if c == '$' and self.peekc(1) == "'":  # $'...' (C escapes)
                quoted = True
                j = self.i + 2
                while j < len(s) and s[j] != "'":
                    j += 2 if s[j] == '\\' else 1
                self.adv(j + 1 - self.i)
                continue
            if c == "'":
                quoted = True
                k = s.find("'", self.i + 1)
                if k < 0:
                    raise LintError("unmatched '")
                self.adv(k + 1 - self.i)
                continue
            if c == '"':
                quoted = True
                self.adv()
                while self.i < len(s) and s[self.i] != '"':
                    if s[self.i] == '\\':
                        self.adv(2)
                        continue
                    if s.startswith('$((', self.i):
                        end = self.match_paren(self.i + 2)
                        self.adv(end + 1 - self.i)
                        continue
                    if s.startswith('$(', self.i):
                        end = self.match_paren(self.i + 2)
                        subs.append(self.sub(self.i + 2, end, self.line))
                        self.adv(end + 1 - self.i)
                        continue
                    if s[self.i] == '`':
                        k = s.find('`', self.i + 1)
                        subs.append(self.sub(self.i + 1, k, self.line))
                        self.adv(k + 1 - self.i)
                        continue
                    self.adv()
                if self.i >= len(s):
                    raise LintError('unmatched " from line %d' % line)
                self.adv()
                continue
            if s.startswith('$((', self.i):
                end = self.match_paren(self.i + 3)
                while end + 1 < len(s) and s[end + 1] == ')':
                    end += 1
                    break
                self.adv(end + 1 - self.i)
                continue
            if s.startswith('$(', self.i):
                end = self.match_paren(self.i + 2)
                subs.append(self.sub(self.i + 2, end, self.line))
                self.adv(end + 1 - self.i)
                continue
            if s.startswith('${', self.i):
                depth, j = 0, self.i + 1
                while j < len(s):
                    if s[j] == '{':
                        depth += 1
                    elif s[j] == '}':
                        depth -= 1
                        if depth == 0:
                            break
                    elif s[j] == '\\':
                        j += 1
                    j += 1
                self.adv(j + 1 - self.i)
                continue
            if c == '`':
                k = s.find('`', self.i + 1)
                subs.append(self.sub(self.i + 1, k, self.line))
                self.adv(k + 1 - self.i)
                continue
            self.adv()
        return Word(s[start:self.i], line, quoted, subs)

    def read_heredocs(self):
        for delim, strip in self.heredocs:
            while self.i < len(self.s):
                e = self.s.find('\n', self.i)
                if e < 0:
                    e = len(self.s)
                ln = self.s[self.i:e]
                self.adv(e + 1 - self.i)
                if (ln.lstrip('\t') if strip else ln) == delim:
                    break
        self.heredocs = []

    def tokens(self):
        s = self.s
        while True:
            while self.peekc() in (' ', '\t') or s.startswith('\\\n', self.i):
                self.adv(2 if self.peekc() == '\\' else 1)
            if self.i >= len(s):
                yield Tok('EOF', '', self.line)
                return
            c, line = s[self.i], self.line
            if c == '#':
                e = s.find('\n', self.i)
                e = len(s) if e < 0 else e
                self.comments[line] = s[self.i:e]
                self.adv(e - self.i)
                continue
            if c == '\n':
                self.adv()
                self.read_heredocs()
                yield Tok('NL', '\n', line)
                continue
            m = re.match(r'\d*(>>|>&|<&|<<<|<<-|<<|<>|>\||&>>|&>|>|<)', s[self.i:])
            if m and not (m.group(1) in ('<', '>') and self.peekc(len(m.group(0))) == '('):
                op = m.group(1)
                self.adv(len(m.group(0)))
                while self.peekc() in (' ', '\t'):
                    self.adv()
                w = self.read_word()
                if op in ('<<', '<<-'):
                    self.heredocs.append((w.value(), op == '<<-'))
                yield Tok('REDIR', m.group(0), line, w)
                continue
            for op in (';;&', ';;', ';&', '&&', '||', ';', '|&', '&', '|', '(', ')'):
                if s.startswith(op, self.i):
                    if op == '(' and s.startswith('((', self.i):
                        break
                    self.adv(len(op))
                    yield Tok('OP', op, line)
                    break
            else:
                w = self.read_word()
                yield Tok('WORD', w.text, line, w)
                continue
            if op == '(' and s.startswith('((', self.i):
                w = self.read_word()
                yield Tok('WORD', w.text, line, w)


# Nodes
class Simple:
    def __init__(self, words, redirs, line):
        self.words, self.redirs, self.line = words, redirs, line
        self.kind = 'simple'


class Compound:
    def __init__(self, kind, line, **kw):
        self.kind, self.line, self.redirs = kind, line, []
        self.__dict__.update(kw)


class Parser:
    def __init__(self, src, line, comments):
        self.lx = Lexer(src, line)
        self.lx.comments = comments
        self.toks = self.lx.tokens()
        self.cur = next(self.toks)

    def advance(self):
        t = self.cur
        self.cur = next(self.toks)
        return t

    def is_word(self, *ws):
        return self.cur.kind == 'WORD' and not self.cur.word.quoted \
            and self.cur.text in ws

    def skip_nl(self):
        while self.cur.kind == 'NL':
            self.advance()

    def expect_word(self, w):
        self.skip_nl()
        if not self.is_word(w):
            raise LintError('expected %r at line %d, got %r'
                            % (w, self.cur.line, self.cur.text))
        self.advance()

    def parse_list(self, stops=()):
        """Statements until EOF, a stop word, ')' or ';;'."""
        stmts = []
        while True:
            self.skip_nl()
            c = self.cur
            if c.kind == 'EOF' or (c.kind == 'OP' and c.text in (')', ';;', ';&', ';;&')) \
                    or (c.kind == 'WORD' and not c.word.quoted and c.text in stops):
                return stmts
            start = self.lx.i
            ao = self.parse_andor()
            term = None
            if self.cur.kind == 'OP' and self.cur.text in (';', '&'):
                term = self.advance().text
            elif self.cur.kind == 'NL':
                term = '\n'
            ao['term'] = term
            ao['line'] = ao['items'][0]['cmds'][0].line
            stmts.append(ao)

    def parse_andor(self):
        items, ops = [self.parse_pipeline()], []
        while self.cur.kind == 'OP' and self.cur.text in ('&&', '||'):
            ops.append(self.advance().text)
            self.skip_nl()
            items.append(self.parse_pipeline())
        return {'items': items, 'ops': ops}

    def parse_pipeline(self):
        bang = False
        if self.is_word('!'):
            self.advance()
            bang = True
        if self.is_word('time'):
            self.advance()
        cmds = [self.parse_command()]
        while self.cur.kind == 'OP' and self.cur.text in ('|', '|&'):
            self.advance()
            self.skip_nl()
            cmds.append(self.parse_command())
        return {'cmds': cmds, 'bang': bang}

    def redirs(self, node):
        while self.cur.kind == 'REDIR':
            node.redirs.append(self.advance())
        return node

    def parse_command(self):
        c = self.cur
        line = c.line
        if c.kind == 'OP' and c.text == '(':
            self.advance()
            body = self.parse_list()
            if not (self.cur.kind == 'OP' and self.cur.text == ')'):
                raise LintError('expected ) at line %d' % self.cur.line)
            self.advance()
            return self.redirs(Compound('subshell', line, body=body))
        if c.kind == 'WORD' and not c.word.quoted:
            w = c.text
            if w == '{':
                self.advance()
                body = self.parse_list(('}',))
                self.expect_word('}')
                return self.redirs(Compound('group', line, body=body))
            if w == 'if':
                self.advance()
                clauses, els = [], None
                while True:
                    cond = self.parse_list(('then',))
                    self.expect_word('then')
                    body = self.parse_list(('elif', 'else', 'fi'))
                    clauses.append((cond, body))
                    if self.is_word('elif'):
                        self.advance()
                        continue
                    if self.is_word('else'):
                        self.advance()
                        els = self.parse_list(('fi',))
                    self.expect_word('fi')
                    break
                return self.redirs(Compound('if', line, clauses=clauses, els=els))
            if w in ('while', 'until'):
                self.advance()
                cond = self.parse_list(('do',))
                self.expect_word('do')
                body = self.parse_list(('done',))
                self.expect_word('done')
                return self.redirs(Compound('loop', line, cond=cond, body=body))
            if w == 'for':
                self.advance()
                words = []
                while self.cur.kind == 'WORD' and not self.is_word('do'):
                    words.append(self.advance().word)
                if self.cur.kind == 'OP' and self.cur.text == ';':
                    self.advance()
                self.expect_word('do')
                body = self.parse_list(('done',))
                self.expect_word('done')
                return self.redirs(Compound('loop', line, cond=None, body=body, words=words))
            if w == 'case':
                self.advance()
                word = self.advance().word
                self.expect_word('in')
                branches = []
                while True:
                    self.skip_nl()
                    if self.is_word('esac'):
                        self.advance()
                        break
                    if self.cur.kind == 'OP' and self.cur.text == '(':
                        self.advance()
                    while not (self.cur.kind == 'OP' and self.cur.text == ')'):
                        if self.cur.kind == 'EOF':
                            raise LintError('unterminated case at line %d' % line)
                        self.advance()
                    self.advance()
                    branches.append(self.parse_list(('esac',)))
                    if self.cur.kind == 'OP' and self.cur.text in (';;', ';&', ';;&'):
                        self.advance()
                return self.redirs(Compound('case', line, word=word, branches=branches))
            if w == 'function':
                self.advance()
                name = self.advance().text
                if self.cur.kind == 'OP' and self.cur.text == '(':
                    self.advance()
                    self.advance()
                self.skip_nl()
                return Compound('func', line, name=name, body=self.parse_command())
        words, redirs = [], []
        while self.cur.kind in ('WORD', 'REDIR'):
            if self.cur.kind == 'REDIR':
                redirs.append(self.advance())
            else:
                words.append(self.advance().word)
        if len(words) == 1 and self.cur.kind == 'OP' and self.cur.text == '(' \
                and re.match(r'^[A-Za-z_][A-Za-z0-9_-]*$', words[0].text):
            self.advance()
            if not (self.cur.kind == 'OP' and self.cur.text == ')'):
                raise LintError('expected ) at line %d' % self.cur.line)
            self.advance()
            self.skip_nl()
            return Compound('func', line, name=words[0].text, body=self.parse_command())
        if not words and not redirs:
            raise LintError('unexpected %r at line %d' % (self.cur.text, self.cur.line))
        return Simple(words, redirs, line)


def parse(src, line=1, comments=None):
    p = Parser(src, line, comments if comments is not None else {})
    stmts = p.parse_list()
    if p.cur.kind != 'EOF':
        raise LintError('unexpected %r at line %d' % (p.cur.text, p.cur.line))
    return stmts


# Analysis ---------------------------------------------------------------

def effective(words):
    """Index of the command word, skipping assignments and wrappers."""
    i = 0
    while i < len(words) and ASSIGN_RE.match(words[i].text):
        i += 1
    while i < len(words) and words[i].value() in WRAPPERS:
        w = words[i].value()
        i += 1
        if w == 'env':
            while i < len(words) and (ASSIGN_RE.match(words[i].text) or words[i].text.startswith('-')):
                i += 1
        elif w in ('timeout', 'valgrind', 'nice', 'stdbuf'):
            while i < len(words) and words[i].text.startswith('-'):
                i += 1
            if w == 'timeout' and i < len(words):
                i += 1
    return i


def walk_simple(node, f):
    """Calls f on every simple command in node (list, andor or command)."""
    if isinstance(node, list):
        for ao in node:
            walk_simple(ao, f)
    elif isinstance(node, dict):
        for p in node['items']:
            for c in p['cmds']:
                walk_simple(c, f)
    elif node.kind == 'simple':
        f(node)
        for w in node.words:
            for s in w.subs:
                walk_simple(s, f)
    elif node.kind in ('group', 'subshell'):
        walk_simple(node.body, f)
    elif node.kind == 'if':
        for c, b in node.clauses:
            walk_simple(c, f)
            walk_simple(b, f)
        if node.els:
            walk_simple(node.els, f)
    elif node.kind == 'loop':
        if node.cond:
            walk_simple(node.cond, f)
        walk_simple(node.body, f)
    elif node.kind == 'case':
        for b in node.branches:
            walk_simple(b, f)
    elif node.kind == 'func':
        walk_simple(node.body, f)


def calls(node, names):
    found = []

    def f(s):
        i = effective(s.words)
        if i < len(s.words) and s.words[i].value() in names:
            found.append(s.words[i].value())
    walk_simple(node, f)
    return found


class Scope:
    def __init__(self, **kw):
        self.exit_ctx = 'yes'      # what `exit N` means for a status
        self.return_ctx = 'yes'    # what `return N` means
        self.ok_allowed = False    # inside an if/case that calls not_ok
        self.pipefail = False
        self.__dict__.update(kw)

    def copy(self, **kw):
        s = Scope(**self.__dict__)
        s.__dict__.update(kw)
        return s


class Linter:
    def __init__(self, path, src):
        self.path, self.src = path, src
        self.lines = src.split('\n')
        self.findings = []
        self.funcs = {}       # name -> func node
        self.carriers = {}    # function name -> (command, line) it carries

    def report(self, line, rule, msg):
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ''
        m = re.search(r'#\s*lint-ok:\s*(\S.*)?$', text)
        if m and m.group(1):
            return
        if any(f[0] == line and f[1] == rule for f in self.findings):
            return
        self.findings.append((line, rule, msg))

    def under_test(self, name):
        return bool(CRM_RE.match(name)) or name in self.carriers

    def describe(self, s, i):
        ws = [w.text for w in s.words[i:i + 3]]
        return ' '.join(ws) + (' ...' if len(s.words) > i + 3 else '')

    def run(self):
        tree = parse(self.src, 1, {})
        # functions whose status is that of a command under test
        funcs = []

        def collect(node):
            if isinstance(node, list):
                for ao in node:
                    for p in ao['items']:
                        for c in p['cmds']:
                            collect(c)
            elif node.kind == 'func':
                funcs.append(node)
                collect([{'items': [{'cmds': [node.body]}]}])
            elif node.kind in ('group', 'subshell'):
                collect(node.body)
            elif node.kind == 'if':
                for cond, body in node.clauses:
                    collect(cond)
                    collect(body)
                collect(node.els or [])
            elif node.kind == 'loop':
                collect(node.cond or [])
                collect(node.body)
            elif node.kind == 'case':
                for b in node.branches:
                    collect(b)
        collect(tree)
        for fn in funcs:
            self.funcs[fn.name] = fn
        changed = True
        while changed:
            changed = False
            for fn in funcs:
                if fn.name in self.carriers:
                    continue
                saved = self.findings
                self.findings = []
                self.carried = None
                self.command(fn.body, 'func', Scope(return_ctx='func'))
                self.findings = saved
                if self.carried:
                    self.carriers[fn.name] = self.carried
                    changed = True
        self.carried = None
        self.stmts(tree, None, Scope())
        self.findings.sort()
        return self.findings

    # ctx: None (nothing reads the status), 'yes' (checked), 'func'
    # (the status is the enclosing function's), 'piped', 'lost', 'bg',
    # 'echoed', 'ignored'.
    def stmts(self, lst, tail, scope):
        for k, ao in enumerate(lst):
            last = k == len(lst) - 1
            ctx = tail if last and ao['term'] != '&' else None
            nxt = lst[k + 1] if not last else None
            nxt_text = self.text_of(nxt) if nxt else ''
            if ao['term'] == '&':
                ctx = 'yes' if '$!' in nxt_text else 'bg'
            elif '$?' in nxt_text:
                ctx = 'yes'
            self.andor(ao, ctx, scope)
            if self.sets_pipefail(ao):
                scope.pipefail = True

    def text_of(self, ao):
        ln = ao['line']
        return self.lines[ln - 1] if 0 < ln <= len(self.lines) else ''

    def sets_pipefail(self, ao):
        c = ao['items'][0]['cmds'][0]
        return c.kind == 'simple' and c.words and c.words[0].text == 'set' \
            and any('pipefail' in w.text for w in c.words)

    def first(self, p):
        c = p['cmds'][0]
        if c.kind != 'simple':
            return None, c
        i = effective(c.words)
        return (c.words[i].value() if i < len(c.words) else None), c

    def fail_action(self, p, scope):
        """What `X || P` does with X's failure."""
        name, c = self.first(p)
        if c.kind == 'simple':
            text = ' '.join(w.text for w in c.words)
            if name == 'not_ok':
                return 'yes'
            if name == 'exit':
                return scope.exit_ctx if text.strip() != 'exit 0' else 'ignored'
            if name == 'return':
                return scope.return_ctx if text.strip() != 'return 0' else 'ignored'
            if name == 'false':
                return 'same'
            if '$?' in text or (name is None and c.words):
                return 'yes'  # the status is kept in a variable
            if name in ('echo', 'printf'):
                return 'echoed'
            return 'ignored'
        found = calls(c, {'not_ok', 'exit', 'return'})
        if 'not_ok' in found:
            return 'yes'
        if 'exit' in found:
            return scope.exit_ctx
        if 'return' in found:
            return scope.return_ctx
        if calls(c, {'echo', 'printf'}):
            return 'echoed'
        return 'ignored'

    def andor(self, ao, ctx, scope):
        items, ops = ao['items'], ao['ops']
        for i, p in enumerate(items):
            pctx = ctx
            for j in range(i, len(ops)):
                if ops[j] == '||':
                    pctx = self.fail_action(items[j + 1], scope)
                    if pctx == 'same':
                        pctx = ctx
                    break
            name, c = self.first(p)
            if name == 'ok' and len(items) > 1:
                if not (i < len(ops) and ops[i] == '||' and self.first(items[i + 1])[0] == 'not_ok'):
                    self.report(c.line, 'bare-ok',
                                "'COND && ok' cannot fail: use check DESC COND")
                continue
            if name == 'check' and i < len(ops):
                self.report(c.line, 'outside',
                            "'check ... %s': what follows %s is outside check and cannot fail "
                            "the test (put the whole condition in check, e.g. check DESC sh -c '...')"
                            % (ops[i], ops[i]))
            if name in TESTS and len(items) > 1:
                pctx = 'yes'
            self.pipeline(p, pctx, scope)

    def pipeline(self, p, ctx, scope):
        n = len(p['cmds'])
        for k, c in enumerate(p['cmds']):
            cctx = ctx if (k == n - 1 or scope.pipefail) else 'piped'
            self.command(c, cctx, scope)

    def command(self, c, ctx, scope):
        if c.kind == 'simple':
            return self.simple(c, ctx, scope)
        if c.kind in ('group', 'subshell', 'if', 'case'):
            self.redirected(c, None)
        if c.kind == 'group':
            self.stmts(c.body, ctx, scope)
        elif c.kind == 'subshell':
            self.stmts(c.body, ctx, scope.copy(exit_ctx=ctx or 'ignored'))
        elif c.kind == 'if':
            s2 = scope.copy(ok_allowed=scope.ok_allowed or bool(calls(c, {'not_ok'})))
            for cond, body in c.clauses:
                self.stmts(cond, 'yes', s2.copy())
                self.stmts(body, ctx, s2)
            if c.els:
                self.stmts(c.els, ctx, s2)
        elif c.kind == 'case':
            s2 = scope.copy(ok_allowed=scope.ok_allowed or bool(calls(c, {'not_ok'})))
            for b in c.branches:
                self.stmts(b, ctx, s2)
        elif c.kind == 'loop':
            if c.cond is not None:
                self.stmts(c.cond, 'yes', scope.copy())
            for w in getattr(c, 'words', []):
                for sb in w.subs:
                    self.stmts(sb, 'lost', scope.copy(exit_ctx='lost'))
            self.stmts(c.body, None, scope)
        elif c.kind == 'func':
            if ctx == 'func':  # analysing the definition for carriers
                return
            # the function body, with its status its callers'
            self.command(c.body, 'func', scope.copy(return_ctx='func', ok_allowed=False))

    def redirected(self, c, name):
        for r in c.redirs:
            op = r.text.lstrip('0123456789')
            fd = r.text[:len(r.text) - len(op)] or ('1' if '>' in op else '0')
            if ('>' in op and fd == '1' and op not in ('>&',)) or op.startswith('&>') \
                    or (op == '>&' and fd == '1' and r.word.text != '1'):
                if name in TAP_HELPERS:
                    self.report(c.line, 'redirected',
                                "the TAP line of %s goes to %s, not to the test's output"
                                % (name, r.word.text))
                elif name is None and c.kind != 'simple' and \
                        calls(c, TAP_HELPERS - {'done_testing'}):
                    self.report(c.line, 'redirected',
                                "a block that prints TAP lines has its stdout sent to %s" % r.word.text)

    def simple(self, s, ctx, scope):
        words = s.words
        i = effective(words)
        name = words[i].value() if i < len(words) else None
        self.redirected(s, name)
        # substitutions: only `var=$(cmd)` alone keeps the status
        keeps = name is None and len(words) == 1 and len(words[0].subs) == 1 \
            and re.match(r'^[A-Za-z_][A-Za-z0-9_]*="?\$\(', words[0].text)
        for w in words:
            for sb in w.subs:
                sctx = ctx if keeps else 'lost'
                self.stmts(sb, sctx, scope.copy(exit_ctx=sctx or 'ignored', pipefail=False))
        if name is None:
            return
        if name in HELPERS_ARGPOS:
            k = i + HELPERS_ARGPOS[name]
            return  # the helper checks the command's status
        if name == 'ok' and not scope.ok_allowed:
            self.report(s.line, 'bare-ok',
                        "a bare ok cannot fail: use check DESC CMD, or "
                        "if CMD; then ok ...; else not_ok ...; fi")
            return
        if name in ('echo', 'printf') and ctx not in ('piped', 'lost') and not s.redirs:
            lit = ' '.join(w.value() for w in words[i + 1:])
            if FAIL_TEXT.search(lit) and not lit.startswith('#'):
                self.report(s.line, 'echoed',
                            "a failure is echoed ('%s'): report it with not_ok so that it counts"
                            % lit[:40])
            return
        if name in TESTS and ctx is None:
            self.report(s.line, 'outside',
                        "the result of '%s' is not used: put it under check DESC ..." % self.describe(s, i))
            return
        if not self.under_test(name):
            return
        what = self.describe(s, i)
        if name in self.carriers:
            cmd, ln = self.carriers[name]
            what += ' (a function whose status is %s at line %d)' % (cmd, ln)
        if ctx == 'yes':
            return
        if ctx == 'func':
            if self.carried is None:
                self.carried = (words[i].value(), s.line)
            return
        msg = {
            None: "the exit status of '%s' is not checked "
                  "(run it under expect_code N, or check its status)",
            'piped': "'%s' is piped into another command, which hides its status",
            'lost': "the status of '%s' inside $(...) is lost "
                    "(use expect_code, then read $T/out)",
            'bg': "'%s' runs in the background and its pid ($!) is not kept "
                  "to wait for and check",
            'echoed': "a failure of '%s' is only echoed; use not_ok (or expect_code)",
            'ignored': "a failure of '%s' is ignored",
        }[ctx]
        rule = {None: 'unchecked', 'piped': 'piped', 'lost': 'lost', 'bg': 'unchecked',
                'echoed': 'echoed', 'ignored': 'unchecked'}[ctx]
        self.report(s.line, rule, msg % what)


def lint_file(path):
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            src = f.read()
    except OSError as e:
        return [(0, 'parse', 'cannot read the script: %s' % e.strerror)]
    try:
        return Linter(path, src).run()
    except (LintError, StopIteration, IndexError, AttributeError) as e:
        return [(0, 'parse', 'cannot parse the script: %s' % e)]


def main(argv):
    tap = '--tap' in argv
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if '--self-test' in argv:
        return self_test(top)
    files = [a for a in argv if not a.startswith('--')]
    if not files:
        files = sorted(glob.glob(os.path.join(top, 'tests/cli/t*.sh')))
    bad = 0
    for n, path in enumerate(files, 1):
        rel = os.path.relpath(path, top) if path.startswith(top) else path
        found = lint_file(path)
        bad += bool(found)
        if tap:
            print('%sok %d - lint %s' % ('not ' if found else '', n, rel))
        for line, rule, msg in found:
            print('%s%s:%d: %s: %s' % ('#   ' if tap else '', rel, line, rule, msg))
    if tap:
        print('1..%d' % len(files))
    return 1 if bad else 0


def self_test(top):
    """Each tests/data/lint/*.sh marks the lines the lint must flag with
    `# expect: RULE` (several rules: `# expect: a b`); no other finding is
    allowed. Prints TAP."""
    n = failed = 0
    for path in sorted(glob.glob(os.path.join(top, 'tests/data/lint/*.sh'))):
        rel = os.path.relpath(path, top)
        want = set()
        with open(path, encoding='utf-8') as f:
            for ln, text in enumerate(f, 1):
                m = re.search(r'# expect: ([a-z -]+)$', text.rstrip('\n'))
                if m:
                    for rule in m.group(1).split():
                        want.add((ln, rule))
        got = {(ln, rule) for ln, rule, _ in lint_file(path)}
        n += 1
        if got == want:
            print('ok %d - lint flags exactly the marked lines of %s (%d)' % (n, rel, len(want)))
        else:
            failed += 1
            print('not ok %d - lint flags exactly the marked lines of %s' % (n, rel))
            for ln, rule in sorted(want - got):
                print('#   %s:%d: %s expected, not reported' % (rel, ln, rule))
            for ln, rule in sorted(got - want):
                print('#   %s:%d: %s reported, not expected' % (rel, ln, rule))
    print('1..%d' % n)
    return 1 if failed or not n else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
