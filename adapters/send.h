/*
 * send: the outbound half of each provider adapter.  Pure functions again:
 * build the HTTP request that sends one message through the provider's
 * API, and read the provider's answer into an outcome the dispatcher acts
 * on (sent, retry later, or give up).  Twilio and SMSSync can also carry
 * replies inline, in the answer to the webhook itself.
 */
#ifndef HOTLINE_SEND_H
#define HOTLINE_SEND_H

#include <stddef.h>
#include <time.h>

#include "adapters/adapter.h"
#include "config/config.h"

#define SEND_MAX_HEADERS 4

/* One message to send. */
struct outbound_message {
	const char *to;	  /* E.164 "+62..." or a WhatsApp BSUID */
	const char *text; /* UTF-8 */
	/*
	 * A WhatsApp template (name and body parameters) for when the
	 * 24-hour window is closed; NULL for a plain text message.
	 */
	const char *template_name;
	const char *const *template_params;
	size_t ntemplate_params;
	const char *status_callback; /* Twilio StatusCallback URL */
};

/* The HTTP request to make.  Free with http_request_free(). */
struct http_request {
	char url[1024];
	char content_type[64];
	char *body; /* malloc'd, NUL-terminated */
	size_t body_len;
	char headers[SEND_MAX_HEADERS][512]; /* "Name: value"; "" unused */
	char userpwd[512]; /* HTTP Basic "user:password" or "" */
	char method[8];	   /* "DELETE", or "" for a POST of body */
};

enum send_outcome {
	SEND_OK,	/* accepted by the provider */
	SEND_RETRY,	/* 5xx, throttling, 429: try again later */
	SEND_PERMANENT, /* other 4xx: do not retry */
};

struct send_result {
	enum send_outcome outcome;
	char provider_id[INBOUND_ID_MAX]; /* our message's id, on OK */
	int error_code;	     /* the provider's code (131047, 21211, ...) */
	long retry_after_ms; /* what the provider asked for, 0: none */
	char error[128];     /* short; never a number or a text */
};

/* A reply carried in the webhook's answer. */
struct inline_reply {
	const char *to;
	const char *text;
};

struct sender {
	enum provider provider;
	/*
	 * Build the request for msg.  Returns 0, or -1 with err set (e.g.
	 * the channel lacks the keys to send; SMSSync cannot send except
	 * inline).
	 */
	int (*build)(const struct channel *, const struct outbound_message *,
	    struct http_request *out, char *err, size_t errlen);
	/*
	 * Read the provider's answer: HTTP status, the Retry-After header
	 * (NULL if absent) and the body.
	 */
	void (*parse)(const struct channel *, long http_status,
	    const char *retry_after, const char *body, size_t len,
	    struct send_result *out);
	/*
	 * Build the webhook answer carrying replies (NULL when the provider
	 * takes no inline replies).  Returns a malloc'd body and sets
	 * content_type, or NULL when out of memory.
	 */
	char *(*inline_answer)(const struct channel *,
	    const struct inline_reply *replies, size_t n,
	    const char **content_type);
	/*
	 * Build the request that deletes the provider's copy of the
	 * message provider_id (and its media), or NULL when the provider
	 * keeps no copy an API can delete.  0, or -1 with err set.  The
	 * answer is read by send_forget_outcome().
	 */
	int (*forget)(const struct channel *, const char *provider_id,
	    struct http_request *out, char *err, size_t errlen);
};

const struct sender *sender_for(enum provider);
void http_request_free(struct http_request *);

/*
 * Shared by the senders (adapters/send.c).  A request a build() fails
 * on is freed and zeroed; every error is a short fixed text that quotes
 * no number, message text or credential.
 */

/*
 * The outcome of a forget() request: 2xx, and 404 (the copy is gone
 * already), SEND_OK; else as send_outcome_of().  error says which.
 */
void send_forget_outcome(
    long http_status, const char *retry_after, struct send_result *out);

/* Retry-After is capped at this (a day). */
#define SEND_RETRY_AFTER_MAX_MS (24L * 3600 * 1000)

/*
 * The class of an HTTP status: 2xx SEND_OK; 408, 429, 5xx and 0 (no
 * answer at all) SEND_RETRY; anything else SEND_PERMANENT.
 */
enum send_outcome send_outcome_of(long http_status);
/*
 * A Retry-After field value as RFC 9110 defines it (delta-seconds or an
 * HTTP-date, with optional whitespace around, as a header's value is
 * handed over) in milliseconds from now, at most SEND_RETRY_AFTER_MAX_MS;
 * 0 when absent, malformed or already past.
 */
long send_retry_after_ms(const char *value, time_t now);
/*
 * What a sender's parse() concludes, into out (cleared first):
 * provider names the API in the error ("WhatsApp", ...), id is the
 * message id the answer gave (NULL: none), code the provider's error code
 * (0: none) and code_retries whether that code asks for a retry whatever
 * the HTTP status.  A 2xx answer without a usable id is SEND_PERMANENT:
 * retrying could send the message twice, and a success we cannot track
 * is most likely a wrong api_base.
 */
void send_conclude(struct send_result *out, const char *provider,
    long http_status, const char *retry_after, const char *id, int code,
    int code_retries);
/* The provider's JSON answer when it is an object, else NULL. */
struct json_t *send_json_answer(const char *body, size_t len);
/* An integer member of a JSON object, or 0. */
int send_json_int(const struct json_t *object, const char *key);

/*
 * build(): out->url = (base when set and not empty, else fallback), its
 * trailing '/' removed, followed by the formatted path.  0, or -1 with
 * err set when it does not fit.
 */
int send_url(struct http_request *out, const char *base, const char *fallback,
    char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/*
 * 1 when s is a usable URL path segment (an account SID, a phone number
 * id): 1 to 128 of A-Z a-z 0-9 . _ -
 */
int send_path_segment(const char *s);
/*
 * Add "name: prefix value" to out's headers: 0, or -1 when no slot is
 * free, it does not fit, or value holds a control character.
 */
int send_header(struct http_request *out, const char *name, const char *prefix,
    const char *value);
/* 1 when to is an E.164 number: '+' and 6 to 15 digits. */
int send_e164(const char *to);
/*
 * HTTP Basic credentials "user:password": 0, or -1 when either is empty,
 * user holds a ':', either a control character, or it does not fit.
 */
int send_userpwd(
    struct http_request *out, const char *user, const char *password);
/*
 * root (taken over and released; NULL when building it failed) as out's
 * compact JSON body, of type application/json: 0, or -1 with err set.
 */
int send_json_body(
    struct http_request *out, struct json_t *root, char *err, size_t errlen);

#endif
