/*
 * fetcher: implements queue/fetcher.h.  A download is held in one buffer
 * no larger than [evidence] max_bytes (the transfer stops past it), is
 * stripped and encrypted, and the clear bytes are wiped before the row is
 * written.  A pass looks at the due fetch rows every second, or when woken.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include "lib/log.h"
#include "queue/conversation.h"
#include "queue/dispatcher.h"
#include "queue/evidence.h"
#include "queue/fetcher.h"
#include "queue/store.h"
#include "queue/templates.h"

#define REF_MAX	    1024
#define TO_MAX	    300
#define FORGET_MAX  256
#define LOOKUP_MAX  (16 * 1024) /* the WhatsApp media URL's answer */
#define FETCH_BATCH 8
#define TICK_MS	    1000

struct fetcher {
	const struct config *cfg;
	const struct memkey *key;
	struct writer *writer;
	struct store *store; /* read-only: what is due */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stopping, woken;
};

static long long
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

size_t
fetcher_seal(const struct memkey *key, const char *media_ref, const char *to,
    const char *forget_id, unsigned char *out)
{
	char plain[REF_MAX + TO_MAX + FORGET_MAX + 2];
	size_t rl = strlen(media_ref), tl = strlen(to),
	       fl = forget_id != NULL ? strlen(forget_id) : 0, n;

	if (rl >= REF_MAX || tl >= TO_MAX || fl >= FORGET_MAX ||
	    strchr(to, '\n') != NULL)
		return 0;
	/*
	 * "ref\0to[\nforget]": as outbox_open_message() reads
	 * "destination\0text"
	 */
	memcpy(plain, media_ref, rl + 1);
	memcpy(plain + rl + 1, to, tl);
	n = rl + 1 + tl;
	if (fl > 0) {
		plain[n++] = '\n';
		memcpy(plain + n, forget_id, fl);
		n += fl;
	}
	n = memkey_seal(key, plain, n, out);
	sodium_memzero(plain, sizeof plain);
	return n;
}

/* A download: its bytes, up to max. */
struct body {
	unsigned char *b;
	size_t len, max;
	int too_large;
};

static size_t
keep(char *data, size_t size, size_t n, void *arg)
{
	struct body *d = arg;
	size_t len = size * n;

	if (d->len + len > d->max) {
		d->too_large = 1;
		return 0;
	}
	memcpy(d->b + d->len, data, len);
	d->len += len;
	return len;
}

/*
 * GET url into d (with a bearer token or HTTP Basic credentials).  The
 * HTTP status, or 0 when there was no answer.
 */
static long
get(const char *url, const char *bearer, const char *userpwd,
    const struct config *cfg, struct body *d)
{
	struct curl_slist *headers = NULL;
	char auth[1024];
	CURL *c = curl_easy_init();
	long status = 0;

	if (c == NULL)
		return 0;
	if (bearer != NULL) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", bearer);
		headers = curl_slist_append(NULL, auth);
		sodium_memzero(auth, sizeof auth);
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	if (userpwd != NULL) {
		curl_easy_setopt(c, CURLOPT_USERPWD, userpwd);
		/* credentials go to the host named, not where it redirects */
		curl_easy_setopt(c, CURLOPT_UNRESTRICTED_AUTH, 0L);
	}
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	/* a large video on a slow link: the timeout grows with the limit */
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
	    cfg->dispatch.timeout_ms + (long)(d->max / 4096));
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, d);
	if (curl_easy_perform(c) == CURLE_OK || d->too_large)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	curl_slist_free_all(headers);
	return status;
}

/* What a fetch came to. */
enum outcome {
	GOT,	 /* the bytes are in d */
	REFUSE,	 /* not kept: why says why (the citizen is told) */
	RETRY,	 /* try again later: why */
	GIVE_UP, /* the provider refuses it for good: why */
};

