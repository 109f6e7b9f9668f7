/*
 * phone: Indonesian phone numbers to E.164.  The input is stripped of an
 * optional "whatsapp:" or "tel:" prefix and of the separators people type
 * (spaces, dashes, dots, parentheses); what is left must be digits, with
 * at most one leading "+".  Indonesian forms (08..., 8..., 628...,
 * 0062..., +62...) become "+62" and the national number without its
 * trunk 0; other countries given with "+" or "00" are kept as they are.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/phone.h"

#define PHONE_DIGITS_MAX 15 /* E.164 */
#define PHONE_ID_MIN	 8  /* national number, without the trunk 0 */
#define PHONE_ID_MAX	 12
#define PHONE_MOBILE_MIN 9 /* 08 + at least 8 digits */
#define PHONE_INTL_MIN	 7 /* country code + number */

/* "+", the country code cc and the national digits into out. */
static int
phone_write(char *out, size_t outlen, const char *cc, const char *digits)
{
	size_t need = 1 + strlen(cc) + strlen(digits) + 1;

	if (need > outlen || need > PHONE_E164_MAX)
		return -1;
	snprintf(out, outlen, "+%s%s", cc, digits);
	return 0;
}

/* National Indonesian number, trunk 0 already removed. */
static int
phone_indonesian(const char *national, char *out, size_t outlen)
{
	size_t n = strlen(national);

	if (national[0] == '0')
		national++, n--; /* "+62 (0)812..." */
	if (n < PHONE_ID_MIN || n > PHONE_ID_MAX || national[0] == '0')
		return -1;
	if (national[0] == '8' && n < PHONE_MOBILE_MIN)
		return -1;
	return phone_write(out, outlen, "62", national);
}

int
phone_normalize(const char *in, char *out, size_t outlen)
{
	char digits[PHONE_DIGITS_MAX + 8];
	size_t nd = 0;
	int plus = 0, rc = -1;
	const char *p, *d;

	if (out == NULL || outlen == 0)
		return -1;
	out[0] = '\0';
	if (in == NULL)
		return -1;
	if (strncasecmp(in, "whatsapp:", 9) == 0)
		in += 9;
	else if (strncasecmp(in, "tel:", 4) == 0)
		in += 4;
	for (p = in; *p == ' '; p++)
		;
	if (*p == '+') {
		plus = 1;
		p++;
	}
	for (; *p != '\0'; p++) {
		if (isdigit((unsigned char)*p)) {
			if (nd + 1 >= sizeof(digits))
				return -1;
			digits[nd++] = *p;
		} else if (strchr(" -.()", *p) == NULL)
			return -1;
	}
	digits[nd] = '\0';
	d = digits;

	if (!plus && d[0] == '0' && d[1] == '0') {
		plus = 1;
		d += 2;
	}
	if (plus) {
		if (d[0] == '6' && d[1] == '2')
			rc = phone_indonesian(d + 2, out, outlen);
		else if (d[0] != '0' && strlen(d) >= PHONE_INTL_MIN &&
		    strlen(d) <= PHONE_DIGITS_MAX)
			rc = phone_write(out, outlen, "", d);
	} else if (d[0] == '0')
		rc = phone_indonesian(d + 1, out, outlen);
	else if (d[0] == '6' && d[1] == '2')
		rc = phone_indonesian(d + 2, out, outlen);
	else if (d[0] == '8')
		rc = phone_indonesian(d, out, outlen);
	if (rc == -1)
		out[0] = '\0';
	return rc;
}
