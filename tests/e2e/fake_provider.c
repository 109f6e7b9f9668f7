/*
 * fake_provider: the providers' send APIs, played on one loopback port for
 * the end-to-end tests.  It answers the WhatsApp Cloud API
 * (POST /v25.0/{phone_number_id}/messages, Bearer token), the Twilio
 * Messages API (POST /2010-04-01/Accounts/{sid}/Messages.json, Basic;
 * DELETE /2010-04-01/Accounts/{sid}/Messages/{MessageSid}.json, api
 * "twilio_delete", answered 204 with no body)
 * and SMS Gateway for Android (POST /3rdparty/v1/message, Basic) as they
 * would, and appends every request it gets to a log, one JSON object a
 * line, flushed at once:
 *
 *   {"n":1,"api":"whatsapp","path":"/v25.0/1155/messages","auth":true,
 *    "content_type":"application/json","body":"{...}","answer":200,
 *    "id":"wamid.FAKE1"}
 *
 * ("api" is null and "answer" 404 for an unknown path, "answer" is
 * "timeout" for a request held unanswered).  Tests script failures with
 * POST /_control, whose body holds one answer a line for the next API
 * requests in order: "ok", "500", "503", "429 retry-after=1",
 * "400 code=131047" (the provider's error JSON with that code), "timeout"
 * (hold the request 40 s, or "timeout 5" seconds, then answer 504), and
 * "clear" (forget what is queued); "#" starts a comment.  When nothing is
 * queued the answer is "ok".  GET /_requests returns the log.  Requests
 * without credentials get the provider's 401 and use no scripted answer.
 *
 * usage: fake_provider --port N --log FILE   (0 picks a free port; the
 * port in use is printed on stdout as "port N").  Listens on 127.0.0.1
 * only, one thread a connection (a held request blocks no other), and
 * runs until SIGTERM or SIGINT.  Bounded: bodies up to 1 MiB, up to 1000
 * queued answers, 256 connections.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>
#include <microhttpd.h>

#define FAKE_MAX_BODY	     (1024 * 1024)
#define FAKE_MAX_SCRIPT	     1000
#define FAKE_MAX_CONNECTIONS 256
#define FAKE_HOLD_SECONDS    40
#define FAKE_MAX_HOLD	     600
#define FAKE_ID_MAX	     64

enum fake_api {
	FAKE_NONE,
	FAKE_WHATSAPP,
	FAKE_TWILIO,
	FAKE_ANDROID,
	FAKE_TWILIO_DELETE,
	FAKE_MEDIA /* a media GET, logged too */
};

static const char *const fake_api_names[] = {
    NULL, "whatsapp", "twilio", "android", "twilio_delete", "media"};

/* One scripted answer. */
struct fake_answer {
	int status;	 /* HTTP status; 0 with hold: no answer in time */
	int code;	 /* the provider's error code, 0: none */
	int retry_after; /* seconds, 0: no header */
	int hold;	 /* seconds to hold the request first */
};

/* The whole state, passed as cls. */
struct fake {
	pthread_mutex_t lock;
	pthread_cond_t wake; /* signalled when stopping */
	int stopping;
	FILE *log;
	const char *log_path;
	unsigned long n; /* requests logged */
	struct fake_answer script[FAKE_MAX_SCRIPT];
	size_t head, count; /* a ring */
	/* known once listening, after the connection threads may start */
	atomic_uint port;
};

/* One request being read. */
struct fake_request {
	char *body;
	size_t len;
	int too_large;
};

/* 1 when path is prefix, one non-empty segment without '/', suffix. */
static int
fake_path_is(const char *path, const char *prefix, const char *suffix)
{
	size_t n = strlen(prefix);
	const char *slash;

	if (strncmp(path, prefix, n) != 0)
		return 0;
	slash = strchr(path + n, '/');
	return slash != NULL && slash > path + n && strcmp(slash, suffix) == 0;
}

/* /2010-04-01/Accounts/{sid}/Messages/{MessageSid}.json */
static int
fake_twilio_message(const char *path)
{
	static const char acc[] = "/2010-04-01/Accounts/", msg[] = "/Messages/";
	const char *p, *end;

	if (strncmp(path, acc, sizeof acc - 1) != 0 ||
	    (p = strchr(path + sizeof acc - 1, '/')) == NULL ||
	    p == path + sizeof acc - 1 || strncmp(p, msg, sizeof msg - 1) != 0)
		return 0;
	p += sizeof msg - 1;
	end = p + strcspn(p, "/");
	return *end == '\0' && end - p > 5 && strcmp(end - 5, ".json") == 0;
}

