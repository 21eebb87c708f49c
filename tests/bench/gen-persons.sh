#!/bin/sh
# gen-persons.sh N [SEED]: N person records as CSV with known duplicates
# (about 10% of the records), in the style of the FEBRL generator: typos
# (substitution, deletion, insertion, transposition), missing values,
# first and last name swapped, nicknames, street abbreviations, day/month
# swaps and one-digit typos in birth dates, postcode typos. The true_id
# column names the person a record was made from (the ground truth; dedupe
# tools must not read it).
n=${1:-10000}
seed=${2:-7}
awk -v n="$n" -v seed="$seed" '
function pick(a, k) { return a[1 + int(rand() * k)] }
# a skewed pick: low indexes are common, as with real names
function zipf(a, k) { return a[1 + int(k * rand() ^ 2.2)] }
function syl(k,   s, i) { s = ""; for (i = 0; i < k; i++) s = s pick(SY, nsy); return s }
function cap(s) { return toupper(substr(s, 1, 1)) substr(s, 2) }
function typo(s,   p, l, c, r) {
	l = length(s); if (l < 2) return s
	p = 1 + int(rand() * l); c = substr(ALPHA, 1 + int(rand() * 26), 1)
	r = rand()
	if (r < 0.3) return substr(s, 1, p - 1) c substr(s, p + 1)           # substitute
	if (r < 0.55) return substr(s, 1, p - 1) substr(s, p + 1)           # delete
	if (r < 0.8) return substr(s, 1, p - 1) c substr(s, p)              # insert
	if (p == l) p--
	return substr(s, 1, p - 1) substr(s, p + 1, 1) substr(s, p, 1) substr(s, p + 2)  # transpose
}
function datetypo(d,   y, m, dd, r, p, c) {
	y = substr(d, 1, 4); m = substr(d, 6, 2); dd = substr(d, 9, 2)
	r = rand()
	if (r < 0.5 && dd + 0 <= 12 && dd != m) return y "-" dd "-" m
	p = 1 + int(rand() * 8); d = y m dd
	do c = int(rand() * 10); while (c == substr(d, p, 1))
	d = substr(d, 1, p - 1) c substr(d, p + 1)
	m = substr(d, 5, 2) + 0; dd = substr(d, 7, 2) + 0
	if (m < 1 || m > 12 || dd < 1 || dd > 28) return y "-" substr(d, 5, 2) "-" sprintf("%02d", (dd % 28) + 1)
	return substr(d, 1, 4) "-" substr(d, 5, 2) "-" substr(d, 7, 2)
}
function emit(id, f, l, d, pc, a, s, st, t) {
	printf "%d,%s,%s,%s,%s,%s,%s,%s,%d\n", id, f, l, d, pc, a, s, st, t
}
BEGIN {
	srand(seed)
	ALPHA = "abcdefghijklmnopqrstuvwxyz"
	nsy = split("ka ri mo la ne to sa vi ro da me lu pe ti ba go hu ze ya ni", SY, " ")
	nfn = split("james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter kyle noah ethan jeremy walter christian keith roger terry austin sean gerald carl harold dylan arthur lawrence jordan jesse bryan billy bruce gabriel joe logan albert willie alan eugene russell vincent philip bobby johnny bradley mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra ashley kimberly emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca sharon laura cynthia kathleen amy angela shirley anna brenda pamela emma nicole helen samantha katherine christine debra rachel carolyn janet catherine maria heather diane ruth julie olivia joyce virginia victoria kelly lauren christina joan evelyn judith megan andrea cheryl hannah jacqueline martha gloria teresa ann sara madison frances kathryn janice jean abigail alice judy sophia grace denise amber doris marilyn danielle beverly isabella theresa diana natalie brittany charlotte marie kayla alexis lori", FN, " ")
	nln = split("smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill flores green adams nelson baker hall rivera campbell mitchell carter roberts gomez phillips evans turner diaz parker cruz edwards collins reyes stewart morris morales murphy cook rogers gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos kim cox ward richardson watson brooks chavez wood james bennett gray mendoza ruiz hughes price alvarez castillo sanders patel myers long ross foster jimenez", LN, " ")
	# more surnames, made of syllables, so blocks stay realistic at 1M
	for (i = 1; i <= 20000; i++) LN[nln + i] = syl(2 + int(rand() * 2)) (rand() < 0.5 ? "son" : "er")
	nln += 20000
	nst = split("street road avenue lane drive court place crescent", STT, " ")
	split("st rd ave ln dr ct pl cres", STA, " ")
	nstate = split("nsw vic qld wa sa tas act nt", STATE, " ")
	split("bill:william bob:robert jim:james mike:michael dave:david dick:richard joe:joseph tom:thomas chuck:charles chris:christopher dan:daniel matt:matthew tony:anthony steve:steven andy:andrew ken:kenneth greg:gregory alex:alexander frank:francis pat:patrick ray:raymond jerry:gerald sam:samuel ben:benjamin peggy:margaret sandy:sandra kim:kimberly becky:rebecca liz:elizabeth beth:elizabeth sue:susan jen:jennifer kate:catherine debbie:deborah cathy:catherine pam:pamela", NK, " ")
	for (k in NK) { split(NK[k], kv, ":"); NICK[kv[2]] = kv[1] }
	print "rec_id,given_name,surname,date_of_birth,postcode,address,suburb,state,true_id"
	id = 0; person = 0
	while (id < n) {
		person++
		f = zipf(FN, nfn); l = (rand() < 0.3) ? zipf(LN, 100) : LN[101 + int(rand() * (nln - 100))]
		d = sprintf("%04d-%02d-%02d", 1930 + int(rand() * 75), 1 + int(rand() * 12), 1 + int(rand() * 28))
		pc = 1000 + int(rand() * 9000)
		si = 1 + int(rand() * nst)
		a = (1 + int(rand() * 300)) " " syl(2 + int(rand() * 2)) " " STT[si]
		s = syl(3); st = pick(STATE, nstate)
		emit(++id, f, l, d, pc, a, s, st, person)
		# about 10% of the records are duplicates: 1 to 3 copies
		if (rand() < 0.065) {
			nd = 1 + int(rand() * rand() * 3.5)
			for (c = 0; c < nd && id < n; c++) {
				df = f; dl = l; dd = d; dp = pc; da = a; ds = s; dst = st
				ne = 1 + int(rand() * 2.5)
				for (e = 0; e < ne; e++) {
					r = rand()
					if (r < 0.22) { if (rand() < 0.5) df = typo(df); else dl = typo(dl) }
					else if (r < 0.32) { if (df in NICK) df = NICK[df]; else df = typo(df) }
					else if (r < 0.40) { t = df; df = dl; dl = t }
					else if (r < 0.52) { k = int(rand() * 5); if (k == 0) df = ""; else if (k == 1) dd = ""; else if (k == 2) dp = ""; else if (k == 3) da = ""; else ds = "" }
					else if (r < 0.66) dd = datetypo(dd)
					else if (r < 0.78) { sub(STT[si] "$", STA[si], da) }
					else if (r < 0.86) dp = typo(dp "")
					else if (r < 0.94) da = typo(da)
					else ds = typo(ds)
				}
				if (rand() < 0.3) df = cap(df)
				if (rand() < 0.3) dl = toupper(dl)
				emit(++id, df, dl, dd, dp, da, ds, dst, person)
			}
		}
	}
}'
