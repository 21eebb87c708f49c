/* match.h - field comparators for duplicate detection: string similarity,
 * edit distance, token sets, a phonetic code, dates and numbers. Strings are
 * UTF-8 and compared by code point (the first 64 of each; keys made by
 * crm_norm_key are shorter than that in practice). None allocates except
 * crm_match_nysiis, which appends to the caller's buffer. */
#ifndef CRM_MATCH_H
#define CRM_MATCH_H

#include <stdbool.h>

#include "util.h"

/* Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, up to 4 characters
 * of common prefix): MARTHA/MARHTA 0.961, DIXON/DICKSONX 0.813. Two empty
 * strings are 1, one empty string 0. */
double crm_match_jaro_winkler(const char *a, const char *b);
/* crm_match_jaro_winkler when that is at least min, else some value below
 * min (often found without the full comparison): for callers that only
 * compare the similarity with min or more. */
double crm_match_jaro_winkler_min(const char *a, const char *b, double min);
/* Damerau-Levenshtein distance, optimal string alignment form (insert,
 * delete, substitute, swap two adjacent characters; no substring edited
 * twice): kitten/sitting 3, abcdef/abcdfe 1, CA/ABC 3. */
int crm_match_damerau(const char *a, const char *b);
/* crm_match_damerau capped at 2 (0 equal, 1 one edit apart, 2 more), in
 * linear time: for callers that only ask whether two values are a typo
 * apart. */
int crm_match_damerau_near(const char *a, const char *b);
/* Token-set similarity: |A and B| / |A or B| over the sets of
 * space-separated words (Jaccard); "acme holdings"/"holdings acme" 1,
 * "acme"/"acme holdings" 0.5. Two empty strings are 1. */
double crm_match_token_set(const char *a, const char *b);
/* NYSIIS phonetic code (the original algorithm, code cut to 6 letters) of
 * the ASCII letters of s, upper case, appended to out: JOHNSON -> JANSAN,
 * KNIGHT -> NAGT. Nothing is appended when s has no ASCII letter. */
void crm_match_nysiis(const char *s, struct crm_buf *out);
/* The space-separated words of s, at most max of them: the start of each in
 * w, its length in len. Returns how many. */
int crm_match_words(const char *s, const char **w, int *len, int max);

/* A date as YYYYMMDD from "YYYY-MM-DD" (a time part after it ignored),
 * "YYYYMMDD" or "DD/MM/YYYY" ("DD.MM.YYYY"). Returns 0 when s is no such
 * date (not checked against the calendar beyond month 1-12, day 1-31). */
long crm_match_date_parse(const char *s);
/* Agreement of two dates (crm_match_date_parse form): 3 the same; 2 day and
 * month swapped, or one digit wrong, or two adjacent digits swapped; 1 the
 * same year; 0 none of these; -1 when either is 0 (missing). */
int crm_match_date(long a, long b);
/* Closeness of two numbers in [0, 1]: 1 - |a - b| / max(|a|, |b|); 1 when
 * both are 0. */
double crm_match_numeric(double a, double b);

#endif
