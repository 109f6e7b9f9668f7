/*
 * dispatcher: one thread, one SQLite connection, one CURL multi handle.
 *
 * Each tick (or wake-up) it reads the due rows, and for each whose channel
 * has a token left and while fewer than MAX_INFLIGHT requests are open:
 * claims the row (status sending, attempts + 1), builds the request and
 * adds it to the multi handle.  A citizen's address and text exist in
 * clear only between the claim and the request's end, in memory, and are
 * wiped then.  Finished transfers are read by the channel's sender into
 * sent / retry / permanent, and the row is updated: sent keeps the keyed
 * hash of the provider's id, so that delivery reports can find the row.
 *
 * Each outcome is one log line (event=send: kind, channel, status, the
 * attempt, the HTTP status and a short class of error), never the
 * destination, the text or the provider's answer, which may quote the
 * number.  A citizen's message is logged at debug unless it died: beside
 * the journal's exact time its acknowledgement would date the report.
 * How long a message took from due to sent is observed for the metrics;
 * a retried row's first due time is kept in memory until it is sent.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include "adapters/send.h"
#include "lib/log.h"
#include "queue/dispatcher.h"
#include "queue/store.h"

#define MAX_INFLIGHT	    16
#define DUE_BATCH	    64
#define TICK_MS		    250
#define STOP_GRACE_MS	    5000
#define RESPONSE_MAX	    65536
#define SEALED_MAX	    8192
#define TEMPLATE_PARAMS_MAX 10
#define WAITING_MAX	    256 /* retried rows whose first due time is kept */

struct bucket {
	double tokens;
	long long last_ms;
};

/* One attempt at an outbox row, as its log line and metrics tell it. */
struct attempt {
	long long id;
	const char *kind, *channel;
	int number;	  /* 1 for the first attempt */
	int citizen;	  /* sealed: a citizen's message or a provider id */
	long long due_ms; /* when it was first due; -1: not known */
};

/* A retried row and when it was first due. */
struct waiting {
	long long id, due_ms; /* id 0: a free slot */
};

struct transfer {
	struct dispatcher *d;
	struct attempt a;
	char kind[32];
	CURL *curl;
	struct curl_slist *headers;
	struct http_request req;
	long long id;
	int attempts;
	const struct channel *channel;
	char *response;
	size_t len;
	char retry_after[64];
	int forget; /* a request to delete the provider's copy */
};

struct dispatcher {
	const struct config *cfg;
	const struct memkey *key;
	dispatch_observer observe;
	void *observe_arg;
	struct store *store;
	CURLM *multi;
	pthread_t thread;
	atomic_int stopping;
	struct bucket *buckets;			 /* one per channel */
	struct transfer *inflight[MAX_INFLIGHT]; /* NULL: free */
	int ninflight;
	struct waiting waiting[WAITING_MAX];
};

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long
dispatcher_backoff(const struct config *cfg, int attempts, long retry_after_ms)
{
	long delay = cfg->dispatch.retry_base_ms;
	int i;

	for (i = 1; i < attempts && delay < cfg->dispatch.retry_max_ms; i++)
		delay *= 2;
	if (delay > cfg->dispatch.retry_max_ms)
		delay = cfg->dispatch.retry_max_ms;
	delay =
	    delay / 2 + (long)randombytes_uniform((uint32_t)(delay / 2 + 1));
	return delay > retry_after_ms ? delay : retry_after_ms;
}

/* Take a token from the channel's bucket; 0 when it is empty. */
static int
take_token(struct dispatcher *d, int ch, long long now)
{
	struct bucket *b = &d->buckets[ch];
	double rate = d->cfg->channels[ch].rate_per_second;

	if (rate <= 0)
		rate = 5;
	b->tokens += (double)(now - b->last_ms) * rate / 1000.0;
	if (b->tokens > rate)
		b->tokens = rate;
	b->last_ms = now;
	if (b->tokens < 1.0)
		return 0;
	b->tokens -= 1.0;
	return 1;
}