/* The WhatsApp Cloud API: the media id's URL, then its bytes. */
static enum outcome
fetch_whatsapp(const struct config *cfg, const struct channel *ch,
    const char *media_id, struct body *d, char *why, size_t whylen)
{
	struct body lookup = {NULL, 0, LOOKUP_MAX, 0};
	char url[1200];
	const char *u, *sha;
	json_t *j = NULL;
	json_int_t size;
	enum outcome rc = RETRY;
	long status;

	if (ch->api_base == NULL || ch->access_token == NULL) {
		snprintf(why, whylen,
		    "the channel has no api_base and "
		    "access_token to fetch media with");
		return GIVE_UP;
	}
	if ((lookup.b = malloc(LOOKUP_MAX + 1)) == NULL)
		return RETRY;
	snprintf(url, sizeof url, "%s/%s", ch->api_base, media_id);
	status = get(url, ch->access_token, NULL, cfg, &lookup);
	if (status < 200 || status > 299) {
		snprintf(why, whylen, "media lookup answered HTTP %ld", status);
		rc = status >= 400 && status < 500 && status != 429 ? GIVE_UP
								    : RETRY;
		goto done;
	}
	lookup.b[lookup.len] = '\0';
	j = json_loads((const char *)lookup.b, 0, NULL);
	if (j == NULL ||
	    (u = json_string_value(json_object_get(j, "url"))) == NULL) {
		snprintf(why, whylen, "media lookup has no url");
		goto done;
	}
	size = json_integer_value(json_object_get(j, "file_size"));
	if (size > (json_int_t)d->max) {
		snprintf(why, whylen, "too_large");
		rc = REFUSE;
		goto done;
	}
	snprintf(url, sizeof url, "%s", u);
	status = get(url, ch->access_token, NULL, cfg, d);
	if (d->too_large) {
		snprintf(why, whylen, "too_large");
		rc = REFUSE;
	} else if (status < 200 || status > 299) {
		snprintf(
		    why, whylen, "media download answered HTTP %ld", status);
		rc = status == 404 ? GIVE_UP : RETRY;
	} else if ((sha = json_string_value(json_object_get(j, "sha256"))) !=
		NULL &&
	    evidence_sha256_matches(d->b, d->len, sha) == 0) {
		snprintf(why, whylen, "the download does not match its sha256");
		rc = RETRY;
	} else
		rc = GOT;
done:
	json_decref(j);
	free(lookup.b);
	return rc;
}

/* Twilio: MediaUrl with the account's credentials. */
static enum outcome
fetch_twilio(const struct config *cfg, const struct channel *ch,
    const char *media_url, struct body *d, char *why, size_t whylen)
{
	char userpwd[512];
	long status;

	if (ch->account_sid == NULL || ch->auth_token == NULL) {
		snprintf(why, whylen, "the channel has no credentials");
		return GIVE_UP;
	}
	snprintf(
	    userpwd, sizeof userpwd, "%s:%s", ch->account_sid, ch->auth_token);
	status = get(media_url, NULL, userpwd, cfg, d);
	sodium_memzero(userpwd, sizeof userpwd);
	if (d->too_large) {
		snprintf(why, whylen, "too_large");
		return REFUSE;
	}
	if (status >= 200 && status <= 299)
		return GOT;
	snprintf(why, whylen, "media download answered HTTP %ld", status);
	return status >= 400 && status < 500 && status != 429 ? GIVE_UP : RETRY;
}

/* One fetch row's result, written by the writer. */
struct result {
	const struct config *cfg;
	const struct memkey *key;
	const struct store_outbox_row *row;
	long long attachment, report;
	enum outcome outcome;
	const char *why;
	const char *to;	    /* the citizen, for a refusal */
	const char *forget; /* the message to delete at the provider, or NULL */
	long long now;
	/* when stored */
	struct evidence_type type;
	unsigned char sha256[32];
	unsigned char sealed_key[EVIDENCE_SEALED_KEY_BYTES];
	unsigned char *blob;
	size_t bloblen;
	long long size;
};