/* The API a path belongs to (method: GET, POST, DELETE). */
static enum fake_api
fake_route(const char *path, const char *method)
{
	if (strcmp(method, "DELETE") == 0)
		return fake_twilio_message(path) ? FAKE_TWILIO_DELETE
						 : FAKE_NONE;
	if (fake_path_is(path, "/v25.0/", "/messages"))
		return FAKE_WHATSAPP;
	if (fake_path_is(path, "/2010-04-01/Accounts/", "/Messages.json"))
		return FAKE_TWILIO;
	if (strcmp(path, "/3rdparty/v1/message") == 0 ||
	    strcmp(path, "/3rdparty/v1/messages") == 0)
		return FAKE_ANDROID;
	return FAKE_NONE;
}

/* A number of min..max, or -1. */
static long
fake_number(const char *s, long min, long max)
{
	char *end;
	long v;

	v = strtol(s, &end, 10);
	return *s != '\0' && *end == '\0' && v >= min && v <= max ? v : -1;
}

/*
 * Parse one control line into a: 1 an answer, 2 "clear", 0 a blank line
 * or a comment, -1 malformed.
 */
static int
fake_parse_line(char *line, struct fake_answer *a)
{
	char *tok, *save = NULL;
	long v;

	memset(a, 0, sizeof(*a));
	if ((tok = strtok_r(line, " \t\r", &save)) == NULL || *tok == '#')
		return 0;
	if (strcmp(tok, "clear") == 0)
		return strtok_r(NULL, " \t\r", &save) == NULL ? 2 : -1;
	if (strcmp(tok, "ok") == 0)
		a->status = 0;
	else if (strcmp(tok, "timeout") == 0) {
		a->hold = FAKE_HOLD_SECONDS;
		a->status = 504;
		if ((tok = strtok_r(NULL, " \t\r", &save)) != NULL) {
			if ((v = fake_number(tok, 1, FAKE_MAX_HOLD)) == -1)
				return -1;
			a->hold = (int)v;
		}
	} else {
		if ((v = fake_number(tok, 200, 599)) == -1)
			return -1;
		a->status = (int)v;
	}
	while ((tok = strtok_r(NULL, " \t\r", &save)) != NULL) {
		if (strncmp(tok, "retry-after=", 12) == 0 &&
		    (v = fake_number(tok + 12, 1, 86400)) != -1)
			a->retry_after = (int)v;
		else if (strncmp(tok, "code=", 5) == 0 &&
		    (v = fake_number(tok + 5, 1, 99999999)) != -1)
			a->code = (int)v;
		else
			return -1;
	}
	return 1;
}

/*
 * POST /_control: queue every line's answer, or none when one is
 * malformed or the script would overflow.  The status to answer, and a
 * message into msg.
 */
