#!/bin/bash
# crm-social region: where phone numbers are, from libphonenumber's
# geocoding data (Debian libphonenumber8 8.12.57). Every expected region
# below was looked up by hand in upstream libphonenumber's text data at
# tag v8.12.57 (resources/geocoding/LANG/CC.txt: longest prefix wins),
# not in crm's output:
#   zh/86.txt  86138001|北京市   861391234|江苏省常州市   861591000|山东省济宁市
#              8618621|上海市    86137600|广东省肇庆市    8618980|四川省成都市
#              86138990|新疆巴音郭楞蒙古自治州   861300096|新疆乌鲁木齐市
#              86755|广东省深圳市   8610|北京市
#   en/86.txt  86137600|Zhaoqing, Guangdong   861300096|Urumchi, Xinjiang
#   en/44.txt  4420|London    en/1.txt  141555|San Francisco, CA
#   en/49.txt  4930|Berlin    en/81.txt 813|Tokyo
. "$(dirname "$0")/../lib.sh"

# Chinese mobile numbers (手机号归属地): province and city, in Chinese
expect_code 0 crm-social region --country CN -f csv 13800138000 139-1234-5678 '+86 159 1000 1234' 18621234567 13760001234 18980001234 13899001234 13000961234
expect_out "Chinese mobiles: province and city" <<'X'
phone,e164,country,region,province,city,type
13800138000,+8613800138000,CN,北京市,北京市,北京市,mobile
139-1234-5678,+8613912345678,CN,江苏省常州市,江苏省,常州市,mobile
+86 159 1000 1234,+8615910001234,CN,山东省济宁市,山东省,济宁市,mobile
18621234567,+8618621234567,CN,上海市,上海市,上海市,mobile
13760001234,+8613760001234,CN,广东省肇庆市,广东省,肇庆市,mobile
18980001234,+8618980001234,CN,四川省成都市,四川省,成都市,mobile
13899001234,+8613899001234,CN,新疆巴音郭楞蒙古自治州,新疆,巴音郭楞蒙古自治州,mobile
13000961234,+8613000961234,CN,新疆乌鲁木齐市,新疆,乌鲁木齐市,mobile
X
# in English; the country from $CRM_PHONE_COUNTRY (a calling code)
CRM_PHONE_COUNTRY=+86 expect_code 0 crm-social region --lang en -f csv 13760001234 13000961234
expect_out "in English: city, province" <<'X'
phone,e164,country,region,province,city,type
13760001234,+8613760001234,CN,"Zhaoqing, Guangdong",Guangdong,Zhaoqing,mobile
13000961234,+8613000961234,CN,"Urumchi, Xinjiang",Xinjiang,Urumchi,mobile
X
# fixed lines by area code, and other countries' numbers
printf '0755-2345-6789\n010-6552-9988\n+44 20 7946 0000\n+1 415-555-0123\n+49 30 12345678\n+81 3-1234-5678\n' >"$T/nums"
expect_code_in 0 "$T/nums" crm-social region --stdin --country 86 -f csv
expect_out "fixed lines and other countries" <<'X'
phone,e164,country,region,province,city,type
0755-2345-6789,+8675523456789,CN,广东省深圳市,广东省,深圳市,fixed_line
010-6552-9988,+861065529988,CN,北京市,北京市,北京市,fixed_line
+44 20 7946 0000,+442079460000,GB,London,,,fixed_line
+1 415-555-0123,+14155550123,US,"San Francisco, CA",,,fixed_line_or_mobile
+49 30 12345678,+493012345678,DE,Berlin,,,fixed_line
+81 3-1234-5678,+81312345678,JP,Tokyo,,,fixed_line
X
# a number of no known range is no region; no country, or no number: 65
expect_code 0 crm-social region --country CN -f csv 12345
expect_out "invalid: no region" <<'X'
phone,e164,country,region,province,city,type
12345,+8612345,CN,,,,invalid
X
unset CRM_PHONE_COUNTRY
expect_code 65 crm-social region 13800138000
err_has "crm-social: invalid phone number '13800138000': no country: give it as +CC... or name the country"
expect_code 65 crm-social region --country CN abc
err_has "crm-social: invalid phone number 'abc': not a phone number"
expect_code 64 crm-social region
# it needs no database
check "no database made" [ ! -e "$CRM_DB" ]
done_testing