/* The citizen's line: why the item was not kept. */
static int
tell_citizen(struct store *s, const struct result *r, char *err, size_t errlen)
{
	char code[STORE_CODE_MAX] = "", max[32], reason[160], plain[8192];
	unsigned char sealed[8192 + MEMKEY_OVERHEAD];
	struct store_outbound o;
	size_t n;
	char *text;

	if (r->row->report_code != NULL)
		snprintf(code, sizeof code, "%s", r->row->report_code);
	snprintf(max, sizeof max, "%ld MB", r->cfg->evidence.max_bytes >> 20);
	snprintf(reason, sizeof reason, "%s",
	    strcmp(r->why, "too_large") == 0 ? "terlalu besar"
		: strcmp(r->why, "too_many") == 0
		? "laporan ini sudah berisi cukup banyak berkas"
		: strcmp(r->why, "type") == 0
		? "jenis berkasnya tidak diterima"
		: "berkasnya tidak dapat diambil");
	{
		const struct template_var vars[] = {
		    {"city", r->cfg->server.city},
		    {"code", code},
		    {"reason", reason},
		    {"max", max},
		};

		if ((text = templates_render(r->cfg, TEMPLATE_EVIDENCE_REFUSED,
			 vars, sizeof vars / sizeof vars[0])) == NULL)
			return snprintf(err, errlen, "out of memory"), -1;
	}
	n = (size_t)snprintf(plain, sizeof plain, "%s", r->to) + 1;
	snprintf(plain + n, sizeof plain - n, "%s", text);
	n += strlen(plain + n);
	free(text);
	memset(&o, 0, sizeof o);
	o.report_id = r->report;
	o.kind = "evidence";
	o.channel = r->row->channel;
	o.sealed = sealed;
	o.sealed_len = memkey_seal(r->key, plain, n, sealed);
	sodium_memzero(plain, sizeof plain);
	return store_insert_outbound(s, &o, r->now, err, errlen);
}

/*
 * [channel] forget_at_provider: the message (and its media) deleted at the
 * provider now that its media is fetched, or given up.
 */
static int
forget_message(
    struct store *s, const struct result *r, char *err, size_t errlen)
{
	unsigned char sealed[FORGET_MAX + 1 + MEMKEY_OVERHEAD];
	struct store_outbound o;

	if (r->forget == NULL || r->forget[0] == '\0')
		return 0;
	memset(&o, 0, sizeof o);
	o.kind = "forget";
	o.channel = r->row->channel;
	o.sealed = sealed;
	if ((o.sealed_len = conversation_seal_message(
		 r->key, "", r->forget, sealed, sizeof sealed)) == 0) {
		snprintf(err, errlen, "sealing a message id failed");
		return -1;
	}
	return store_insert_outbound(s, &o, r->now, err, errlen);
}

static int
apply_result(struct store *s, void *arg, char *err, size_t errlen)
{
	const struct result *r = arg;
	int attempts = r->row->attempts + 1;
	long long next;

	/* once the fetch is over, for good */
	if ((r->outcome != RETRY ||
		attempts >= r->cfg->dispatch.max_attempts) &&
	    forget_message(s, r, err, errlen) == -1)
		return -1;
	switch (r->outcome) {
	case GOT:
		return store_attachment_stored(s, r->attachment,
			   evidence_kind_name(r->type.kind), r->type.mime,
			   r->size, r->sha256, r->sealed_key,
			   sizeof r->sealed_key, r->blob, r->bloblen, err,
			   errlen) == -1 ||
			store_outbox_result(s, r->row->id, "sent", NULL, r->now,
			    NULL, r->now, err, errlen) == -1
		    ? -1
		    : 0;
	case RETRY:
		if (attempts < r->cfg->dispatch.max_attempts) {
			next = r->now + dispatcher_backoff(r->cfg, attempts, 0);
			return store_outbox_result(s, r->row->id, "failed",
			    NULL, next, r->why, r->now, err, errlen);
		}
		/* FALLTHROUGH */
	case GIVE_UP:
	case REFUSE:
		if (store_attachment_refused(s, r->attachment,
			r->outcome == REFUSE ? r->why : "download failed", err,
			errlen) == -1 ||
		    (r->to != NULL && r->to[0] != '\0' &&
			tell_citizen(s, r, err, errlen) == -1))
			return -1;
		return store_outbox_result(s, r->row->id,
		    r->outcome == REFUSE ? "sent" : "dead", NULL, r->now,
		    r->why, r->now, err, errlen);
	}
	return 0;
}

