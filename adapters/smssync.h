/*
 * smssync: SMSSync's polling protocol, by which the phone fetches what the
 * hotline has to send (replies that could not ride in a webhook's answer,
 * alerts to heads on SMS).  Every task request names the channel's secret
 * in its query (?task=send&secret=...), compared in constant time:
 *
 *   GET  ?task=send    answered {"payload":{"task":"send","secret":S,
 *                      "messages":[{"to","message","uuid"}...]}}
 *   POST ?task=sent    {"queued_messages":[uuid...]}: the phone queued
 *                      them; answered {"message_uuids":[uuid...]} (those
 *                      the hotline knew)
 *   GET  ?task=result  answered {"message_uuids":[uuid...]}: those whose
 *                      result the hotline still waits for
 *   POST ?task=result  {"message_result":[{"uuid","sent_result_code",
 *                      "delivered_result_code"...}]}: sent (0) or not,
 *                      delivered or not
 *
 * Pure: parsing and building the JSON; gateway/smssync_poll.c does the
 * rest.
 */
#ifndef HOTLINE_SMSSYNC_H
#define HOTLINE_SMSSYNC_H

#include <stddef.h>

#include "adapters/adapter.h"
#include "config/config.h"

#define SMSSYNC_UUID_SIZE 37  /* 36 and the NUL */
#define SMSSYNC_BATCH	  16  /* messages handed out in one answer */
#define SMSSYNC_RESULTS	  256 /* uuids read from one request */

enum smssync_task {
	SMSSYNC_NOT_A_TASK, /* a received SMS (form POST) */
	SMSSYNC_SEND,	    /* GET ?task=send */
	SMSSYNC_SENT,	    /* POST ?task=sent */
	SMSSYNC_QUEUED,	    /* GET ?task=result */
	SMSSYNC_RESULT,	    /* POST ?task=result */
	SMSSYNC_BAD_TASK,   /* a task, but not one of these (or method) */
};

/* Which task req is (its method and ?task=). */
enum smssync_task smssync_task_of(const struct webhook_request *req);

/* Does req's query carry the channel's secret?  0, 401 or 403. */
int smssync_task_auth(const struct channel *, const struct webhook_request *);

/* A message to hand to the phone. */
struct smssync_out {
	const char *to, *message;
	char uuid[SMSSYNC_UUID_SIZE];
};

/* A fresh random uuid (version 4). */
void smssync_new_uuid(char out[SMSSYNC_UUID_SIZE]);

/* The task=send answer for n messages (0 is fine); malloc'd or NULL. */
char *smssync_send_answer(
    const struct channel *, const struct smssync_out *, size_t n);

/* {"message_uuids":[...]}; malloc'd or NULL. */
char *smssync_uuids_answer(const char (*uuids)[SMSSYNC_UUID_SIZE], size_t n);

/*
 * The uuids of a task=sent body ("queued_messages") into uuids (at most
 * max).  How many, or -1 when the body is not such JSON.
 */
int smssync_queued(
    const char *body, size_t len, char (*uuids)[SMSSYNC_UUID_SIZE], size_t max);

/* One result of a task=result body. */
struct smssync_result {
	char uuid[SMSSYNC_UUID_SIZE];
	int sent;      /* sent_result_code 0 */
	int delivered; /* 1 delivered, 0 not, -1 not known yet */
};

/* The results of a task=result body.  How many, or -1 (not such JSON). */
int smssync_results(
    const char *body, size_t len, struct smssync_result *out, size_t max);

#endif
