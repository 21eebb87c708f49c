#!/usr/bin/env python3
"""Writes lib/store/pg_fold.h: the SQL functions that fold text on
PostgreSQL as crm_norm_fold and crm_norm_key (lib/base/normalize.c, with
utf8proc) do on SQLite. Run by hand when Unicode's tables change:
    python3 lib/store/pg_fold.py >lib/store/pg_fold.h
Unicode's data comes from Python's unicodedata module."""
import unicodedata


def ranges(cps):
    """A regex bracket's ranges of code points, as \\uXXXX escapes."""
    cps, out, i = sorted(cps), [], 0

    def esc(c):
        return "\\u%04x" % c if c < 0x10000 else "\\U%08x" % c

    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        out.append(esc(cps[i]) if i == j else esc(cps[i]) + "-" + esc(cps[j]))
        i = j + 1
    return "".join(out)


def sq(s):
    return s.replace("'", "''")


# full case folding where it differs from lower case: one character to
# one (translate), or to several (replace); PostgreSQL's lower() takes
# İ to a plain i, Unicode to i + combining dot above
one_from, one_to, multi = [], [], [("\u0130", "i\u0307")]
for cp in range(0x110000):
    c = chr(cp)
    if 0xD800 <= cp <= 0xDFFF or c.casefold() == c.lower():
        continue
    if len(c.casefold()) == 1:
        one_from.append(c)
        one_to.append(c.casefold())
    else:
        multi.append((c, c.casefold()))
one_from, one_to = "".join(one_from), "".join(one_to)
mchars = "".join(a for a, _ in multi)
expr = "$1"
for a, b in multi:
    expr = "replace(%s, '%s', '%s')" % (expr, sq(a), sq(b))
# marks: accents (on Latin, Greek, Cyrillic, Hebrew, Arabic: below
# U+0800, and the combining blocks) go; the others are part of a letter
marks = [cp for cp in range(0x110000)
         if unicodedata.category(chr(cp)).startswith("M")]
strip = [cp for cp in marks if cp < 0x800 or 0x1AB0 <= cp < 0x1B00 or
         0x1DC0 <= cp < 0x1E00 or 0x20D0 <= cp < 0x2100 or
         0xFE20 <= cp < 0xFE30]
keep = sorted(set(marks) - set(strip))
# ASCII text (as many bytes as characters) takes the short way
sql = [
    "CREATE OR REPLACE FUNCTION crm_casefold(text) RETURNS text LANGUAGE "
    "sql IMMUTABLE PARALLEL SAFE AS $$SELECT CASE WHEN octet_length($1) = "
    "length($1) THEN lower($1) ELSE lower(CASE WHEN $1 ~ '[%s]' THEN "
    "translate(CASE WHEN $1 ~ '[%s]' THEN %s ELSE $1 END, '%s', '%s') "
    "WHEN $1 ~ '[%s]' THEN %s ELSE $1 END) END$$;"
    % (sq(one_from), mchars, expr, sq(one_from), sq(one_to), mchars, expr),
    "CREATE OR REPLACE FUNCTION crm_fold(text) RETURNS text LANGUAGE sql "
    "IMMUTABLE PARALLEL SAFE AS $$SELECT CASE WHEN octet_length($1) = "
    "length($1) THEN lower($1) ELSE normalize(crm_casefold($1), NFC) "
    "END$$;",
    "CREATE OR REPLACE FUNCTION crm_search_key(text) RETURNS text LANGUAGE "
    "sql IMMUTABLE PARALLEL SAFE AS $$SELECT btrim(regexp_replace(CASE "
    "WHEN octet_length($1) = length($1) THEN lower($1) ELSE normalize("
    "regexp_replace(crm_casefold(normalize($1, NFKD)), '[%s]+', '', 'g'), "
    "NFC) END, '[^[:alnum:]%s]+', ' ', 'g'))$$;" % (ranges(strip),
                                                     ranges(keep)),
]


def cstr(s):
    s = s.replace("\\", "\\\\").replace('"', '\\"')
    out, line = [], ""
    for ch in s:
        line += ch
        if len(line.encode()) >= 66 and not line.endswith("\\"):
            out.append('    "%s"' % line)
            line = ""
    if line:
        out.append('    "%s"' % line)
    return "\n".join(out)


print("/* pg_fold.h - written by lib/store/pg_fold.py (Unicode %s): do not"
      % unicodedata.unidata_version)
print(" * edit. crm_fold and crm_search_key on PostgreSQL, as SQL functions:")
print(" * NFKD, full case folding, accents dropped, NFC, as utf8proc does")
print(" * on SQLite (lib/base/normalize.c). Included by lib/store/schema.c. */")
print("#ifndef CRM_PG_FOLD_H")
print("#define CRM_PG_FOLD_H")
print()
print("static const char crm_pg_fold_sql[] =")
print("\n".join(cstr(s) for s in sql) + ";")
print()
print("#endif")