static int
is_inflight(struct dispatcher *d, long long id)
{
	int i;

	for (i = 0; i < MAX_INFLIGHT; i++)
		if (d->inflight[i] != NULL && d->inflight[i]->id == id)
			return 1;
	return 0;
}

/* Put t in the slot that holds old (NULL: a free one). */
static void
set_inflight(struct dispatcher *d, struct transfer *old, struct transfer *t)
{
	int i;

	for (i = 0; i < MAX_INFLIGHT; i++)
		if (d->inflight[i] == old) {
			d->inflight[i] = t;
			return;
		}
}

/* The row's attempt: when it was first due, from the row or memory. */
static void
attempt_of(
    struct dispatcher *d, const struct store_outbox_row *row, struct attempt *a)
{
	int i;

	a->id = row->id;
	a->kind = row->kind;
	a->channel = row->channel;
	a->number = row->attempts + 1;
	a->citizen = row->sealed != NULL;
	a->due_ms = row->attempts == 0 ? row->next_attempt_at : -1;
	for (i = 0; a->due_ms == -1 && i < WAITING_MAX; i++)
		if (d->waiting[i].id == row->id)
			a->due_ms = d->waiting[i].due_ms;
}

/* Keep (retry) or forget a row's first due time. */
static void
keep_due(struct dispatcher *d, const struct attempt *a, int keep)
{
	int i, free_slot = -1;

	for (i = 0; i < WAITING_MAX; i++) {
		if (d->waiting[i].id == a->id) {
			if (!keep)
				d->waiting[i].id = 0;
			return;
		}
		if (d->waiting[i].id == 0 && free_slot == -1)
			free_slot = i;
	}
	if (keep && a->due_ms >= 0 && free_slot != -1) {
		d->waiting[free_slot].id = a->id;
		d->waiting[free_slot].due_ms = a->due_ms;
	}
}

static void
log_send(const struct attempt *a, enum dispatch_event e, long http,
    const char *why, double seconds)
{
	static const char *const names[] = {"sent", "retry", "dead"};
	char status[16] = "", detail[64] = "";

	if (http > 0)
		snprintf(status, sizeof status, " http=%ld", http);
	if (e == DISPATCH_SENT && seconds >= 0)
		snprintf(detail, sizeof detail, " seconds=%.3f", seconds);
	else if (e != DISPATCH_SENT)
		snprintf(detail, sizeof detail, " error=%s", why);
	log_msg(e == DISPATCH_DEAD ? LOG_WARN
		: a->citizen	   ? LOG_DEBUG
				   : LOG_INFO,
	    "send", "kind=%s channel=%s status=%s attempt=%d%s%s", a->kind,
	    a->channel, names[e], a->number, status, detail);
}

/*
 * Store an attempt's outcome (status sent, failed or dead, as the outbox
 * says it), log it (http: the provider's status, 0: none; why: a short
 * class of error) and tell the observer.
 */
static void
record(struct dispatcher *d, const struct attempt *a, const char *status,
    const unsigned char *hash, long long next, const char *error, long http,
    const char *why)
{
	char err[256], quoted[300];
	enum dispatch_event e = strcmp(status, "sent") == 0 ? DISPATCH_SENT
	    : strcmp(status, "dead") == 0		    ? DISPATCH_DEAD
							    : DISPATCH_RETRY;
	long long now = now_ms();
	double seconds = -1;

	if (store_outbox_result(d->store, a->id, status, hash, next, error, now,
		err, sizeof err) == -1)
		log_msg(LOG_ERROR, "dispatch_error", "reason=%s",
		    log_quote(err, quoted, sizeof quoted));
	keep_due(d, a, e == DISPATCH_RETRY);
	/* a deletion at the provider is no delivery */
	if (e == DISPATCH_SENT && a->due_ms >= 0 &&
	    strcmp(a->kind, "forget") != 0)
		seconds = now > a->due_ms ? (double)(now - a->due_ms) / 1e3 : 0;
	log_send(a, e, http, why, seconds);
	if (d->observe != NULL)
		d->observe(d->observe_arg, a->channel, e, seconds);
}

