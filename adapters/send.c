/*
 * send: the registry of senders (the outbound half of each adapter) and
 * what they share: the class of an HTTP status, Retry-After in seconds or
 * as an HTTP-date, the conclusion of a provider's answer into a
 * send_result, and the pieces of a request (URL, headers, Basic
 * credentials, a JSON body) checked so that a credential or a path
 * segment from the config can never smuggle in another header or path.
 * Pure functions, no I/O.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "adapters/send.h"

#define SEND_PATH_SEGMENT_MAX 128
#define SEND_PATH_CHARS                                                        \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"

extern const struct sender whatsapp_cloud_sender;
extern const struct sender twilio_sender;
extern const struct sender android_sms_gateway_sender;
extern const struct sender smssync_sender;

const struct sender *
sender_for(enum provider p)
{
	switch (p) {
	case PROVIDER_WHATSAPP_CLOUD:
		return &whatsapp_cloud_sender;
	case PROVIDER_TWILIO:
		return &twilio_sender;
	case PROVIDER_ANDROID_SMS_GATEWAY:
		return &android_sms_gateway_sender;
	case PROVIDER_SMSSYNC:
		return &smssync_sender;
	}
	return NULL;
}

void
http_request_free(struct http_request *r)
{
	if (r == NULL)
		return;
	/* a citizen's number and the reply's text: not left in the heap */
	if (r->body != NULL)
		sodium_memzero(r->body, r->body_len);
	free(r->body);
	sodium_memzero(r, sizeof(*r));
}

enum send_outcome
send_outcome_of(long status)
{
	if (status >= 200 && status <= 299)
		return SEND_OK;
	if (status == 0 || status == 408 || status == 429 ||
	    (status >= 500 && status <= 599))
		return SEND_RETRY;
	return SEND_PERMANENT;
}

void
send_forget_outcome(
    long http_status, const char *retry_after, struct send_result *out)
{
	memset(out, 0, sizeof(*out));
	if ((http_status >= 200 && http_status <= 299) || http_status == 404) {
		out->outcome = SEND_OK;
		return;
	}
	/*
	 * Any other answer is retried (up to the attempts allowed): a
	 * message still being received cannot be deleted yet.
	 */
	out->outcome = SEND_RETRY;
	out->retry_after_ms = send_retry_after_ms(retry_after, time(NULL));
	snprintf(out->error, sizeof(out->error),
	    "delete at the provider answered HTTP %ld", http_status);
}

/*
 * An HTTP-date as RFC 9110 (5.6.7) has recipients accept it: the
 * IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", or the obsolete RFC 850
 * "Sunday, 06-Nov-94 08:49:37 GMT" and asctime "Sun Nov  6 08:49:37 1994"
 * forms; s[0..len).  The time, or -1.
 */
static time_t
send_http_date(const char *s, size_t len)
{
	static const char *const formats[] = {"%a, %d %b %Y %H:%M:%S GMT",
	    "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"};
	char buf[64];
	struct tm tm;
	const char *end;
	size_t i;

	if (len >= sizeof buf)
		return (time_t)-1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	for (i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		memset(&tm, 0, sizeof(tm));
		end = strptime(buf, formats[i], &tm);
		if (end != NULL && *end == '\0')
			return timegm(&tm);
	}
	return (time_t)-1;
}

long
send_retry_after_ms(const char *value, time_t now)
{
	long long secs = 0;
	const char *p, *end;
	time_t when;

	if (value == NULL)
		return 0;
	/* the field's value without its optional whitespace (OWS) */
	while (*value == ' ' || *value == '\t')
		value++;
	for (end = value + strlen(value);
	     end > value && (end[-1] == ' ' || end[-1] == '\t'); end--)
		;
	if (end == value)
		return 0;
	if (*value >= '0' && *value <= '9') {
		for (p = value; p < end && *p >= '0' && *p <= '9'; p++)
			if (secs <= SEND_RETRY_AFTER_MAX_MS / 1000)
				secs = secs * 10 + (*p - '0');
		if (p != end)
			return 0;
	} else {
		when = send_http_date(value, (size_t)(end - value));
		if (when == (time_t)-1 || when <= now)
			return 0;
		secs = (long long)(when - now);
	}
	if (secs > SEND_RETRY_AFTER_MAX_MS / 1000)
		return SEND_RETRY_AFTER_MAX_MS;
	return (long)(secs * 1000);
}

