#!/bin/sh
# gen-contacts.sh N: N realistic contacts as CSV on stdout (about 125 bytes
# a row): mixed-case emails, phones in several notations, some CJK names,
# tags, quoted fields with commas.
n=${1:-1000000}
awk -v n="$n" 'BEGIN {
	srand(42)
	split("Ann Bob Chloé Dmitri Eve Farid Grace Hiro Ines José Kai Lena Ming Noor Olga Pavel Quinn Rosa Sven Tariq 小明 美咲", fn, " ")
	split("Lee Smith Müller Novak García Okafor Rossi Tanaka Silva Kowalski Nguyen Dubois Jensen Haddad 王 佐藤", ln, " ")
	split("Acme|Globex|Initech|Umbrella|\"Stark, Inc.\"|Wayne Enterprises|北京科技有限公司|Soylent", co, "|")
	split("Lisbon Berlin Austin Osaka Lagos Toronto Sydney Pune Zürich Shanghai", ci, " ")
	split("PT DE US JP NG CA AU IN CH CN", cc, " ")
	split("web referral event ads partner cold_call social", so, " ")
	split("subscriber lead marketing_qualified_lead sales_qualified_lead opportunity customer", st, " ")
	split("CEO,VP Sales,Head of Ops,Engineer,Buyer,Analyst", ti, ",")
	print "external_id,first_name,last_name,email,phone,company,title,city,region,country,source,owner,tags,lifecycle_stage"
	for (i = 1; i <= n; i++) {
		f = fn[1 + int(rand() * 22)]; l = ln[1 + int(rand() * 16)]
		c = 1 + int(rand() * 10)
		p = (i % 3 == 0) ? sprintf("+1 (415) 555-%04d", i % 10000) : (i % 3 == 1) ? sprintf("+44 20 7946 %04d", i % 10000) : sprintf("0049 30 %07d", i)
		printf "crm-%d,%s,%s,User.%d@Example%d.com,%s,%s,%s,%s,R%d,%s,%s,rep%d,%s,%s\n", i, f, l, i, i % 97, p, co[1 + int(rand() * 8)], ti[1 + int(rand() * 6)], ci[c], c, cc[c], so[1 + int(rand() * 7)], i % 25, (i % 5 == 0) ? "\"vip,beta\"" : "", st[1 + int(rand() * 6)]
	}
}'