static size_t
keep_response(char *data, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	size_t len = size * n;

	if (t->len + len > RESPONSE_MAX)
		return 0; /* an answer this large is an error */
	memcpy(t->response + t->len, data, len);
	t->len += len;
	t->response[t->len] = '\0';
	return len;
}

static size_t
keep_header(char *data, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	size_t len = size * n;

	if (len > 12 && strncasecmp(data, "Retry-After:", 12) == 0) {
		size_t v = len - 12;

		if (v >= sizeof t->retry_after)
			v = sizeof t->retry_after - 1;
		memcpy(t->retry_after, data + 12, v);
		t->retry_after[v] = '\0';
		t->retry_after[strcspn(t->retry_after, "\r\n")] = '\0';
	}
	return len;
}

static void
transfer_free(struct transfer *t)
{
	if (t == NULL)
		return;
	if (t->curl != NULL)
		curl_easy_cleanup(t->curl);
	curl_slist_free_all(t->headers);
	if (t->req.body != NULL)
		sodium_memzero(t->req.body, t->req.body_len);
	http_request_free(&t->req);
	sodium_memzero(&t->req, sizeof t->req);
	if (t->response != NULL) {
		sodium_memzero(t->response, t->len);
		free(t->response);
	}
	free(t);
}

/*
 * A template row's parameters (a JSON array of strings) into msg, through
 * param.  Returns the parsed array, to release once msg is built, or NULL
 * when they cannot be read.
 */
static json_t *
template_params(const struct store_outbox_row *row,
    struct outbound_message *msg, const char *param[TEMPLATE_PARAMS_MAX])
{
	json_t *a = row->template_params != NULL
	    ? json_loads(row->template_params, 0, NULL)
	    : json_array();
	size_t i;

	if (a == NULL || !json_is_array(a) ||
	    json_array_size(a) > TEMPLATE_PARAMS_MAX)
		goto fail;
	for (i = 0; i < json_array_size(a); i++)
		if ((param[i] = json_string_value(json_array_get(a, i))) ==
		    NULL)
			goto fail;
	msg->template_name = row->template_name;
	msg->template_params = param;
	msg->ntemplate_params = json_array_size(a);
	return a;
fail:
	json_decref(a);
	return NULL;
}

/*
 * Open the row's message: a citizen's from the sealed blob, a staff
 * member's from the clear columns.  Returns 0 or -1 (lost at a restart).
 */
int
outbox_open_message(const struct memkey *key,
    const struct store_outbox_row *row, char *to, size_t tolen, char *text,
    size_t textlen)
{
	unsigned char plain[SEALED_MAX];
	long n;
	size_t tl;
	int rc = -1;

	if (row->sealed == NULL) {
		if (row->destination == NULL || row->body == NULL)
			return -1;
		snprintf(to, tolen, "%s", row->destination);
		snprintf(text, textlen, "%s", row->body);
		return 0;
	}
	if (row->sealed_len > SEALED_MAX ||
	    (n = memkey_open(key, row->sealed, row->sealed_len, plain)) < 0)
		return -1;
	/* "destination\0text" */
	tl = strnlen((char *)plain, (size_t)n);
	if (tl < (size_t)n && tl < tolen && (size_t)n - tl - 1 < textlen) {
		memcpy(to, plain, tl + 1);
		memcpy(text, plain + tl + 1, (size_t)n - tl - 1);
		text[(size_t)n - tl - 1] = '\0';
		rc = 0;
	}
	sodium_memzero(plain, sizeof plain);
	return rc;
}