void
send_conclude(struct send_result *out, const char *provider, long status,
    const char *retry_after, const char *id, int code, int code_retries)
{
	memset(out, 0, sizeof(*out));
	out->error_code = code;
	out->outcome = send_outcome_of(status);
	if (out->outcome == SEND_OK) {
		if (id != NULL &&
		    adapter_token(out->provider_id, sizeof(out->provider_id),
			id, strlen(id)) == 0)
			return;
		out->provider_id[0] = '\0';
		out->outcome = SEND_PERMANENT;
		snprintf(out->error, sizeof(out->error),
		    "%s answered HTTP %ld without a message id", provider,
		    status);
		return;
	}
	if (code_retries)
		out->outcome = SEND_RETRY;
	if (out->outcome == SEND_RETRY)
		out->retry_after_ms =
		    send_retry_after_ms(retry_after, time(NULL));
	if (status == 0)
		snprintf(out->error, sizeof(out->error), "%s did not answer",
		    provider);
	else if (code != 0)
		snprintf(out->error, sizeof(out->error),
		    "%s error %d (HTTP %ld)", provider, code, status);
	else
		snprintf(out->error, sizeof(out->error), "%s answered HTTP %ld",
		    provider, status);
}

json_t *
send_json_answer(const char *body, size_t len)
{
	json_t *root;

	if (body == NULL || len == 0)
		return NULL;
	if ((root = json_loadb(body, len, 0, NULL)) != NULL &&
	    !json_is_object(root)) {
		json_decref(root);
		root = NULL;
	}
	return root;
}

int
send_json_int(const json_t *object, const char *key)
{
	json_int_t n;

	n = json_integer_value(json_object_get(object, key));
	return n > 0 && n <= 99999999 ? (int)n : 0;
}

int
send_url(struct http_request *out, const char *base, const char *fallback,
    char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	size_t n;
	int m;

	if (base == NULL || *base == '\0')
		base = fallback;
	n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	if (n >= sizeof(out->url))
		goto toolong;
	memcpy(out->url, base, n);
	va_start(ap, fmt);
	m = vsnprintf(out->url + n, sizeof(out->url) - n, fmt, ap);
	va_end(ap);
	if (m < 0 || (size_t)m >= sizeof(out->url) - n)
		goto toolong;
	return 0;
toolong:
	out->url[0] = '\0';
	snprintf(err, errlen, "api_base is too long");
	return -1;
}

int
send_path_segment(const char *s)
{
	size_t n;

	if (s == NULL)
		return 0;
	n = strlen(s);
	return n > 0 && n <= SEND_PATH_SEGMENT_MAX &&
	    strspn(s, SEND_PATH_CHARS) == n;
}

int
send_e164(const char *to)
{
	size_t n;

	if (to == NULL || to[0] != '+')
		return 0;
	n = strlen(to + 1);
	return n >= 6 && n <= 15 && strspn(to + 1, "0123456789") == n;
}

/* 1 when s holds no control character (no header or line injection). */
static int
send_printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < ' ' || *s == 0x7f)
			return 0;
	return 1;
}

int
send_header(struct http_request *out, const char *name, const char *prefix,
    const char *value)
{
	size_t i;
	int n;

	if (!send_printable(prefix) || !send_printable(value))
		return -1;
	for (i = 0; i < SEND_MAX_HEADERS; i++)
		if (out->headers[i][0] == '\0')
			break;
	if (i == SEND_MAX_HEADERS)
		return -1;
	n = snprintf(out->headers[i], sizeof(out->headers[i]), "%s: %s%s", name,
	    prefix, value);
	if (n < 0 || (size_t)n >= sizeof(out->headers[i])) {
		memset(out->headers[i], 0, sizeof(out->headers[i]));
		return -1;
	}
	return 0;
}

int
send_userpwd(struct http_request *out, const char *user, const char *password)
{
	int n;

	if (user == NULL || password == NULL || *user == '\0' ||
	    *password == '\0' || strchr(user, ':') != NULL ||
	    !send_printable(user) || !send_printable(password))
		return -1;
	n = snprintf(
	    out->userpwd, sizeof(out->userpwd), "%s:%s", user, password);
	if (n < 0 || (size_t)n >= sizeof(out->userpwd)) {
		memset(out->userpwd, 0, sizeof(out->userpwd));
		return -1;
	}
	return 0;
}

int
send_json_body(struct http_request *out, json_t *root, char *err, size_t errlen)
{
	if ((out->body = adapter_json_dump(
		 root, JSON_COMPACT, &out->body_len)) == NULL) {
		snprintf(err, errlen, "cannot build the message");
		return -1;
	}
	snprintf(out->content_type, sizeof(out->content_type), "%s",
	    "application/json");
	return 0;
}
