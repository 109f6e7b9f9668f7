/*
 * adapter: the contract every provider adapter implements.  An adapter is a
 * set of pure functions over one webhook request (raw body, headers, query,
 * the public URL the provider called and the current time): verify the
 * signature, parse the body into normalised inbound events, and, for
 * `hotline simulate`, build a request the way the provider would sign it.
 * No I/O, no globals, no logging: a function that fails fills err with a
 * message that never quotes the body, a number or an id.
 */
#ifndef HOTLINE_ADAPTER_H
#define HOTLINE_ADAPTER_H

#include <stddef.h>
#include <time.h>

#include "config/config.h"

#define INBOUND_MAX_EVENTS 64	 /* messages + statuses in one POST */
#define INBOUND_MAX_TEXT   65536 /* code points of text, as WhatsApp allows */
#define INBOUND_ID_MAX	   256	 /* provider message id, bytes */
#define INBOUND_ADDR_MAX   272	 /* E.164 number or WhatsApp BSUID */
#define INBOUND_NAME_MAX   256	 /* profile name, bytes */

struct kv {
	const char *key;
	const char *value;
};

/* One webhook request, as the gateway received it. */
struct webhook_request {
	const char *method; /* "GET", "POST" */
	const char *url;    /* channel webhook URL + "?" + raw query, if any */
	const char *content_type; /* NULL when absent */
	const char *body;	  /* raw bytes, not NUL-terminated */
	size_t body_len;
	const struct kv *headers; /* names compared case-insensitively */
	size_t nheaders;
	const struct kv *query; /* decoded query arguments */
	size_t nquery;
	time_t now;
};

enum inbound_type {
	INBOUND_TEXT,	  /* plain text */
	INBOUND_LOCATION, /* a location pin, text = name + address */
	INBOUND_MEDIA,	  /* image, document, ...; text = caption */
	INBOUND_REPLY,	  /* interactive / button reply; text = title */
};

/*
 * A citizen's message, normalised.  Its text is held on the heap, exactly
 * as long as it is (up to INBOUND_MAX_TEXT characters, 4 bytes each at
 * most), and belongs to the batch the message is in: after a successful
 * parse every message's text is a malloc'd, NUL-terminated string, an
 * empty text included (one byte, ""), never NULL; inbound_wipe() and
 * inbound_batch_free() wipe and free it.  A copy of the struct (the
 * conversation worker's) borrows the text and must never free it.
 */
struct inbound_message {
	enum inbound_type type;
	char id[INBOUND_ID_MAX];	/* provider message id */
	char sender[INBOUND_ADDR_MAX];	/* E.164 "+62..." or "" */
	char user_id[INBOUND_ADDR_MAX]; /* WhatsApp BSUID or "" */
	char profile_name[INBOUND_NAME_MAX];
	time_t sent_at; /* provider's time, 0 if none */
	char *text;	/* valid UTF-8, malloc'd, owned by the batch */
	int has_location;
	double latitude, longitude;
	/* a location pin's name and address, malloc'd like text, or NULL:
	 * they help routing, and are never a report's text */
	char *label;
	char media_id[INBOUND_ID_MAX]; /* provider media id or URL */
	char media_type[64];	       /* MIME type */
};

/* A delivery report for a message we sent. */
struct inbound_status {
	char id[INBOUND_ID_MAX]; /* provider id of our message */
	char status[16];	 /* sent, delivered, read, failed */
	int error_code;		 /* provider error code, 0 if none */
	time_t at;
};

/*
 * The events of one webhook.  Made by inbound_batch_new() (every text
 * NULL), filled by an adapter's parse(), disposed of by
 * inbound_batch_free().  An entry past nmessages holds no text once
 * parse() has returned; one that held a text and was dropped was wiped.
 */
struct inbound_batch {
	struct inbound_message messages[INBOUND_MAX_EVENTS];
	size_t nmessages;
	struct inbound_status statuses[INBOUND_MAX_EVENTS];
	size_t nstatuses;
};

/* A request built by sign(), for `hotline simulate` and the tests. */
struct signed_request {
	char content_type[64];
	char *body; /* malloc'd, NUL-terminated */
	size_t body_len;
	char header_name[2][64]; /* signature headers, "" if unused */
	char header_value[2][256];
};

/* What sign() should say, as if it came from the provider. */
struct simulated_message {
	const char *from; /* E.164 */
	const char *text;
	const char *id; /* provider message id */
	time_t now;
};