/* Sniff, check, strip and seal the bytes in d into r. */
static void
keep_bytes(const struct config *cfg, struct body *d, struct result *r)
{
	char err[128];

	if (evidence_sniff(d->b, d->len, &r->type) == -1) {
		r->outcome = REFUSE;
		r->why = "type";
		return;
	}
	if (strcmp(r->type.mime, "image/jpeg") == 0 &&
	    evidence_strip_jpeg(d->b, &d->len, err, sizeof err) == -1) {
		r->outcome = REFUSE;
		r->why = "type";
		return;
	}
	crypto_hash_sha256(r->sha256, d->b, d->len);
	r->size = (long long)d->len;
	if (evidence_seal(d->b, d->len, cfg->evidence.public_key, &r->blob,
		&r->bloblen, r->sealed_key) == -1) {
		r->outcome = RETRY;
		r->why = "out of memory";
	}
}

/* Fetch one row: claim, download, keep or refuse, write. */
static void
fetch_row(struct fetcher *f, const struct store_outbox_row *row)
{
	const struct config *cfg = f->cfg;
	const struct channel *ch = config_channel(cfg, row->channel);
	char ref[REF_MAX], to[TO_MAX + FORGET_MAX + 1], why[160] = "", *end,
							*nl;
	struct body d = {NULL, 0, (size_t)cfg->evidence.max_bytes, 0};
	struct result r;
	int stored = 0;

	memset(&r, 0, sizeof r);
	r.cfg = cfg;
	r.key = f->key;
	r.row = row;
	r.now = now_ms();
	r.attachment = row->body != NULL ? strtoll(row->body, &end, 10) : 0;
	r.report = row->report_id;
	r.to = "";
	if (ch == NULL || r.attachment <= 0 ||
	    outbox_open_message(f->key, row, ref, sizeof ref, to, sizeof to) ==
		-1) {
		r.outcome = GIVE_UP;
		r.why = ch == NULL ? "channel no longer configured"
				   : "media reference lost at restart";
		goto write;
	}
	r.to = to;
	if ((nl = strchr(to, '\n')) != NULL) {
		*nl = '\0';
		r.forget = nl + 1;
	}
	if (store_attachments_stored(f->store, row->report_id, &stored) == 0 &&
	    stored >= cfg->evidence.max_items) {
		r.outcome = REFUSE;
		r.why = "too_many";
		goto write;
	}
	if ((d.b = sodium_malloc(d.max + 1)) == NULL) {
		r.outcome = RETRY;
		r.why = "out of memory";
		goto write;
	}
	r.outcome = ch->provider == PROVIDER_WHATSAPP_CLOUD
	    ? fetch_whatsapp(cfg, ch, ref, &d, why, sizeof why)
	    : ch->provider == PROVIDER_TWILIO
	    ? fetch_twilio(cfg, ch, ref, &d, why, sizeof why)
	    : GIVE_UP;
	r.why = why[0] != '\0' ? why : "this channel carries no media";
	if (r.outcome == GOT)
		keep_bytes(cfg, &d, &r);
	sodium_free(d.b);
write:
	if (writer_run(f->writer, apply_result, &r) == -1)
		log_msg(LOG_ERROR, "fetch_error",
		    "reason=\"the result of a fetch was not stored\"");
	else if (r.outcome != GOT)
		log_msg(LOG_WARN, "evidence_not_kept", "kind=%s",
		    r.outcome == REFUSE	     ? "refused"
			: r.outcome == RETRY ? "retry"
					     : "failed");
	free(r.blob);
	sodium_memzero(ref, sizeof ref);
	sodium_memzero(to, sizeof to);
}

/* Claim a row through the writer. */
struct claim {
	long long id, now;
	int claimed;
};

static int
apply_claim(struct store *s, void *arg, char *err, size_t errlen)
{
	struct claim *c = arg;

	c->claimed = store_outbox_claim(s, c->id, c->now, err, errlen);
	return c->claimed == -1 ? -1 : 0;
}

/* A due row, copied out of the read so that no read spans a download. */
struct due_row {
	struct store_outbox_row row;
	char channel[64], code[STORE_CODE_MAX], body[32];
	unsigned char sealed[FETCHER_SEALED_MAX];
};

struct due {
	struct due_row r[FETCH_BATCH];
	int n;
};

