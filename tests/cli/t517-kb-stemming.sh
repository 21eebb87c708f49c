#!/bin/bash
# crm-kb stems English words (Snowball's English stemmer, libstemmer) when
# it indexes an article and when it reads a query, so configure,
# configuring, configuration and configured find the same article and the
# snippet marks each form; Chinese and Japanese stay character bigrams and
# single characters; words with digits or accents stay as they are.
. "$(dirname "$0")/../lib.sh"
# sql_is DESC: the last sql query's rows are the text on stdin
sql_is() { cat >"$T/want"; compare "$T/want" "$T/sql" "$1"; }

expect_code 0 crm-kb add -q --title 'Configure the mail client' --body 'Open Settings and configure the account. Configuration takes a minute.' --status published
expect_code 0 crm-kb add -q --title 'Printers in the office' --body 'Each printer prints double-sided. Printing in colour costs more. 打印机网络' --status published
expect_code 0 crm-kb add -q --title 'Firmware 2.1' --body 'Update the firmware of model X200 to 2.1. Café Wi-Fi résumé.' --status published

# the terms stored: stems for English words; CJK bigrams and characters
sql "SELECT term FROM kb_terms WHERE article_id = 1 ORDER BY term"
sql_is "article 1: configure/Configure/Configuration are one stem" <<'X'
a
account
and
client
configur
mail
minut
open
set
take
the
X
sql "SELECT term, tf FROM kb_terms WHERE article_id = 2 ORDER BY term"
sql_is "article 2: printer(s), prints/printing; 打印机网络 as bigrams and characters" <<'X'
colour|1
cost|1
doubl|1
each|1
in|4
more|1
offic|3
print|2
printer|4
side|1
the|3
印|1
印机|1
打|1
打印|1
机|1
机网|1
络|1
网|1
网络|1
X
sql "SELECT term FROM kb_terms WHERE article_id = 3 AND term IN ('1', '2', '21', 'x200', 'x', '200', 'cafe', 'café', 'resum', 'resume', 'résumé', 'wi', 'fi', 'wifi') ORDER BY term"
sql_is "digits stay whole; accents folded, then stemmed like any word" <<'X'
1
2
cafe
fi
resum
wi
x200
X

# every form of the word finds article 1
for q in configure configuring configuration configured Configures CONFIGURATIONS; do
	expect_code 0 crm-kb search --ids "$q"
	expect_out "'$q' finds the article about configuring" <<'X'
1
X
done
expect_code 0 crm-kb search --ids printed
expect_out "'printed' finds printing" <<'X'
2
X
expect_code 0 crm-kb search -f csv --fields snippet configuring
expect_out "the snippet marks configure and Configuration (one stem), not 'config'-less words" <<'X'
snippet
Open Settings and **configure** the account. **Configuration** takes a minute.
X
expect_code 0 crm-kb search -f csv --fields snippet printer
expect_out "printer marks printer, not prints or Printing (stem print)" <<'X'
snippet
Each **printer** prints double-sided. Printing in colour costs more. 打印机网络
X
expect_code 0 crm-kb search --ids 打印
expect_out "CJK bigram search as before" <<'X'
2
X
expect_code 0 crm-kb search --ids 机
expect_out "one CJK character as before" <<'X'
2
X
expect_code 0 crm-kb search --ids x200
expect_out "a word with digits as it is" <<'X'
3
X
expect_code 0 crm-kb search --ids résumé
expect_out "accents folded at both ends" <<'X'
3
X
done_testing