static int
start_transfer(struct dispatcher *d, const struct store_outbox_row *row, int ch)
{
	const struct channel *c = &d->cfg->channels[ch];
	const struct sender *s = sender_for(c->provider);
	struct outbound_message msg;
	struct transfer *t = NULL;
	const char *param[TEMPLATE_PARAMS_MAX];
	char to[300], text[8192], err[256];
	json_t *params = NULL;
	struct attempt a;
	int i, claimed, built;

	attempt_of(d, row, &a);
	if (outbox_open_message(
		d->key, row, to, sizeof to, text, sizeof text) == -1) {
		record(d, &a, "dead", NULL, now_ms(), "address lost at restart",
		    0, "address_lost");
		return 0;
	}
	if ((claimed = store_outbox_claim(
		 d->store, row->id, now_ms(), err, sizeof err)) != 0)
		goto done;
	memset(&msg, 0, sizeof msg);
	msg.to = to;
	msg.text = text;
	/* Twilio reports delivery to the channel's own webhook. */
	msg.status_callback = c->webhook_url;
	if ((t = calloc(1, sizeof *t)) == NULL ||
	    (t->response = malloc(RESPONSE_MAX + 1)) == NULL)
		goto retry;
	t->d = d;
	t->id = row->id;
	t->attempts = row->attempts + 1;
	t->channel = c;
	t->a = a;
	snprintf(t->kind, sizeof t->kind, "%s", row->kind);
	t->a.kind = t->kind;
	t->a.channel = c->name;
	t->response[0] = '\0';
	t->forget = strcmp(row->kind, "forget") == 0;
	if (row->template_name != NULL &&
	    (params = template_params(row, &msg, param)) == NULL) {
		record(d, &a, "dead", NULL, now_ms(),
		    "template parameters unreadable", 0, "template");
		goto done;
	}
	if (t->forget && s->forget == NULL) {
		built = -1;
		snprintf(
		    err, sizeof err, "the provider keeps no copy to delete");
	} else if (t->forget) /* the sealed text is the message's id */
		built = s->forget(c, text, &t->req, err, sizeof err);
	else
		built = s->build(c, &msg, &t->req, err, sizeof err);
	json_decref(params);
	if (built == -1) {
		record(d, &a, "dead", NULL, now_ms(), err, 0, "unbuildable");
		goto done;
	}
	if ((t->curl = curl_easy_init()) == NULL)
		goto retry;
	for (i = 0; i < SEND_MAX_HEADERS; i++)
		if (t->req.headers[i][0] != '\0')
			t->headers =
			    curl_slist_append(t->headers, t->req.headers[i]);
	if (t->req.content_type[0] != '\0') {
		char ct[96];

		snprintf(
		    ct, sizeof ct, "Content-Type: %s", t->req.content_type);
		t->headers = curl_slist_append(t->headers, ct);
	}
	curl_easy_setopt(t->curl, CURLOPT_URL, t->req.url);
	curl_easy_setopt(t->curl, CURLOPT_HTTPHEADER, t->headers);
	if (t->req.method[0] != '\0')
		curl_easy_setopt(t->curl, CURLOPT_CUSTOMREQUEST, t->req.method);
	else {
		curl_easy_setopt(t->curl, CURLOPT_POSTFIELDS, t->req.body);
		curl_easy_setopt(
		    t->curl, CURLOPT_POSTFIELDSIZE, (long)t->req.body_len);
	}
	if (t->req.userpwd[0] != '\0')
		curl_easy_setopt(t->curl, CURLOPT_USERPWD, t->req.userpwd);
	curl_easy_setopt(
	    t->curl, CURLOPT_TIMEOUT_MS, d->cfg->dispatch.timeout_ms);
	curl_easy_setopt(t->curl, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	curl_easy_setopt(t->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(t->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(t->curl, CURLOPT_WRITEFUNCTION, keep_response);
	curl_easy_setopt(t->curl, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(t->curl, CURLOPT_HEADERFUNCTION, keep_header);
	curl_easy_setopt(t->curl, CURLOPT_HEADERDATA, t);
	curl_easy_setopt(t->curl, CURLOPT_PRIVATE, t);
	if (curl_multi_add_handle(d->multi, t->curl) != CURLM_OK)
		goto retry;
	set_inflight(d, NULL, t);
	d->ninflight++;
	sodium_memzero(to, sizeof to);
	sodium_memzero(text, sizeof text);
	return 1;
retry:
	record(d, &a, "failed", NULL,
	    now_ms() + dispatcher_backoff(d->cfg, row->attempts + 1, 0),
	    "out of memory", 0, "no_memory");
done:
	transfer_free(t);
	sodium_memzero(to, sizeof to);
	sodium_memzero(text, sizeof text);
	return 0;
}

/* What failed, in a word, for the log: never the provider's answer. */
static const char *
failure_class(CURLcode code, long status)
{
	if (code == CURLE_OPERATION_TIMEDOUT)
		return "timeout";
	if (code != CURLE_OK)
		return "network";
	if (status == 429)
		return "throttled";
	if (status >= 500)
		return "server";
	if (status == 401 || status == 403)
		return "auth";
	if (status >= 400)
		return "rejected";
	return "unreadable"; /* an answer the sender cannot take as sent */
}

static void
finish_transfer(struct dispatcher *d, struct transfer *t, CURLcode code)
{
	const struct sender *s = sender_for(t->channel->provider);
	struct send_result res;
	unsigned char hash[STORE_HASH_BYTES];
	long status = 0, next;

	memset(&res, 0, sizeof res);
	if (code != CURLE_OK) {
		res.outcome = SEND_RETRY;
		snprintf(res.error, sizeof res.error, "%s",
		    code == CURLE_OPERATION_TIMEDOUT
			? "timed out"
			: curl_easy_strerror(code));
	} else {
		curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
		if (t->forget)
			send_forget_outcome(status,
			    t->retry_after[0] ? t->retry_after : NULL, &res);
		else
			s->parse(t->channel, status,
			    t->retry_after[0] ? t->retry_after : NULL,
			    t->response, t->len, &res);
		if (res.retry_after_ms == 0 && t->retry_after[0])
			res.retry_after_ms =
			    send_retry_after_ms(t->retry_after, time(NULL));
	}
	switch (res.outcome) {
	case SEND_OK:
		if (t->forget) { /* done: the store erases the sealed id */
			record(d, &t->a, "sent", NULL, now_ms(), NULL, status,
			    NULL);
			break;
		}
		store_hash_id(store_dedupe_key(d->store), t->channel->name,
		    res.provider_id, hash);
		record(d, &t->a, "sent", hash, now_ms(), NULL, status, NULL);
		break;
	case SEND_RETRY:
		if (t->attempts < d->cfg->dispatch.max_attempts) {
			next = now_ms() +
			    dispatcher_backoff(
				d->cfg, t->attempts, res.retry_after_ms);
			record(d, &t->a, "failed", NULL, next, res.error,
			    status, failure_class(code, status));
			break;
		}
		/* FALLTHROUGH */
	case SEND_PERMANENT:
	default:
		record(d, &t->a, "dead", NULL, now_ms(), res.error, status,
		    failure_class(code, status));
		break;
	}
	set_inflight(d, t, NULL);
	d->ninflight--;
	curl_multi_remove_handle(d->multi, t->curl);
	transfer_free(t);
}

struct due_pass {
	struct dispatcher *d;
	long long now;
};

static int
consider_row(const struct store_outbox_row *row, void *arg)
{
	struct due_pass *p = arg;
	struct dispatcher *d = p->d;
	const struct channel *c;
	struct attempt a;
	int ch;

	if (d->ninflight >= MAX_INFLIGHT)
		return -1;
	if (is_inflight(d, row->id))
		return 0;
	attempt_of(d, row, &a);
	a.number = row->attempts; /* none is made */
	if ((c = config_channel(d->cfg, row->channel)) == NULL) {
		record(d, &a, "dead", NULL, p->now,
		    "channel no longer configured", 0, "no_channel");
		return 0;
	}
	/* an SMSSync phone takes its messages when it polls; evidence is
	 * fetched by queue/fetcher.c */
	if (c->provider == PROVIDER_SMSSYNC || strcmp(row->kind, "fetch") == 0)
		return 0;
	ch = (int)(c - d->cfg->channels);
	if (row->attempts >= d->cfg->dispatch.max_attempts) {
		record(d, &a, "dead", NULL, p->now,
		    row->last_error != NULL ? row->last_error
					    : "no attempts left",
		    0, "no_attempts");
		return 0;
	}
	if (!take_token(d, ch, p->now))
		return 0;
	start_transfer(d, row, ch);
	return 0;
}

static void
send_due(struct dispatcher *d)
{
	struct due_pass p = {d, now_ms()};
	char err[256], quoted[300];

	if (d->ninflight < MAX_INFLIGHT &&
	    store_each_due(d->store, p.now, DUE_BATCH, consider_row, &p, err,
		sizeof err) == -1)
		log_msg(LOG_ERROR, "dispatch_error", "reason=%s",
		    log_quote(err, quoted, sizeof quoted));
}

static void
reap(struct dispatcher *d)
{
	struct transfer *t;
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(d->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(
		    m->easy_handle, CURLINFO_PRIVATE, (char **)&t);
		finish_transfer(d, t, m->data.result);
	}
}

static void *
dispatcher_main(void *arg)
{
	struct dispatcher *d = arg;
	long long stop_at = 0;
	int running;

	for (;;) {
		if (atomic_load(&d->stopping)) {
			if (stop_at == 0)
				stop_at = now_ms() + STOP_GRACE_MS;
			if (d->ninflight == 0 || now_ms() > stop_at)
				break;
		} else
			send_due(d);
		curl_multi_perform(d->multi, &running);
		reap(d);
		curl_multi_poll(d->multi, NULL, 0, TICK_MS, NULL);
	}
	return NULL;
}

struct dispatcher *
dispatcher_start(const struct config *cfg, const struct memkey *key,
    dispatch_observer observe, void *arg, char *err, size_t errlen)
{
	struct dispatcher *d;

	if ((d = calloc(1, sizeof *d)) == NULL ||
	    (d->buckets = calloc(cfg->nchannels + 1, sizeof *d->buckets)) ==
		NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	d->cfg = cfg;
	d->key = key;
	d->observe = observe;
	d->observe_arg = arg;
	if ((d->store = store_open(
		 cfg->server.database, STORE_READWRITE, err, errlen)) == NULL)
		goto fail;
	if ((d->multi = curl_multi_init()) == NULL) {
		snprintf(err, errlen, "cannot start libcurl");
		goto fail;
	}
	if (pthread_create(&d->thread, NULL, dispatcher_main, d) != 0) {
		snprintf(err, errlen, "cannot start the dispatcher thread");
		goto fail;
	}
	pthread_setname_np(d->thread, "dispatcher");
	return d;
fail:
	if (d != NULL) {
		if (d->multi != NULL)
			curl_multi_cleanup(d->multi);
		store_close(d->store);
		free(d->buckets);
		free(d);
	}
	return NULL;
}

void
dispatcher_wake(struct dispatcher *d)
{
	if (d != NULL)
		curl_multi_wakeup(d->multi);
}

void
dispatcher_stop(struct dispatcher *d)
{
	int i;

	if (d == NULL)
		return;
	atomic_store(&d->stopping, 1);
	curl_multi_wakeup(d->multi);
	pthread_join(d->thread, NULL);
	/* What is still in flight stays 'sending': recovered at start. */
	for (i = 0; i < MAX_INFLIGHT; i++)
		if (d->inflight[i] != NULL) {
			curl_multi_remove_handle(
			    d->multi, d->inflight[i]->curl);
			transfer_free(d->inflight[i]);
		}
	curl_multi_cleanup(d->multi);
	store_close(d->store);
	free(d->buckets);
	free(d);
}
