# Add --safe-csv/--no-safe-csv and CRM_SAFE_CSV to every crm-*.1 that lacks them
# (run from the top of the tree after merging issue-10).
import glob
opt = '''.It Fl \\-safe-csv , \\-no-safe-csv
CSV and TSV output for spreadsheets: a cell starting with
.Ql = ,
.Ql + ,
.Ql - ,
.Ql @ ,
a tab or a carriage return, other than a plain number such as
.Ql -12.50 ,
is written with an apostrophe in front, so that a spreadsheet shows it
as text instead of running it as a formula (CSV injection).
Off by default, so that pipes to other tools see the data as it is;
.Ev CRM_SAFE_CSV
turns it on,
.Fl \\-no-safe-csv
off again.
Import reads such files back unchanged: in CSV and TSV input an
apostrophe followed by one of those characters is dropped (a cell that
really starts that way is written with one more apostrophe, safe or
not).
'''
env = '''.It Ev CRM_SAFE_CSV
When set and not
.Ql 0 ,
.Ql no ,
.Ql off
or
.Ql false :
.Fl \\-safe-csv
by default.
'''
for p in sorted(glob.glob('man/man1/crm-*.1')):
    s = open(p).read()
    if 'safe-csv' in s:
        continue
    key = '.It Fl q , \\-quiet\nNo summaries or progress on standard error.\n'
    if key not in s:
        print('%s: no -q item; add the --safe-csv item by hand' % p)
        continue
    s = s.replace(key, key + opt)
    if '.Sh ENVIRONMENT\n.Bl -tag -width Ds\n' in s:
        s = s.replace('.Sh ENVIRONMENT\n.Bl -tag -width Ds\n',
                      '.Sh ENVIRONMENT\n.Bl -tag -width Ds\n' + env, 1)
    open(p, 'w').write(s)
    print('%s: documented --safe-csv' % p)
