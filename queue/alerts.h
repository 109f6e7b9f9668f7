/*
 * alerts: what OPD heads, the escalation OPD and the mayor are sent, and
 * who counts as staff.  Pure functions over the config and a report's
 * routing facts: the text of an alert, reminder, escalation or digest
 * (overridable [templates]), the WhatsApp template parameters that carry
 * it outside the 24-hour window, the SMS channel to fall back to, and the
 * masked excerpt an OPD may choose to receive.  Never the reporter's
 * identity: a report's text reaches an alert only as that excerpt, what
 * identifies a person masked by queue/mask.c (numbers, e-mails, plates,
 * names, house and RT/RW numbers).
 */
#ifndef HOTLINE_ALERTS_H
#define HOTLINE_ALERTS_H

#include <stddef.h>
#include <time.h>

#include "config/config.h"
#include "queue/store.h"

#define ALERTS_EXCERPT_MAX 280 /* bytes of an excerpt, "…" included */
#define ALERTS_PER_OPD	   2   /* head and deputy */

/* One message to a member of staff, ready for store_insert_outbound. */
struct alert_message {
	const char *kind; /* alert, reminder, escalation, digest */
	const char *channel, *destination;
	char *body;		   /* malloc'd: the whole text */
	const char *template_name; /* the channel's alert_template, or NULL */
	char *params;		   /* malloc'd JSON array, or NULL */
	const char *fallback;	   /* the channel's sms_fallback, or NULL */
};

/*
 * Is number (E.164), writing on channel, the head or the deputy of opd?
 * Only on the channel configured for them (head_channel, deputy_channel):
 * on another, a shared-secret SMS gateway say, the number proves nothing.
 * channel NULL: on any channel.
 */
int alerts_is_head_of(
    const struct opd *, const char *channel, const char *number);

/*
 * Is number (E.164), writing on channel, staff: a head or deputy of any
 * OPD, or the digest's recipient, on their own channel?  Staff messages
 * are commands, never reports; on another channel a staff number is a
 * citizen like any other.
 */
int alerts_is_staff(
    const struct config *, const char *channel, const char *number);

/*
 * The messages of kind (TEMPLATE_ALERT, TEMPLATE_REMINDER or
 * TEMPLATE_ESCALATION) about report c to the head and deputy of opd,
 * stored in out (room for ALERTS_PER_OPD).  They name the deadline to
 * resolve when resolve is set, else the one to acknowledge.  Returns how
 * many, or -1 when out of memory.  Free with alerts_free().
 */
int alerts_about(const struct config *, enum template_id kind,
    const struct store_case *c, const struct opd *opd, int resolve,
    struct alert_message out[ALERTS_PER_OPD]);

/*
 * The daily digest to [digest] to and each of also_to: counts only, the
 * custodian key's fingerprint and the audit log's anchor.  day is the
 * local day (days since 1970-01-01) it covers.  The number of messages
 * (at most ALERTS_DIGEST_MAX), or -1 when out of memory.
 */
#define ALERTS_DIGEST_MAX 9
int alerts_digest(const struct config *, const struct store_digest *, int day,
    struct alert_message *out);

void alerts_free(struct alert_message *, int n);

/*
 * The excerpt of text (NULL: none) an OPD with alert_text = excerpt
 * receives: mask_text() of queue/mask.h, one line with phone and NIK
 * numbers, e-mails, plates, names and house numbers masked, at most
 * ALERTS_EXCERPT_MAX bytes, cut at a character boundary with "…".
 */
void alerts_excerpt(const char *text, char out[ALERTS_EXCERPT_MAX + 1]);

/*
 * t as Indonesians read a deadline: "Senin 07-12-2026 23:59 WIB" at
 * utc_offset (WIB, WITA, WIT by name, other offsets as UTC+hh:mm).
 */
void alerts_format_time(time_t t, int utc_offset, char *buf, size_t len);

#endif
