#!/bin/sh
# gen-crm-contacts.sh N [SEED]: N contacts as crm-contact import takes them
# (CSV: external_id, first_name, last_name, email, phone, company, city,
# country) with known duplicates (about 10% of the records): name typos,
# case, Gmail dots and +tags, other phone formats, nicknames, first and last
# name swapped, missing email, phone, company or city. external_id is
# P<person>-<copy>: the person it was made from is the ground truth (dedupe
# does not compare external_id). Distinct people may share a name, a
# company or a city, as in a real CRM.
n=${1:-10000}
seed=${2:-11}
awk -v n="$n" -v seed="$seed" '
function pick(a, k) { return a[1 + int(rand() * k)] }
function zipf(a, k) { return a[1 + int(k * rand() ^ 2.2)] }
function syl(k,   s, i) { s = ""; for (i = 0; i < k; i++) s = s pick(SY, nsy); return s }
function cap(s) { return toupper(substr(s, 1, 1)) substr(s, 2) }
function typo(s,   p, l, c, r) {
	l = length(s); if (l < 3) return s
	p = 2 + int(rand() * (l - 1)); c = substr(ALPHA, 1 + int(rand() * 26), 1)
	r = rand()
	if (r < 0.3) return substr(s, 1, p - 1) c substr(s, p + 1)
	if (r < 0.55) return substr(s, 1, p - 1) substr(s, p + 1)
	if (r < 0.8) return substr(s, 1, p - 1) c substr(s, p)
	if (p == l) p--
	return substr(s, 1, p - 1) substr(s, p + 1, 1) substr(s, p, 1) substr(s, p + 2)
}
# the same number written another way
function phonefmt(d, k) {
	if (k == 0) return "+1 " substr(d, 1, 3) " " substr(d, 4, 3) " " substr(d, 7)
	if (k == 1) return "+1 (" substr(d, 1, 3) ") " substr(d, 4, 3) "-" substr(d, 7)
	if (k == 2) return substr(d, 1, 3) "-" substr(d, 4, 3) "-" substr(d, 7)
	if (k == 3) return "1" d
	return "(" substr(d, 1, 3) ") " substr(d, 4, 3) "." substr(d, 7)
}
function gmaildots(u,   p) {
	gsub(/\./, "", u); p = 2 + int(rand() * (length(u) - 2))
	return substr(u, 1, p - 1) "." substr(u, p)
}
function emit(x, f, l, e, p, c, ci, co) {
	printf "%s,%s,%s,%s,%s,%s,%s,%s\n", x, f, l, e, p, c, ci, co
}
BEGIN {
	srand(seed)
	ALPHA = "abcdefghijklmnopqrstuvwxyz"
	nsy = split("ka ri mo la ne to sa vi ro da me lu pe ti ba go hu ze ya ni", SY, " ")
	nfn = split("james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter kyle noah ethan jeremy walter mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra ashley kimberly emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca sharon laura cynthia kathleen amy angela shirley anna brenda pamela emma nicole helen samantha katherine christine debra rachel carolyn janet catherine maria heather diane ruth julie olivia joyce virginia victoria kelly lauren christina joan evelyn judith megan andrea cheryl hannah martha gloria teresa ann sara madison frances alice grace", FN, " ")
	nln = split("smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill flores green adams nelson baker hall rivera campbell mitchell carter roberts gomez phillips evans turner diaz parker cruz edwards collins reyes stewart morris morales murphy cook rogers gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos kim cox ward richardson watson brooks chavez wood james bennett gray mendoza ruiz hughes price alvarez castillo sanders patel myers long ross foster jimenez", LN, " ")
	for (i = 1; i <= 20000; i++) LN[nln + i] = syl(2 + int(rand() * 2)) (rand() < 0.5 ? "son" : "er")
	nln += 20000
	split("bill:william bob:robert jim:james mike:michael dave:david dick:richard joe:joseph tom:thomas chuck:charles chris:christopher dan:daniel matt:matthew tony:anthony steve:steven andy:andrew ken:kenneth greg:gregory alex:alexander pat:patrick ray:raymond jerry:gerald sam:samuel ben:benjamin peggy:margaret sandy:sandra kim:kimberly becky:rebecca liz:elizabeth sue:susan jen:jennifer kate:catherine debbie:deborah pam:pamela", NK, " ")
	for (k in NK) { split(NK[k], kv, ":"); NICK[kv[2]] = kv[1] }
	ncf = split("Inc LLC Ltd GmbH Corp S.A. Group Holdings", LF, " ")
	for (i = 1; i <= 30000; i++) CO[i] = cap(syl(2 + int(rand() * 2))) (rand() < 0.3 ? " " cap(syl(2)) : "")
	nci = split("Austin Boston Chicago Denver Seattle London Paris Berlin Madrid Lisbon Dublin Toronto Sydney Tokyo Oslo", CI, " ")
	nfree = split("gmail.com gmail.com gmail.com yahoo.com outlook.com", FREE, " ")
	print "external_id,first_name,last_name,email,phone,company,city,country"
	id = 0; person = 0
	while (id < n) {
		person++
		f = zipf(FN, nfn); l = (rand() < 0.3) ? zipf(LN, 100) : LN[101 + int(rand() * (nln - 100))]
		ci = 1 + int(30000 * rand() ^ 1.5); co = CO[ci]
		dom = tolower(co); gsub(/ /, "", dom); dom = dom ".com"
		free = rand() < 0.35
		user = f "." l (person % 7 == 0 ? person % 100 : "")
		e = free ? user person "@" pick(FREE, nfree) : user "@" dom
		if (rand() < 0.08) e = ""
		d = sprintf("%03d%03d%04d", 200 + int(rand() * 800), 200 + int(rand() * 800), int(rand() * 10000))
		p = rand() < 0.15 ? "" : phonefmt(d, int(rand() * 5))
		lf = rand() < 0.6 ? " " LF[1 + int(rand() * ncf)] : ""
		city = pick(CI, nci); cty = city ~ /^(Austin|Boston|Chicago|Denver|Seattle)$/ ? "US" : ""
		emit("P" person "-0", cap(f), cap(l), e, p, co lf, city, cty)
		id++
		if (rand() < 0.065) {
			nd = 1 + int(rand() * rand() * 3.5)
			for (c = 1; c <= nd && id < n; c++) {
				df = f; dl = l; de = e; dp = p; dc = co lf; dci = city
				ne = 1 + int(rand() * 2.5)
				for (k = 0; k < ne; k++) {
					r = rand()
					if (r < 0.18) { if (rand() < 0.5) df = typo(df); else dl = typo(dl) }
					else if (r < 0.30) { if (df in NICK) df = NICK[df]; else df = typo(df) }
					else if (r < 0.38) { t = df; df = dl; dl = t }
					else if (r < 0.52) { if (de ~ /@gmail\.com$/) { split(de, u, "@"); de = gmaildots(u[1]) "@gmail.com" } else if (de != "") { split(de, u, "@"); de = u[1] "+news@" u[2] } }
					else if (r < 0.66) { if (d != "") dp = phonefmt(d, int(rand() * 5)) }
					else if (r < 0.74) { de = "" }
					else if (r < 0.80) { dp = "" }
					else if (r < 0.86) { dc = co }
					else if (r < 0.90) { dci = "" }
					else { de = toupper(de) }
				}
				if (rand() < 0.3) df = toupper(df); else df = cap(df)
				if (rand() < 0.2) dl = tolower(dl); else dl = cap(dl)
				emit("P" person "-" c, df, dl, de, dp, dc, dci, cty)
				id++
			}
		}
	}
}'
