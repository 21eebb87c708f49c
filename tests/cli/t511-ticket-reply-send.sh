#!/bin/bash
# crm-ticket reply --send: the MIME message handed to $CRM_SENDMAIL
# (threading headers, [#ID] tag, X-CRM-Loop, the agent's signature); a
# mail reply counts for the SLA first reply exactly as a CLI reply; the
# customer's answer threads back by Message-ID; our own mail coming back
# is a loop; canned responses (--macro) fill fields and set fields; a
# failed send records nothing.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-11-23T09:00:00Z # a Monday
export CRM_MAIL_FROM='ACME Support <support@example.com>'
export CRM_SENDMAIL="$T/sendmail -t -oi"
P=(--policies "$DATA/sla-test.json")
M=$DATA/mail
cat >"$T/sendmail" <<'X'
#!/bin/sh
# a sendmail stand-in: the arguments, then the message
echo "args: $*" >>"${0%/*}/sent"
cat >>"${0%/*}/sent"
X
chmod +x "$T/sendmail"

# two tickets by mail from Bob (no company: the standard policy, 2h)
expect_code_in 0 "$M/06-html-only.eml" crm-ticket mail "${P[@]}" -q
sed 's/html-only-1@/html-only-2@/; s/Invoice question/Refund question/' "$M/06-html-only.eml" >"$T/second.eml"
expect_code_in 0 "$T/second.eml" crm-ticket mail "${P[@]}" -q

mkdir -p "$T/home/.config/crm"
printf 'Ana Silva\nACME support, +1 555 0100\n' >"$T/home/.config/crm/signature"
CRM_NOW=2026-11-23T10:00:00Z CRM_USER=ana expect_code 0 crm-ticket reply "${P[@]}" 1 --send --body 'Hello Bob,

the VAT line was printed twice; a corrected invoice follows.'
err_has "replied to ticket 1 by mail"
cat >"$T/want" <<'X'
args: -t -oi
Date: Mon, 23 Nov 2026 10:00:00 +0000
From: ACME Support <support@example.com>
Subject: Re: Invoice question [#1]
To: Bob <bob@other.example>
Message-Id: <crm.1.1.1795428000@example.com>
In-Reply-To: <html-only-1@other.example>
References: <html-only-1@other.example>
X-CRM-Loop: support@example.com
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: quoted-printable

Hello Bob,

the VAT line was printed twice; a corrected invoice follows.

--=20
Ana Silva
ACME support, +1 555 0100
X
compare "$T/want" "$T/sent" "the message sendmail got: threading headers, tag, signature"
# the same reply time through the CLI alone
CRM_NOW=2026-11-23T10:00:00Z CRM_USER=ana expect_code 0 crm-ticket reply "${P[@]}" 2 --body 'Looking into it.'
expect_code 0 crm-ticket list -f csv --fields id,status,first_response_at,first_reply_due,first_reply_breached,next_reply_due,awaiting_since
expect_out "a mail reply counts for the first reply exactly as a CLI reply" <<'X'
id,status,first_response_at,first_reply_due,first_reply_breached,next_reply_due,awaiting_since
1,open,2026-11-23T10:00:00Z,2026-11-23T11:00:00Z,false,,
2,open,2026-11-23T10:00:00Z,2026-11-23T11:00:00Z,false,,
X

# Bob answers our mail: threaded by In-Reply-To alone (no tag in the subject)
cat >"$T/answer.eml" <<'X'
From: Bob <bob@other.example>
To: support@example.com
Subject: Re: Invoice question
Message-ID: <answer-1@other.example>
In-Reply-To: <crm.1.1.1795428000@example.com>

Thanks, got it.

On Mon, 23 Nov 2026 10:00:00 +0000, ACME Support <support@example.com> wrote:
> Hello Bob,
X
CRM_NOW=2026-11-23T10:30:00Z expect_code_in 0 "$T/answer.eml" crm-ticket mail "${P[@]}" -f csv
expect_out "the answer threads onto ticket 1 by Message-ID" <<'X'
ticket_id,contact_id,action,reason,attachments,dropped
1,1,replied,,0,0
X
expect_code 0 crm-ticket show 1 -f csv --fields id,awaiting_since,next_reply_due
expect_out "the answer starts the next-reply clock" <<'X'
id,awaiting_since,next_reply_due
1,2026-11-23T10:30:00Z,2026-11-23T14:30:00Z
X
# our own message coming back (a forwarding loop) is ignored
sed 1d "$T/sent" >"$T/ours.eml"
expect_code_in 0 "$T/ours.eml" crm-ticket mail "${P[@]}" -f csv
out_has ",ignored,loop,"

# a canned response: fields filled in, status set, signature from --signature
printf 'Ben\n' >"$T/sig"
: >"$T/sent"
CRM_NOW=2026-11-23T11:00:00Z CRM_USER=ben expect_code 0 crm-ticket reply "${P[@]}" 2 --send --macro billing --signature "$T/sig"
expect_code 0 crm-ticket show 2 -f csv --fields id,team,priority,status
expect_out "the macro set team and priority" <<'X'
id,team,priority,status
2,billing,high,open
X
sed -n '/^$/,$p' "$T/sent" >"$T/body"
cat >"$T/want" <<'X'

Hello Bob,

I have passed "Refund question" to our billing team.

--=20
Ben
X
compare "$T/want" "$T/body" "the macro's text with ticket and contact fields"
CRM_NOW=2026-11-23T11:05:00Z expect_code 0 crm-ticket reply "${P[@]}" 2 --macro solved --macros "$TOP/share/crm/macros.json" --body 'P.S. refund sent.'
expect_code 0 crm-ticket show 2 -f json
jq -c '[.ticket.status, .thread[-1].body]' "$T/out" >"$T/j"
echo '["solved","Hello Bob,\n\nglad it works again. I am marking this solved; a reply reopens it.\n\ntester\nP.S. refund sent."]' >"$T/want"
compare "$T/want" "$T/j" "a macro without --send: a logged reply that solves"

# failures record nothing (ticket 3 has a contact without an address)
expect_code 0 crm-ticket open "${P[@]}" --subject 'walk-in' -q
db_dump "" "$T/before"
CRM_SENDMAIL=false expect_code 75 crm-ticket reply "${P[@]}" 1 --send --body 'x'
err_has "the reply was not recorded"
CRM_MAIL_FROM= expect_code 78 crm-ticket reply "${P[@]}" 1 --send --body 'x'
expect_code 78 crm-ticket reply "${P[@]}" 1 --macro nosuch
err_has "no macro 'nosuch'"
printf '{"macros": {"x": {"body": "{{ticket.nosuch}}"}}}' >"$T/m.json"
expect_code 78 crm-ticket reply "${P[@]}" 1 --macro x --macros "$T/m.json"
err_has "unknown field '{{ticket.nosuch}}'"
expect_code 64 crm-ticket reply "${P[@]}" 1 2 --send --body 'x'
expect_code 65 crm-ticket reply "${P[@]}" 3 --send --body 'x'
err_has "its contact has no email address"
: >"$T/sent"
expect_code 0 crm-ticket reply "${P[@]}" 1 --send --body 'x' --dry-run
[ -s "$T/sent" ]; check "a dry run sends nothing" [ $? -ne 0 ]
expect_code 0 crm-ticket list -f csv --fields id --where 'id<3'
db_dump "" "$T/after"
compare "$T/before" "$T/after" "failed sends and a dry run wrote nothing"
done_testing