static int
fake_control(struct fake *f, char *body, char *msg, size_t msglen)
{
	struct fake_answer parsed[FAKE_MAX_SCRIPT];
	size_t n = 0, i, lineno = 0;
	char *line, *save = NULL;
	int clear = 0, rc;

	for (line = strtok_r(body, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		if (n == FAKE_MAX_SCRIPT)
			goto overflow;
		if ((rc = fake_parse_line(line, &parsed[n])) == -1) {
			snprintf(
			    msg, msglen, "line %zu is malformed\n", lineno);
			return 400;
		}
		if (rc == 2) {
			clear = 1;
			n = 0;
		} else if (rc == 1)
			n++;
	}
	pthread_mutex_lock(&f->lock);
	if (clear)
		f->count = 0;
	if (f->count + n > FAKE_MAX_SCRIPT) {
		pthread_mutex_unlock(&f->lock);
		goto overflow;
	}
	for (i = 0; i < n; i++)
		f->script[(f->head + f->count++) % FAKE_MAX_SCRIPT] = parsed[i];
	snprintf(msg, msglen, "queued %zu\n", f->count);
	pthread_mutex_unlock(&f->lock);
	return 200;
overflow:
	snprintf(msg, msglen, "more than %d answers queued\n", FAKE_MAX_SCRIPT);
	return 413;
}

/* The next scripted answer (an "ok" when none is queued). */
static struct fake_answer
fake_next(struct fake *f)
{
	struct fake_answer a = {0, 0, 0, 0};

	pthread_mutex_lock(&f->lock);
	if (f->count > 0) {
		a = f->script[f->head];
		f->head = (f->head + 1) % FAKE_MAX_SCRIPT;
		f->count--;
	}
	pthread_mutex_unlock(&f->lock);
	return a;
}

/* A JSON string of s[0..len), its bytes above 0x7f as '?' when not UTF-8. */
static json_t *
fake_string(const char *s, size_t len)
{
	json_t *j;
	char *copy;
	size_t i;

	if ((j = json_stringn(s, len)) != NULL)
		return j;
	if ((copy = malloc(len + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++)
		copy[i] =
		    (unsigned char)s[i] > 0x7f || s[i] == '\0' ? '?' : s[i];
	j = json_stringn(copy, len);
	free(copy);
	return j;
}

/* A JSON string of s, or null. */
static json_t *
fake_string_or_null(const char *s)
{
	return s != NULL ? fake_string(s, strlen(s)) : json_null();
}

/* The next request's number. */
static unsigned long
fake_count(struct fake *f)
{
	unsigned long n;

	pthread_mutex_lock(&f->lock);
	n = ++f->n;
	pthread_mutex_unlock(&f->lock);
	return n;
}

/* Append request n to the log. */
static void
fake_log(struct fake *f, unsigned long n, enum fake_api api, const char *path,
    int auth, const char *content_type, const struct fake_request *r,
    const struct fake_answer *a, int held, const char *id)
{
	json_t *line;
	char *text;

	pthread_mutex_lock(&f->lock);
	line = json_pack("{s:I, s:o, s:s, s:b, s:o, s:o*, s:o, s:o}", "n",
	    (json_int_t)n, "api", fake_string_or_null(fake_api_names[api]),
	    "path", path, "auth", auth, "content_type",
	    fake_string_or_null(content_type), "body",
	    fake_string(r->body != NULL ? r->body : "", r->len), "answer",
	    held ? json_string("timeout") : json_integer(a->status), "id",
	    fake_string_or_null(id));
	if (line != NULL && (text = json_dumps(line, JSON_COMPACT)) != NULL) {
		fprintf(f->log, "%s\n", text);
		fflush(f->log);
		free(text);
	}
	json_decref(line);
	pthread_mutex_unlock(&f->lock);
}

/* Hold the connection's thread for seconds, or until we stop. */
static void
fake_hold(struct fake *f, int seconds)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += seconds;
	pthread_mutex_lock(&f->lock);
	while (!f->stopping &&
	    pthread_cond_timedwait(&f->wake, &f->lock, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&f->lock);
}

/* The provider's error JSON for a (code 0: none given). */
static json_t *
fake_error(enum fake_api api, const struct fake_answer *a)
{
	json_t *e;

	switch (api) {
	case FAKE_WHATSAPP:
		e = json_pack("{s:s, s:s, s:s}", "message", "(#fake) error",
		    "type", "OAuthException", "fbtrace_id", "FAKE");
		if (a->code != 0)
			json_object_set_new(e, "code", json_integer(a->code));
		return json_pack("{s:o}", "error", e);
	case FAKE_TWILIO:
	case FAKE_TWILIO_DELETE:
		return json_pack("{s:i, s:s, s:s, s:i}", "code",
		    a->code != 0 ? a->code : 20500, "message", "fake error",
		    "more_info", "https://www.twilio.com/docs/errors", "status",
		    a->status);
	default:
		return json_pack(
		    "{s:s, s:i}", "message", "fake error", "code", a->code);
	}
}

/* The provider's success JSON, its id into id. */
static json_t *
fake_success(enum fake_api api, unsigned long n, const struct fake_request *r,
    char id[FAKE_ID_MAX], int *status)
{
	json_t *req, *answer;
	const char *to;

	req = json_loadb(r->body != NULL ? r->body : "", r->len, 0, NULL);
	switch (api) {
	case FAKE_WHATSAPP:
		snprintf(id, FAKE_ID_MAX, "wamid.FAKE%lu", n);
		to = json_string_value(json_object_get(req, "to"));
		answer = json_pack("{s:s, s:[{s:s, s:s}], s:[{s:s}]}",
		    "messaging_product", "whatsapp", "contacts", "input",
		    to != NULL ? to : "", "wa_id", to != NULL ? to : "",
		    "messages", "id", id);
		*status = *status != 0 ? *status : 200;
		break;
	case FAKE_TWILIO:
		snprintf(id, FAKE_ID_MAX, "SMFAKE%lu", n);
		answer = json_pack("{s:s, s:s, s:s, s:s, s:n}", "sid", id,
		    "status", "queued", "direction", "outbound-api",
		    "api_version", "2010-04-01", "error_code");
		*status = *status != 0 ? *status : 201;
		break;
	default:
		snprintf(id, FAKE_ID_MAX, "FAKE%lu", n);
		answer = json_pack("{s:s, s:s, s:s}", "id", id, "deviceId",
		    "fakedevice", "state", "Pending");
		*status = *status != 0 ? *status : 202;
		break;
	}
	json_decref(req);
	return answer;
}

/* Queue a response of status with body (taken over; NULL: empty). */
static enum MHD_Result
fake_respond(struct MHD_Connection *conn, int status, char *body,
    const char *type, int retry_after)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char secs[16];

	if (body == NULL && (body = strdup("")) == NULL)
		return MHD_NO;
	resp = MHD_create_response_from_buffer(
	    strlen(body), body, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (retry_after > 0) {
		snprintf(secs, sizeof(secs), "%d", retry_after);
		MHD_add_response_header(resp, "Retry-After", secs);
	}
	ret = MHD_queue_response(conn, (unsigned int)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* The same with a JSON body (taken over and released). */
static enum MHD_Result
fake_respond_json(
    struct MHD_Connection *conn, int status, json_t *body, int retry_after)
{
	char *text = body != NULL ? json_dumps(body, JSON_COMPACT) : NULL;

	json_decref(body);
	return fake_respond(
	    conn, status, text, "application/json", retry_after);
}

/* 1 when the request carries the credentials its API takes. */
static int
fake_auth(struct MHD_Connection *conn, enum fake_api api)
{
	const char *v = MHD_lookup_connection_value(
	    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	const char *scheme = api == FAKE_WHATSAPP ? "Bearer " : "Basic ";

	return v != NULL && strncasecmp(v, scheme, strlen(scheme)) == 0 &&
	    v[strlen(scheme)] != '\0';
}

/* An API request, read whole. */
static enum MHD_Result
fake_api_request(struct fake *f, struct MHD_Connection *conn, const char *path,
    enum fake_api api, const struct fake_request *r)
{
	struct fake_answer a = {404, 0, 0, 0}, unauth = {401, 0, 0, 0};
	const char *type = MHD_lookup_connection_value(
	    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	char id[FAKE_ID_MAX] = "";
	unsigned long n = fake_count(f);
	json_t *answer;

	if (api == FAKE_NONE) {
		fake_log(f, n, api, path, 0, type, r, &a, 0, NULL);
		return fake_respond(
		    conn, 404, strdup("not found\n"), "text/plain", 0);
	}
	if (!fake_auth(conn, api)) {
		unauth.code = api == FAKE_WHATSAPP ? 190 : 20003;
		fake_log(f, n, api, path, 0, type, r, &unauth, 0, NULL);
		return fake_respond_json(
		    conn, 401, fake_error(api, &unauth), 0);
	}
	a = fake_next(f);
	if (a.hold > 0) {
		fake_log(f, n, api, path, 1, type, r, &a, 1, NULL);
		fake_hold(f, a.hold);
		return fake_respond(
		    conn, a.status, strdup("held\n"), "text/plain", 0);
	}
	if (api == FAKE_TWILIO_DELETE && a.status == 0) {
		/* the message and its media are gone: 204, no body */
		a.status = 204;
		fake_log(f, n, api, path, 1, type, r, &a, 0, NULL);
		return fake_respond(conn, 204, NULL, "application/json", 0);
	}
	if (a.status == 0 || (a.status < 300 && a.code == 0))
		answer = fake_success(api, n, r, id, &a.status);
	else
		answer = fake_error(api, &a);
	fake_log(f, n, api, path, 1, type, r, &a, 0, id[0] ? id : NULL);
	return fake_respond_json(conn, a.status, answer, a.retry_after);
}

/* GET /_requests: the log as it is. */
static enum MHD_Result
fake_requests(struct fake *f, struct MHD_Connection *conn)
{
	char *buf = NULL;
	long len;
	size_t got;
	FILE *fp;

	pthread_mutex_lock(&f->lock);
	if ((fp = fopen(f->log_path, "r")) != NULL) {
		if (fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) > 0 &&
		    fseek(fp, 0, SEEK_SET) == 0 &&
		    (buf = malloc((size_t)len + 1)) != NULL) {
			got = fread(buf, 1, (size_t)len, fp);
			buf[got] = '\0';
		}
		fclose(fp);
	}
	pthread_mutex_unlock(&f->lock);
	return fake_respond(conn, 200, buf, "application/x-ndjson", 0);
}

/*
 * Media, as the providers serve it (GET).  WhatsApp: /v25.0/{media-id}
 * answers its URL, type, SHA-256 and size, and /media/{media-id} its
 * bytes, both only with a bearer token.  Twilio: /twilio-media/{id}, only
 * with HTTP Basic credentials.  The id says what the bytes are: photo* a
 * JPEG whose EXIF carries GPS, png* a real 2x2 PNG, voice* an OGG voice
 * note, pdf* a PDF,
 * exe* a program,
 * huge* a size past any limit, corrupt* bytes that do not match their
 * SHA-256.
 */
static const unsigned char fake_jpeg[] =
    "\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    "\xff\xe1\x00\x1c"
    "Exif\x00\x00"
    "GPSLatitude-7.816600"
    "\xff\xdb\x00\x05\x00\x01\x02"
    "\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00\x12\x34\x56\x78"
    "FAKE-PHOTO-PIXELS"
    "\xff\xd9";
static const unsigned char fake_ogg[] = "OggS\x00\x02"
					"FAKE-VOICE-NOTE-OPUS";
static const unsigned char fake_exe[] = "MZ\x90\x00"
					"FAKE-PROGRAM";
static const unsigned char fake_pdf[] = "%PDF-1.4\nFAKE-DOCUMENT %%EOF\n";
/* a real 2x2 PNG, for a browser to draw */
static const unsigned char fake_png[] =
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48"
    "\x44\x52\x00\x00\x00\x02\x00\x00\x00\x02\x08\x02\x00\x00"
    "\x00\xfd\xd4\x9a\x73\x00\x00\x00\x10\x49\x44\x41\x54\x78"
    "\x9c\x63\x38\xa0\xa0\x00\x44\x0c\x10\x0a\x00\x1e\x8e\x04"
    "\x01\x97\x8b\x41\x9c\x00\x00\x00\x00\x49\x45\x4e\x44\xae"
    "\x42\x60\x82";

static void
fake_media_bytes(const char *id, const unsigned char **b, size_t *n)
{
	if (strncmp(id, "voice", 5) == 0) {
		*b = fake_ogg;
		*n = sizeof fake_ogg - 1;
	} else if (strncmp(id, "png", 3) == 0) {
		*b = fake_png;
		*n = sizeof fake_png - 1;
	} else if (strncmp(id, "pdf", 3) == 0) {
		*b = fake_pdf;
		*n = sizeof fake_pdf - 1;
	} else if (strncmp(id, "exe", 3) == 0) {
		*b = fake_exe;
		*n = sizeof fake_exe - 1;
	} else {
		*b = fake_jpeg;
		*n = sizeof fake_jpeg - 1;
	}
}

static enum MHD_Result
fake_bytes(struct MHD_Connection *conn, const unsigned char *b, size_t n)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(
	    n, (void *)b, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (resp == NULL)
		return MHD_NO;
	ret = MHD_queue_response(conn, 200, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
fake_media(struct fake *f, struct MHD_Connection *conn, const char *url)
{
	const char *auth = MHD_lookup_connection_value(
	    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	const unsigned char *b;
	unsigned char h[32];
	char hex[65], link[256];
	const char *id;
	size_t n;
	struct fake_request none = {NULL, 0, 0};
	struct fake_answer answer;

	memset(&answer, 0, sizeof answer);
	answer.status = auth != NULL ? 200 : 401;
	fake_log(f, fake_count(f), FAKE_MEDIA, url, auth != NULL, NULL, &none,
	    &answer, 0, NULL);
	if (strncmp(url, "/twilio-media/", 14) == 0) {
		if (auth == NULL || strncmp(auth, "Basic ", 6) != 0)
			return fake_respond(conn, 401,
			    strdup("credentials required\n"), "text/plain", 0);
		fake_media_bytes(url + 14, &b, &n);
		return fake_bytes(conn, b, n);
	}
	if (auth == NULL || strncmp(auth, "Bearer ", 7) != 0)
		return fake_respond(
		    conn, 401, strdup("token required\n"), "text/plain", 0);
	if (strncmp(url, "/media/", 7) == 0) {
		fake_media_bytes(url + 7, &b, &n);
		return fake_bytes(conn, b, n);
	}
	id = url + 7; /* /v25.0/ */
	fake_media_bytes(id, &b, &n);
	/* corrupt: the hash of other bytes */
	crypto_hash_sha256(h, strncmp(id, "corrupt", 7) == 0 ? fake_ogg : b,
	    strncmp(id, "corrupt", 7) == 0 ? sizeof fake_ogg - 1 : n);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(link, sizeof link, "http://127.0.0.1:%u/media/%s",
	    atomic_load(&f->port), id);
	return fake_respond_json(conn, 200,
	    json_pack("{s:s, s:s, s:s, s:I, s:s, s:s}", "url", link,
		"mime_type", "image/jpeg", "sha256", hex, "file_size",
		(json_int_t)(strncmp(id, "huge", 4) == 0 ? 999999999 : n), "id",
		id, "messaging_product", "whatsapp"),
	    0);
}

static enum MHD_Result
fake_handle(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct fake *f = cls;
	struct fake_request *r = *con_cls;
	char msg[128], *grown;
	int status;

	(void)version;
	if (r == NULL) {
		if ((r = calloc(1, sizeof(*r))) == NULL)
			return MHD_NO;
		*con_cls = r;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (r->too_large || r->len + *upload_data_size > FAKE_MAX_BODY)
			r->too_large = 1;
		else if ((grown = realloc(
			      r->body, r->len + *upload_data_size + 1)) == NULL)
			return MHD_NO;
		else {
			r->body = grown;
			memcpy(
			    r->body + r->len, upload_data, *upload_data_size);
			r->len += *upload_data_size;
			r->body[r->len] = '\0';
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->too_large)
		return fake_respond(
		    conn, 413, strdup("body too large\n"), "text/plain", 0);
	if (strcmp(url, "/_requests") == 0 && strcmp(method, "GET") == 0)
		return fake_requests(f, conn);
	if (strcmp(method, "DELETE") == 0)
		return fake_api_request(
		    f, conn, url, fake_route(url, method), r);
	if (strcmp(method, "GET") == 0 &&
	    (strncmp(url, "/media/", 7) == 0 ||
		strncmp(url, "/twilio-media/", 14) == 0 ||
		(strncmp(url, "/v25.0/", 7) == 0 &&
		    strchr(url + 7, '/') == NULL)))
		return fake_media(f, conn, url);
	if (strcmp(method, "POST") != 0)
		return fake_respond(conn, 405, strdup("POST or DELETE only\n"),
		    "text/plain", 0);
	if (strcmp(url, "/_control") == 0) {
		status = fake_control(f,
		    r->body != NULL ? r->body : (char[]){""}, msg, sizeof(msg));
		return fake_respond(conn, status, strdup(msg), "text/plain", 0);
	}
	return fake_api_request(f, conn, url, fake_route(url, method), r);
}

static void
fake_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct fake_request *r = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (r != NULL) {
		free(r->body);
		free(r);
		*con_cls = NULL;
	}
}

static int
fake_usage(void)
{
	fprintf(stderr, "usage: fake_provider --port N --log FILE\n");
	return 2;
}

int
main(int argc, char **argv)
{
	static struct fake f;
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;
	struct MHD_Daemon *d;
	sigset_t set;
	long port = -1;
	char *end;
	int i, sig;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--port") == 0) {
			port = strtol(argv[i + 1], &end, 10);
			if (*end != '\0' || port < 0 || port > 65535)
				return fake_usage();
		} else if (strcmp(argv[i], "--log") == 0)
			f.log_path = argv[i + 1];
		else
			return fake_usage();
	}
	if (i != argc || port < 0 || f.log_path == NULL)
		return fake_usage();
	if ((f.log = fopen(f.log_path, "a")) == NULL) {
		fprintf(stderr, "fake_provider: cannot open the log\n");
		return 1;
	}
	pthread_mutex_init(&f.lock, NULL);
	pthread_cond_init(&f.wake, NULL);

	/* every thread inherits this mask: only sigwait() sees them */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG,
	    0, NULL, NULL, fake_handle, &f, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&sa, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned int)FAKE_MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned int)(FAKE_MAX_HOLD + 60), MHD_OPTION_NOTIFY_COMPLETED,
	    fake_completed, &f, MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "fake_provider: cannot listen\n");
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	atomic_store(&f.port, info != NULL ? (unsigned)info->port : 0u);
	printf("port %u\n", atomic_load(&f.port));
	fflush(stdout);

	sigwait(&set, &sig);
	pthread_mutex_lock(&f.lock);
	f.stopping = 1;
	pthread_cond_broadcast(&f.wake);
	pthread_mutex_unlock(&f.lock);
	MHD_stop_daemon(d);
	fclose(f.log);
	return 0;
}
