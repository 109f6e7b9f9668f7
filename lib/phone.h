/*
 * phone: Indonesian phone numbers normalised to E.164.  Citizens and
 * providers write one number many ways (08..., 628..., 0062..., +62 8...,
 * "whatsapp:+62..."); everything that links or seals a sender uses the one
 * canonical form "+628...".
 */
#ifndef HOTLINE_PHONE_H
#define HOTLINE_PHONE_H

#include <stddef.h>

#define PHONE_E164_MAX 17 /* "+" + 15 digits + NUL */

/*
 * Normalise in to E.164 in out (at least PHONE_E164_MAX bytes).  Accepts
 * an optional "whatsapp:" or "tel:" prefix, spaces, dashes, dots and
 * parentheses, and the forms 08..., 8..., 628..., 0062..., +62...; other
 * countries' numbers given with "+" or "00" are kept in E.164.  Returns 0,
 * or -1 when in is not a plausible phone number (out is then "").
 */
int phone_normalize(const char *in, char *out, size_t outlen);

#endif
