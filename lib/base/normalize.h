/* normalize.h - normalizers for names, emails, phones and company names,
 * shared by validation on import and by duplicate matching. All take and
 * give UTF-8 and append to a crm_buf (reset by the caller); on error nothing
 * is appended. */
#ifndef CRM_NORMALIZE_H
#define CRM_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* Unicode NFC (fast path: ASCII input is copied as is). Returns 0, or -1
 * when s is not valid UTF-8 (overlong forms, surrogates and stray bytes
 * included) or contains a NUL byte. */
int crm_norm_nfc(const char *s, size_t len, struct crm_buf *out);
/* Case-folded NFC for "contains, ignoring case" (--where FIELD~TEXT):
 * Unicode full case folding, so "MÜLLER" and "Müller" fold alike, "Straße"
 * folds to "strasse" and "ΣΟΦΊΑ" to "σοφία". Bytes that are not UTF-8 are
 * copied as they are. Appends to out; never fails. */
void crm_norm_fold(const char *s, size_t len, struct crm_buf *out);
/* Matching key: NFKC, case folded, accents stripped, punctuation to space,
 * runs of space collapsed, trimmed. "  Zoë  O'Brien " -> "zoe o brien",
 * "ＡＢＣ" -> "abc", "İstanbul" -> "istanbul", CJK kept as is. Letters and
 * digits are kept, everything else (NUL included) separates words. Marks
 * are stripped where they are accents (Latin, Greek, Cyrillic, Hebrew and
 * Arabic points) and kept where they are part of the letter (Devanagari
 * vowel signs, kana voicing: ガ stays ガ). Returns 0, or -1 when s is not
 * valid UTF-8. */
int crm_norm_key(const char *s, size_t len, struct crm_buf *out);

/* Validate an email address and normalize it: trimmed, NFC, domain
 * lower-cased (ASCII and Unicode), local part kept. The local part is a
 * dot-atom (UTF-8 allowed, quoted forms refused) of at most 64 bytes; the
 * domain has at least one dot, labels of letters, digits and inner hyphens
 * (IDN letters too) and a non-numeric TLD of 2 or more characters; at most
 * 254 bytes in all. Returns 0, or -1 with "invalid address 'ann@': empty
 * domain" and the like in err->msg (code CRM_EX_DATAERR). err may be NULL. */
int crm_norm_email(const char *s, struct crm_buf *out, struct crm_err *err);
/* Matching form of an email: all lower case; for gmail.com/googlemail.com
 * dots in the local part dropped and domain gmail.com; "+tag" dropped for
 * providers known to use it (gmail, outlook/hotmail/live, icloud/me/mac,
 * fastmail, protonmail/proton.me/pm.me), "-tag" for yahoo.com. Input must
 * already be valid (crm_norm_email). */
void crm_norm_email_key(const char *email, struct crm_buf *out);
/* Append the domain part of an email (after the last '@', lower case) to
 * out. Returns 0, or -1 (nothing appended) when there is no '@' or nothing
 * after it. */
int crm_norm_email_domain(const char *email, struct crm_buf *out);
/* A web address past its "https://" or "http://" and then "www." (case
 * ignored): where its host name begins ("https://www.Acme.com/about" ->
 * "Acme.com/about"). */
const char *crm_norm_url_host(const char *url);

/* Phone to a matching form: "+" and digits (E.164) when the number has a
 * "+" or "00" international prefix (or "011" with default_cc "1"), or when
 * default_cc (e.g. "1", "44", "+44"; NULL or "" for none) is given and the
 * number is national (a leading 0 trunk prefix dropped, except for Italy,
 * 39; a leading 1 of an 11-digit NANP number dropped); digits only
 * otherwise. "+44 (0)20 ..." drops the (0). Spaces, . - / ( ), no-break
 * spaces and Unicode dashes are noise; extensions at the end ("x123",
 * "ext 123", "ext. 123", "extension 123", "#123") are dropped. Returns 0,
 * or -1 when the number has fewer than 4 or more than 15 digits, letters
 * other than an extension marker, or other characters (CRM_EX_DATAERR,
 * "invalid phone number '...': why"), or when default_cc is not 1-3
 * digits (CRM_EX_CONFIG). err may be NULL. */
int crm_norm_phone(const char *s, const char *default_cc, struct crm_buf *out,
		   struct crm_err *err);

/* Company name matching key: "&" -> "and", crm_norm_key, then legal-form
 * suffixes and noise removed as whole trailing words, repeatedly, in many
 * languages (Inc, Inc., Incorporated, LLC, L.L.C., Ltd, Limited, GmbH, AG,
 * S.A., SA, SARL, S.A.R.L., B.V., BV, N.V., Co., Company, Corp.,
 * Corporation, Pty Ltd, PLC, S.p.A., S.r.l., Oy, AB, A/S, KK ...), CJK
 * forms that are not space separated removed as string suffixes (有限公司,
 * 股份有限公司, 株式会社, 合同会社, 주식회사 ...) or prefixes (株式会社,
 * 주식회사, (株), (주)), and leading "the" and ООО-style prefixes dropped.
 * "The ACME Corp., Inc." -> "acme", "Acme Holdings Co., Ltd." -> "acme
 * holdings". Never empty when the input had letters or digits: something
 * always remains, and a name that is only a legal form ("Inc.") is kept
 * whole. Returns 0, or -1 when s is not valid UTF-8. */
int crm_norm_company(const char *s, size_t len, struct crm_buf *out);

/* The formal given name for a common nickname, given and returned as a
 * matching key (crm_norm_key): "bob" -> "robert", "kate" -> "catherine";
 * key itself when it is no known nickname. The result is key or a static
 * string. */
const char *crm_norm_nickname(const char *key);
/* Address matching key: crm_norm_key, then street abbreviations spelt out
 * word by word ("12 Main St." -> "12 main street", "Rd" -> "road", "Ave" ->
 * "avenue", "N" -> "north" ...). Appends to out, which must be empty or
 * end a word. Returns 0, or -1 when s is not valid UTF-8. */
int crm_norm_address(const char *s, size_t len, struct crm_buf *out);

#endif