static int
collect(const struct store_outbox_row *row, void *arg)
{
	struct due *d = arg;
	struct due_row *c;

	if (d->n == FETCH_BATCH)
		return -1;
	c = &d->r[d->n];
	memset(c, 0, sizeof *c);
	c->row.id = row->id;
	c->row.report_id = row->report_id;
	c->row.attempts = row->attempts;
	c->row.kind = "fetch";
	snprintf(c->channel, sizeof c->channel, "%s", row->channel);
	c->row.channel = c->channel;
	if (row->report_code != NULL) {
		snprintf(c->code, sizeof c->code, "%s", row->report_code);
		c->row.report_code = c->code;
	}
	snprintf(
	    c->body, sizeof c->body, "%s", row->body != NULL ? row->body : "");
	c->row.body = c->body;
	if (row->sealed != NULL && row->sealed_len <= sizeof c->sealed) {
		memcpy(c->sealed, row->sealed, row->sealed_len);
		c->row.sealed = c->sealed;
		c->row.sealed_len = row->sealed_len;
	}
	d->n++;
	return 0;
}

/* Claim each due row through the writer, then fetch it. */
static void
fetch_due(struct fetcher *f, struct due *d)
{
	struct claim c;
	int i;

	for (i = 0; i < d->n; i++) {
		c.id = d->r[i].row.id;
		c.now = now_ms();
		c.claimed = 1;
		if (writer_run(f->writer, apply_claim, &c) == 0 &&
		    c.claimed == 0)
			fetch_row(f, &d->r[i].row);
		sodium_memzero(d->r[i].sealed, sizeof d->r[i].sealed);
	}
	d->n = 0;
}

static void *
fetcher_main(void *arg)
{
	struct fetcher *f = arg;
	struct due *d = calloc(1, sizeof *d);
	struct timespec until;
	char err[256];

	if (d == NULL) {
		log_msg(LOG_ERROR, "fetch_error", "reason=\"out of memory\"");
		return NULL;
	}

	pthread_mutex_lock(&f->lock);
	while (!f->stopping) {
		f->woken = 0;
		pthread_mutex_unlock(&f->lock);
		if (store_each_fetch_due(f->store, now_ms(), FETCH_BATCH,
			collect, d, err, sizeof err) == -1)
			log_msg(LOG_ERROR, "fetch_error",
			    "reason=\"the outbox cannot be read\"");
		fetch_due(f, d);
		pthread_mutex_lock(&f->lock);
		if (f->woken || f->stopping)
			continue;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += TICK_MS / 1000;
		pthread_cond_timedwait(&f->wake, &f->lock, &until);
	}
	pthread_mutex_unlock(&f->lock);
	free(d);
	return NULL;
}

struct fetcher *
fetcher_start(const struct config *cfg, const struct memkey *key,
    struct writer *writer, char *err, size_t errlen)
{
	struct fetcher *f;

	if ((f = calloc(1, sizeof *f)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	f->cfg = cfg;
	f->key = key;
	f->writer = writer;
	if ((f->store = store_open(
		 cfg->server.database, STORE_READONLY, err, errlen)) == NULL) {
		free(f);
		return NULL;
	}
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->wake, NULL);
	if (pthread_create(&f->thread, NULL, fetcher_main, f) != 0) {
		snprintf(err, errlen, "cannot start the fetcher");
		store_close(f->store);
		pthread_cond_destroy(&f->wake);
		pthread_mutex_destroy(&f->lock);
		free(f);
		return NULL;
	}
	return f;
}

void
fetcher_wake(struct fetcher *f)
{
	if (f == NULL)
		return;
	pthread_mutex_lock(&f->lock);
	f->woken = 1;
	pthread_cond_signal(&f->wake);
	pthread_mutex_unlock(&f->lock);
}

void
fetcher_stop(struct fetcher *f)
{
	if (f == NULL)
		return;
	pthread_mutex_lock(&f->lock);
	f->stopping = 1;
	pthread_cond_signal(&f->wake);
	pthread_mutex_unlock(&f->lock);
	pthread_join(f->thread, NULL);
	store_close(f->store);
	pthread_cond_destroy(&f->wake);
	pthread_mutex_destroy(&f->lock);
	free(f);
}