struct adapter {
	enum provider provider;
	const char *name;	  /* the value of provider = */
	const char *content_type; /* the one POST content type accepted */
	/*
	 * Check the request's signature or shared secret.  Returns 0, or
	 * 401 (missing) / 403 (wrong or stale).
	 */
	int (*verify)(const struct channel *, const struct webhook_request *,
	    char *err, size_t errlen);
	/*
	 * Parse a verified request into out, a batch of
	 * inbound_batch_new() (each entry is cleared as it is filled).
	 * Returns 0, or 400 with err set and nothing held: no event
	 * counted, no text left in any entry.
	 */
	int (*parse)(const struct channel *, const struct webhook_request *,
	    struct inbound_batch *out, char *err, size_t errlen);
	/*
	 * Build a correctly signed webhook for one message.  Returns 0 or
	 * -1 with err set; free with signed_request_free().
	 */
	int (*sign)(const struct channel *, const struct simulated_message *,
	    struct signed_request *out, char *err, size_t errlen);
	/* The body the provider expects with a 200, and its type. */
	const char *ack_body;
	const char *ack_content_type;
};

const struct adapter *adapter_for(enum provider);

/*
 * A batch ready for parse(): no event, every message's text NULL.  NULL
 * when memory ran out.  Its entries are not zeroed otherwise (each is
 * cleared as it is filled).
 */
struct inbound_batch *inbound_batch_new(void);
/*
 * Wipe every message of b (its text wiped and freed, wherever it is in b)
 * and free b.  Accepts NULL.
 */
void inbound_batch_free(struct inbound_batch *b);

/*
 * Wipe what m holds: every field, and the text (wiped, freed, NULL
 * after).  m is a batch's entry, or a message whose text is NULL or its
 * own; never a borrowing copy.
 */
void inbound_wipe(struct inbound_message *m);
/* Empty m for filling: inbound_wipe(); the text is NULL until set. */
void inbound_clear(struct inbound_message *m);
void signed_request_free(struct signed_request *);

/* Header and query lookup helpers shared by the adapters. */
const char *webhook_header(const struct webhook_request *, const char *name);
const char *webhook_query(const struct webhook_request *, const char *name);

/*
 * GET handshake of the WhatsApp Cloud API: on success copy hub.challenge
 * into challenge and return 0; otherwise 403 (or 400 when malformed).
 */
int whatsapp_cloud_handshake(const struct channel *,
    const struct webhook_request *, char *challenge, size_t len);

/*
 * Shared helpers for the adapters (adapters/adapter.c).
 *
 * adapter_equal_secret: 1 when a and b are both non-NULL and equal, 0
 * otherwise; the bytes are compared in constant time (CRYPTO_memcmp), so
 * only the lengths can leak.  Use it for every signature and secret.
 */
int adapter_equal_secret(const char *a, const char *b);
/* HMAC-SHA1 (20 bytes) / HMAC-SHA256 (32 bytes) of msg under key: 0 or -1. */
int adapter_hmac_sha1(const void *key, size_t keylen, const void *msg,
    size_t msglen, unsigned char out[20]);
int adapter_hmac_sha256(const void *key, size_t keylen, const void *msg,
    size_t msglen, unsigned char out[32]);
/*
 * Lowercase hex of HMAC-SHA256(key, msg[0..msglen)) into out: 0 or -1.
 * msg may be NULL when msglen is 0.
 */
int adapter_hmac_sha256_hex(
    const char *key, const void *msg, size_t msglen, char out[65]);
/*
 * The last step of a signature check: 0 when the received sig equals want
 * (compared with adapter_equal_secret()), otherwise 403 with err saying
 * header does not match.  Either way want[0..wantsize) is wiped.
 */
int adapter_signature_matches(const char *sig, char *want, size_t wantsize,
    const char *header, char *err, size_t errlen);
/* Lowercase hex of in[0..len) into out (2 * len + 1 bytes). */
void adapter_hex(const unsigned char *in, size_t len, char *out);
/*
 * Standard base64 with padding, no newlines, of in[0..len) into out
 * (4 * ((len + 2) / 3) + 1 bytes): 0, or -1 when it does not fit.
 */
int adapter_base64(
    const unsigned char *in, size_t len, char *out, size_t outlen);
/*
 * A provider id or token: copy s[0..n) into dst, NUL-terminated, when it
 * is 1 to dstlen - 1 bytes of printable ASCII without spaces: 0, else -1.
 */
int adapter_token(char *dst, size_t dstlen, const char *s, size_t n);

/* JSON (jansson) bodies. */
struct json_t;
/*
 * The request's body as one JSON value (duplicate keys refused), or NULL
 * with err set to a message that gives the position, never the text.
 */
struct json_t *adapter_json_body(
    const struct webhook_request *, char *err, size_t errlen);
/*
 * root (taken over, and released; NULL when building it failed)
 * serialised with json_dumps() flags into a malloc'd string (free()), its
 * length in *lenp; NULL when building or serialising failed.
 */
char *adapter_json_dump(struct json_t *root, size_t flags, size_t *lenp);
/*
 * sign(): root (taken over, and released; NULL when building it failed)
 * serialised with json_dumps() flags as out's body, of type
 * application/json.  0, or -1 with err set.
 */
int adapter_sign_json(struct signed_request *out, struct json_t *root,
    size_t flags, char *err, size_t errlen);
/* sign(): signature header i of out. */
void adapter_sign_header(
    struct signed_request *out, size_t i, const char *name, const char *value);

#endif
