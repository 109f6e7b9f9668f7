/*
 * server: the HTTP front of the gateway.
 *
 * libmicrohttpd runs a pool of epoll threads (one per core).  A webhook's
 * body is buffered up to max_body, its signature checked and its events
 * parsed by the channel's adapter, the sender's identity sealed, and the
 * rows handed to the writer.  The connection is then suspended, so no pool
 * thread ever waits for a commit; the writer resumes it once the rows are
 * durable, and only then is 200 sent.  Anything answered 2xx is stored;
 * anything answered 4xx changed nothing.
 *
 * Shutdown (SIGTERM): stop accepting, refuse new webhooks with 503 (the
 * provider retries), wait until no request is in flight, stop the daemon,
 * then stop the writer.  libmicrohttpd 0.9.75 aborts if stopped while a
 * connection is suspended, hence this order.
 */
#include <sys/file.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <netdb.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>
#include <systemd/sd-daemon.h>

#include "adapters/adapter.h"
#include "config/config.h"
#include "gateway/metrics.h"
#include "gateway/server.h"
#include "gateway/smssync_poll.h"
#include "gateway/webwork.h"
#include "gateway/web.h"
#include "lib/dynbuf.h"
#include "lib/log.h"
#include "queue/audit.h"
#include "queue/conversation.h"
#include "queue/fetcher.h"
#include "queue/dispatcher.h"
#include "queue/intake.h"
#include "queue/ratelimit.h"
#include "queue/router.h"
#include "queue/store.h"
#include "queue/watch.h"
#include "queue/writer.h"

#define MAX_URI	      2048
#define MAX_HEADERS   256 /* header fields (or query arguments) read */
#define DRAIN_SECONDS 30
/* A web view's form (a note, a reason): never a webhook's max_body. */
#define WEB_FORM_MAX (64 * 1024)

struct server {
	const struct config *cfg;
	struct writer *writer;
	struct dispatcher *dispatcher;
	struct conversation *conversation;
	struct watch *watch;
	struct web *web;
	struct webwork *webwork;
	struct router *router;
	struct senders *senders;
	struct epochs *epochs;
	int memkey_kept; /* the runtime key of the last run was read */
	struct intake_context intake;
	struct metrics *metrics;
	struct memkey *memkey;
	struct ratelimit *flood;
	struct smssync_poll *smssync; /* SMSSync phones fetching messages */
	struct fetcher *fetcher;      /* evidence downloads */
	struct MHD_Daemon *mhd;
	atomic_int inflight;
	atomic_int draining;
};

enum request_state {
	REQ_NEW,       /* headers in, nothing decided */
	REQ_BODY,      /* receiving a webhook body */
	REQ_SUSPENDED, /* waiting for the writer and the conversation */
	REQ_COMMITTED, /* both are done; answer */
	REQ_WEB,       /* a web view's work on the web thread */
	REQ_WEB_DONE,  /* its answer is ready */
};

struct request {
	struct server *srv;
	struct MHD_Connection *conn;
	enum request_state state;
	char *uri; /* raw request target */
	int ch;	   /* channel index, -1 if none */
	const struct adapter *adapter;
	struct dynbuf body; /* wiped: the raw body names the sender */
	int too_large;
	int result;	  /* of the commit: 0, or -1 */
	atomic_int parts; /* writer and conversation jobs not done */
	struct inbound_batch *batch;
	struct intake *intake;
	int prepared;		/* intake_prepare ran: intake_free is due */
	int not_stored;		/* the writer's transaction failed */
	int web;		/* a web view's request (a form body is read) */
	enum smssync_task task; /* an SMSSync phone's poll, or none */
	/* a web view's work, done on the web thread (gateway/webwork.h) */
	struct webwork_job job;
	struct web_request q;
	struct web_response a;
	char path[MAX_URI + 1], client[64];
	struct timespec started;
};

struct kv_list {
	struct kv items[MAX_HEADERS];
	size_t n;
	int overflow; /* there were more than MAX_HEADERS */
};

static enum MHD_Result
respond(struct request *r, int status, const char *type, const char *body)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t len = strlen(body);

	resp = MHD_create_response_from_buffer(
	    len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(
	    resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (status == 405)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
		    r->adapter != NULL &&
			    r->adapter->provider == PROVIDER_WHATSAPP_CLOUD
			? "GET, POST"
			: "POST");
	ret = MHD_queue_response(r->conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static double
elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Answer a webhook request: count it, log it, send the body. */
static enum MHD_Result
webhook_answer(struct request *r, int status, const char *why)
{
	const struct config *cfg = r->srv->cfg;
	const char *name = r->ch >= 0 ? cfg->channels[r->ch].name : "-";
	char quoted[256];

	metrics_request(r->srv->metrics, r->ch, status);
	if (status == 200)
		return respond(
		    r, 200, r->adapter->ack_content_type, r->adapter->ack_body);
	log_msg(status >= 500 ? LOG_ERROR : LOG_WARN, "webhook_refused",
	    "channel=%s status=%d reason=%s ms=%.1f", name, status,
	    log_quote(why, quoted, sizeof quoted), elapsed_ms(&r->started));
	{
		char body[300];

		snprintf(body, sizeof body, "%s\n", why);
		return respond(r, status, "text/plain; charset=utf-8", body);
	}
}

static enum MHD_Result
collect(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct kv_list *l = cls;

	(void)kind;
	if (l->n == MAX_HEADERS) {
		l->overflow = 1;
		return MHD_NO;
	}
	l->items[l->n].key = key;
	l->items[l->n].value = value != NULL ? value : "";
	l->n++;
	return MHD_YES;
}

/* Does the request's Content-Type name the adapter's media type? */
static int
content_type_ok(const struct adapter *a, const char *ct)
{
	size_t n = strlen(a->content_type);

	if (ct == NULL)
		return 0;
	while (*ct == ' ')
		ct++;
	return strncasecmp(ct, a->content_type, n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* One part of a suspended request is done; the last resumes it. */
static void
part_done(struct request *r, int result)
{
	if (result != 0)
		r->result = -1;
	if (atomic_fetch_sub(&r->parts, 1) == 1) {
		r->state = REQ_COMMITTED;
		MHD_resume_connection(r->conn);
	}
}

static void
writer_done(struct writer_job *job, int result)
{
	struct request *r = job->arg;

	/* a transaction that failed stored nothing */
	metrics_intake(r->srv->metrics, result == 0 ? job->stored : 0,
	    result == 0 ? job->duplicates : 0,
	    result == 0 ? job->nstatuses : 0);
	r->not_stored = result != 0;
	part_done(r, result);
}

/* Answered 200: the channel heard the batch's messages (metrics). */
static void
count_inbound(struct request *r, size_t duplicates)
{
	if (r->batch != NULL)
		metrics_inbound(
		    r->srv->metrics, r->ch, r->batch->nmessages, duplicates);
}

static void
conversation_done(struct conversation_task *task)
{
	part_done(task->arg, task->result);
}

/* Sealed now: the plaintext identities need not wait for the commit. */
static void
wipe_identities(struct inbound_batch *b)
{
	size_t i;

	for (i = 0; i < b->nmessages; i++) {
		struct inbound_message *m = &b->messages[i];

		sodium_memzero(m->id, sizeof m->id);
		sodium_memzero(m->sender, sizeof m->sender);
		sodium_memzero(m->user_id, sizeof m->user_id);
		sodium_memzero(m->profile_name, sizeof m->profile_name);
	}
}

/*
 * Flood control, all or nothing: every sender of the batch is counted
 * for all its messages at once.  Returns 0 when each is within
 * flood_per_minute (and counted), -1 when one is not: then nothing is
 * counted, and the batch is refused whole (429; the provider retries).
 */
static int
within_flood_limit(
    struct server *srv, const struct channel *ch, struct inbound_batch *b)
{
	unsigned char tags[INBOUND_MAX_EVENTS][MEMKEY_TAG_BYTES];
	int counted[INBOUND_MAX_EVENTS] = {0}; /* at its first message */
	time_t now = time(NULL);
	size_t i, j;
	int rc = 0;

	for (i = 0; i < b->nmessages; i++) {
		const struct inbound_message *m = &b->messages[i];

		memkey_tag(srv->memkey, ch->name,
		    m->sender[0] != '\0' ? m->sender : m->user_id, tags[i]);
		for (j = 0; j < i && memcmp(tags[j], tags[i], MEMKEY_TAG_BYTES);
		     j++)
			;
		counted[j]++; /* j == i: a sender not seen before */
	}
	for (i = 0; i < b->nmessages && rc == 0; i++)
		if (counted[i] > 0 &&
		    !ratelimit_take(srv->flood, tags[i], now, counted[i]))
			rc = -1;
	if (rc == -1) {
		/* give back what the senders before the flooding one took */
		for (j = 0; j + 1 < i; j++)
			if (counted[j] > 0)
				ratelimit_give_back(
				    srv->flood, tags[j], now, counted[j]);
		log_msg(LOG_WARN, "flood", "channel=%s", ch->name);
	}
	sodium_memzero(tags, sizeof tags);
	return rc;
}

/*
 * Hand the request's work to the writer and, for commands, to the
 * conversation worker, and suspend until both are done.  Suspend first:
 * either may finish before this thread returns.
 */
static enum MHD_Result
webhook_submit(struct request *r)
{
	struct intake *in = r->intake;
	int writes =
	    in->job.nreports + in->job.nfollowups + in->job.nstatuses > 0;
	int commands = in->task.nmessages > 0;

	if (!writes && !commands) {
		count_inbound(r, 0);
		return webhook_answer(r, 200, "");
	}
	in->job.done = writer_done;
	in->job.arg = r;
	in->task.done = conversation_done;
	in->task.arg = r;
	atomic_store(&r->parts, writes + commands);
	r->state = REQ_SUSPENDED;
	MHD_suspend_connection(r->conn);
	if (writes && writer_submit(r->srv->writer, &in->job) == -1) {
		r->not_stored = 1;
		part_done(r, -1);
	}
	if (commands &&
	    conversation_submit(r->srv->conversation, &in->task) == -1)
		part_done(r, -1);
	return MHD_YES;
}

/* The whole body is in: verify, parse, seal, hand to the writer. */
static enum MHD_Result
webhook_process(struct request *r)
{
	struct server *srv = r->srv;
	const struct channel *ch = &srv->cfg->channels[r->ch];
	struct kv_list headers = {0}, query = {0};
	struct webhook_request req;
	char url[MAX_URI + 512], err[256];
	enum MHD_Result ret;
	const char *q;
	int rc;

	if (r->too_large)
		return webhook_answer(r, 413, "body is larger than max_body");
	q = strchr(r->uri, '?');
	snprintf(url, sizeof url, "%s%s", ch->webhook_url, q != NULL ? q : "");
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, collect, &headers);
	MHD_get_connection_values(
	    r->conn, MHD_GET_ARGUMENT_KIND, collect, &query);
	/* never a signature checked against part of the headers */
	if (headers.overflow || query.overflow)
		return webhook_answer(
		    r, 431, "more than 256 header fields or query arguments");
	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.url = url;
	req.content_type = MHD_lookup_connection_value(
	    r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	req.body = dynbuf_ptr(&r->body);
	req.body_len = dynbuf_len(&r->body);
	req.headers = headers.items;
	req.nheaders = headers.n;
	req.query = query.items;
	req.nquery = query.n;
	req.now = time(NULL);

	err[0] = '\0';
	if ((rc = r->adapter->verify(ch, &req, err, sizeof err)) != 0)
		return webhook_answer(r, rc, err[0] ? err : "bad signature");
	if ((r->batch = inbound_batch_new()) == NULL ||
	    (r->intake = malloc(sizeof *r->intake)) == NULL)
		return webhook_answer(r, 503, "out of memory");
	if ((rc = r->adapter->parse(ch, &req, r->batch, err, sizeof err)) != 0)
		return webhook_answer(r, rc, err[0] ? err : "malformed body");
	if (r->batch->nmessages > 0 &&
	    within_flood_limit(srv, ch, r->batch) == -1)
		return webhook_answer(r, 429,
		    "too many messages from one sender; try again in a minute");
	if (r->batch->nmessages == 0 && r->batch->nstatuses == 0)
		return webhook_answer(r, 200, "");
	r->prepared = 1;
	if (intake_prepare(r->intake, &srv->intake, ch, r->batch, req.now, err,
		sizeof err) == -1)
		return webhook_answer(r, 503, err);
	metrics_intents(srv->metrics, r->intake->intents);
	/*
	 * Decide and hand over under the senders' lock: two messages of one
	 * sender reach the writer in the order they were decided.
	 */
	senders_lock(srv->senders);
	if (intake_decide(
		r->intake, &srv->intake, ch, req.now, err, sizeof err) == -1) {
		senders_unlock(srv->senders);
		return webhook_answer(r, 503, err);
	}
	wipe_identities(r->batch);
	ret = webhook_submit(r);
	senders_unlock(srv->senders);
	return ret;
}

/* A response's buffer, wiped when libmicrohttpd is done with it. */
struct wiped {
	char *buf;
	size_t len;
};

static void
wipe_response(void *cls)
{
	struct wiped *w = cls;

	sodium_memzero(w->buf, w->len);
	free(w->buf);
	free(w);
}

/*
 * A response that takes buf (malloc'd, len bytes) over and wipes it once
 * sent: an inline reply names its sender, a page may show an identity,
 * and no copy of either is left behind.  NULL (buf wiped and freed) when
 * out of memory.
 */
static struct MHD_Response *
wiping_response(char *buf, size_t len)
{
	struct MHD_Response *resp = NULL;
	struct wiped *w;

	if ((w = malloc(sizeof *w)) != NULL) {
		w->buf = buf;
		w->len = len;
		resp = MHD_create_response_from_buffer_with_free_callback_cls(
		    len, buf, wipe_response, w);
	}
	if (resp == NULL) {
		sodium_memzero(buf, len);
		free(buf);
		free(w);
	}
	return resp;
}

static enum MHD_Result
webhook_finish(struct request *r)
{
	const struct channel *ch = &r->srv->cfg->channels[r->ch];
	struct intake *in = r->intake;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	const char *type = NULL;
	char *answer;

	if (r->result != 0) {
		if (r->not_stored)
			intake_failed(in, &r->srv->intake);
		return webhook_answer(r, 503, "store unavailable; retry later");
	}
	count_inbound(r, in->job.duplicates);
	/* New receipts to hash, replies to send: wake who has work. */
	if (in->job.stored > 0)
		conversation_wake(r->srv->conversation);
	if ((in->job.nfollowups > 0 && !in->inline_replies) || in->nforget > 0)
		dispatcher_wake(r->srv->dispatcher);
	/*
	 * No line per report: a report code beside the journal's exact time
	 * would date it.  hotline_reports_stored_total counts them.
	 */
	log_msg(LOG_DEBUG, "webhook",
	    "channel=%s status=200 stored=%zu duplicates=%zu statuses=%zu "
	    "ms=%.2f",
	    r->srv->cfg->channels[r->ch].name, in->job.stored,
	    in->job.duplicates, in->job.nstatuses, elapsed_ms(&r->started));
	answer = intake_finish(in, &r->srv->intake, ch, &type);
	if (answer == NULL)
		return webhook_answer(r, 200, "");
	/* Inline replies: the answer names the sender; it is not kept. */
	metrics_request(r->srv->metrics, r->ch, 200);
	if ((resp = wiping_response(answer, strlen(answer))) == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(
	    resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	ret = MHD_queue_response(r->conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
handshake(struct request *r)
{
	const struct channel *ch = &r->srv->cfg->channels[r->ch];
	struct kv_list query = {0};
	struct webhook_request req;
	char challenge[256], err[128];
	int rc;

	MHD_get_connection_values(
	    r->conn, MHD_GET_ARGUMENT_KIND, collect, &query);
	if (query.overflow)
		return webhook_answer(r, 431, "more than 256 query arguments");
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.url = ch->webhook_url;
	req.query = query.items;
	req.nquery = query.n;
	req.body = "";
	req.now = time(NULL);
	rc = whatsapp_cloud_handshake(ch, &req, challenge, sizeof challenge);
	if (rc != 0) {
		snprintf(err, sizeof err, "verification %s",
		    rc == 403 ? "token does not match"
			      : "request is malformed");
		return webhook_answer(r, rc, err);
	}
	metrics_request(r->srv->metrics, r->ch, 200);
	log_msg(LOG_INFO, "webhook_verified", "channel=%s", ch->name);
	return respond(r, 200, "text/plain", challenge);
}

/*
 * An SMSSync phone's poll (gateway/smssync_poll.h): answered at once,
 * the JSON (numbers and texts, for task=send) wiped once sent.
 */
static enum MHD_Result
smssync_task_answer(struct request *r)
{
	const struct channel *ch = &r->srv->cfg->channels[r->ch];
	struct kv_list query = {0};
	struct webhook_request req;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char *body = NULL, err[256];
	int status;

	if (r->too_large)
		return webhook_answer(r, 413, "body is larger than max_body");
	MHD_get_connection_values(
	    r->conn, MHD_GET_ARGUMENT_KIND, collect, &query);
	if (query.overflow)
		return webhook_answer(r, 431, "more than 256 query arguments");
	memset(&req, 0, sizeof req);
	req.method = r->task == SMSSYNC_SEND || r->task == SMSSYNC_QUEUED
	    ? "GET"
	    : "POST";
	req.url = ch->webhook_url;
	req.query = query.items;
	req.nquery = query.n;
	req.body = dynbuf_ptr(&r->body);
	req.body_len = dynbuf_len(&r->body);
	req.now = time(NULL);
	status = smssync_poll_answer(
	    r->srv->smssync, ch, &req, r->task, &body, err, sizeof err);
	if (status != 200)
		return webhook_answer(r, status, err);
	metrics_request(r->srv->metrics, r->ch, 200);
	if ((resp = wiping_response(body, strlen(body))) == NULL)
		return MHD_NO;
	MHD_add_response_header(
	    resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	MHD_add_response_header(
	    resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	ret = MHD_queue_response(r->conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Which SMSSync task the request is, from its method and ?task=. */
static enum smssync_task
smssync_task_in(struct request *r, const char *method)
{
	struct webhook_request req;
	struct kv kv[1];

	memset(&req, 0, sizeof req);
	req.method = method;
	kv[0].key = "task";
	kv[0].value =
	    MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "task");
	req.query = kv;
	req.nquery = kv[0].value != NULL;
	return smssync_task_of(&req);
}

static void read_client(struct request *);

/*
 * May the client read /metrics?  Its counters move with every report, so
 * polling them dates reports: loopback only unless [server] metrics_from
 * names the scraper.
 */
static int
metrics_allowed(struct request *r)
{
	char **a = r->srv->cfg->server.metrics_from;

	read_client(r);

	if (a == NULL)
		return strncmp(r->client, "127.", 4) == 0 ||
		    strcmp(r->client, "::1") == 0 ||
		    strncmp(r->client, "::ffff:127.", 11) == 0;
	for (; *a != NULL; a++)
		if (strcmp(*a, "any") == 0 || strcmp(*a, r->client) == 0)
			return 1;
	return 0;
}

/* What /readyz answers: the database takes writes and we are not draining. */
static int
ready(struct server *srv)
{
	return writer_healthy(srv->writer) && !atomic_load(&srv->draining);
}

static enum MHD_Result
serve_metrics(struct request *r)
{
	struct metrics_state st;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t len;
	char *text;

	if (!metrics_allowed(r))
		return respond(r, 403, "text/plain", "forbidden\n");
	st.queued = writer_queued(r->srv->writer);
	st.ready = ready(r->srv);
	text = metrics_render(r->srv->metrics, &st, &len);
	if (text == NULL)
		return respond(r, 500, "text/plain", "out of memory\n");
	resp =
	    MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(
	    resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; version=0.0.4");
	ret = MHD_queue_response(r->conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* On the web thread: the web view's answer, then the connection resumed. */
static void
web_job(struct webwork_job *job)
{
	struct request *r =
	    (struct request *)((char *)job - offsetof(struct request, job));

	if (r->too_large) {
		r->a.status = 413;
		r->a.content_type = "text/plain; charset=utf-8";
		r->a.body = strdup("Formulir terlalu besar.\n");
		r->a.len = r->a.body != NULL ? strlen(r->a.body) : 0;
	} else
		web_handle(r->srv->web, &r->q, &r->a);
	r->state = REQ_WEB_DONE;
	MHD_resume_connection(r->conn);
}

/*
 * Behind [server] trusted_proxy, and only from it: the client is the last
 * address its X-Forwarded-For names (the one the proxy itself added;
 * those before it are the client's to write).
 */
static void
forwarded_client(struct request *r)
{
	const char *proxy = r->srv->cfg->server.trusted_proxy, *xff, *last;
	unsigned char addr[16];
	char ip[64];
	size_t n;

	if (proxy == NULL || strcmp(r->client, proxy) != 0 ||
	    (xff = MHD_lookup_connection_value(
		 r->conn, MHD_HEADER_KIND, "X-Forwarded-For")) == NULL)
		return;
	last = strrchr(xff, ',');
	last = last != NULL ? last + 1 : xff;
	last += strspn(last, " \t");
	n = strcspn(last, " \t");
	if (n == 0 || n >= sizeof ip)
		return;
	memcpy(ip, last, n);
	ip[n] = '\0';
	if (inet_pton(AF_INET, ip, addr) == 1 ||
	    inet_pton(AF_INET6, ip, addr) == 1)
		snprintf(r->client, sizeof r->client, "%s", ip);
}

/* r->client: the peer's address, or the one a trusted proxy names. */
static void
read_client(struct request *r)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(
	    r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci != NULL && ci->client_addr != NULL)
		getnameinfo(ci->client_addr,
		    ci->client_addr->sa_family == AF_INET6
			? sizeof(struct sockaddr_in6)
			: sizeof(struct sockaddr_in),
		    r->client, sizeof r->client, NULL, 0, NI_NUMERICHOST);
	forwarded_client(r);
}

/*
 * Hand a web view's request to the web thread and suspend the connection
 * until its answer is ready: a login's Argon2id never holds a thread that
 * answers webhooks.
 */
static enum MHD_Result
web_answer(struct request *r, const char *method)
{
	const char *query;

	snprintf(r->path, sizeof r->path, "%s", r->uri);
	r->path[strcspn(r->path, "?")] = '\0';
	query = strchr(r->uri, '?');
	read_client(r);
	memset(&r->q, 0, sizeof r->q);
	memset(&r->a, 0, sizeof r->a);
	r->q.method = method; /* libmicrohttpd's, as long as the request */
	r->q.path = r->path;
	r->q.query = query != NULL ? query + 1 : NULL;
	r->q.cookie = MHD_lookup_connection_value(
	    r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE);
	r->q.content_type = MHD_lookup_connection_value(
	    r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	r->q.body = dynbuf_ptr(&r->body);
	r->q.len = dynbuf_len(&r->body);
	r->q.client = r->client;
	r->job.run = web_job;
	r->state = REQ_WEB;
	MHD_suspend_connection(r->conn);
	if (webwork_submit(r->srv->webwork, &r->job) == -1) {
		r->a.status = 503;
		r->a.content_type = "text/plain; charset=utf-8";
		r->a.body = strdup("Sedang sibuk, coba lagi sebentar lagi.\n");
		r->a.len = r->a.body != NULL ? strlen(r->a.body) : 0;
		r->state = REQ_WEB_DONE;
		MHD_resume_connection(r->conn);
	}
	return MHD_YES;
}

/* Send the web view's answer the web thread made. */
static enum MHD_Result
web_send(struct request *r)
{
	struct web_response *a = &r->a;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t i;

	/* it may hold an identity just opened */
	resp = a->body != NULL ? wiping_response(a->body, a->len)
			       : MHD_create_response_from_buffer(
				     0, (void *)"", MHD_RESPMEM_PERSISTENT);
	a->body = NULL;
	if (resp == NULL)
		return MHD_NO;
	if (a->content_type != NULL)
		MHD_add_response_header(
		    resp, MHD_HTTP_HEADER_CONTENT_TYPE, a->content_type);
	for (i = 0; web_headers[i] != NULL; i += 2)
		MHD_add_response_header(
		    resp, web_headers[i], web_headers[i + 1]);
	if (a->location[0] != '\0')
		MHD_add_response_header(
		    resp, MHD_HTTP_HEADER_LOCATION, a->location);
	if (a->disposition != NULL)
		MHD_add_response_header(
		    resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, a->disposition);
	for (i = 0; i < 2; i++)
		if (a->cookies[i][0] != '\0')
			MHD_add_response_header(
			    resp, MHD_HTTP_HEADER_SET_COOKIE, a->cookies[i]);
	ret = MHD_queue_response(
	    r->conn, a->status > 0 ? (unsigned)a->status : 500, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* First call for a request: route it. */
static enum MHD_Result
route(struct request *r, const char *url, const char *method)
{
	const struct channel *ch;
	struct server *srv = r->srv;
	const char *len;

	if (web_owns(url)) {
		if (strcmp(method, "POST") != 0)
			return web_answer(r, method);
		r->web = 1;
		if (srv->cfg->server.max_body > WEB_FORM_MAX)
			dynbuf_init(&r->body, WEB_FORM_MAX, DYNBUF_WIPE);
		r->state = REQ_BODY;
		return MHD_YES;
	}
	if (strncmp(url, "/webhook/", 9) != 0) {
		if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
			return respond(r,
			    strcmp(url, "/healthz") == 0 ||
				    strcmp(url, "/readyz") == 0 ||
				    strcmp(url, "/metrics") == 0
				? 405
				: 404,
			    "text/plain", "not here\n");
		if (strcmp(url, "/healthz") == 0)
			return respond(r, 200, "text/plain", "ok\n");
		if (strcmp(url, "/readyz") == 0)
			return ready(srv)
			    ? respond(r, 200, "text/plain", "ready\n")
			    : respond(r, 503, "text/plain", "not ready\n");
		if (strcmp(url, "/metrics") == 0)
			return serve_metrics(r);
		return respond(r, 404, "text/plain", "not found\n");
	}

	if ((ch = config_channel(srv->cfg, url + 9)) == NULL)
		return webhook_answer(r, 404, "no such channel");
	r->ch = (int)(ch - srv->cfg->channels);
	r->adapter = adapter_for(srv->cfg->channels[r->ch].provider);
	if (strcmp(method, "GET") == 0 &&
	    r->adapter->provider == PROVIDER_WHATSAPP_CLOUD)
		return handshake(r);
	if (r->adapter->provider == PROVIDER_SMSSYNC &&
	    (strcmp(method, "GET") == 0 || strcmp(method, "POST") == 0) &&
	    (r->task = smssync_task_in(r, method)) != SMSSYNC_NOT_A_TASK) {
		if (r->task == SMSSYNC_BAD_TASK)
			return webhook_answer(r, 400,
			    "task must be send (GET), sent (POST) or result");
		if (strcmp(method, "GET") == 0)
			return smssync_task_answer(r);
		r->state = REQ_BODY; /* sent, result: JSON bodies */
		return MHD_YES;
	}
	if (strcmp(method, "POST") != 0)
		return webhook_answer(r, 405, "method not allowed");
	if (atomic_load(&srv->draining))
		return webhook_answer(r, 503, "shutting down; retry later");
	if (!content_type_ok(r->adapter,
		MHD_lookup_connection_value(
		    r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE))) {
		char why[128];

		snprintf(why, sizeof why, "content type must be %s",
		    r->adapter->content_type);
		return webhook_answer(r, 415, why);
	}
	len = MHD_lookup_connection_value(
	    r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (len != NULL && strtoull(len, NULL, 10) > srv->cfg->server.max_body)
		return webhook_answer(r, 413, "body is larger than max_body");
	/* the body's size is known: one block, never grown and copied */
	if (len != NULL &&
	    dynbuf_reserve(&r->body, (size_t)strtoull(len, NULL, 10)) == -1)
		return webhook_answer(r, 503, "out of memory; retry later");
	r->state = REQ_BODY;
	return MHD_YES;
}

/*
 * data[0..n) after the body so far: 0, or -1 out of memory.  A body past
 * its cap (max_body, WEB_FORM_MAX for a web form) is too_large: it is
 * dropped and the rest ignored.
 */
static int
append_body(struct request *r, const char *data, size_t n)
{
	if (r->too_large || dynbuf_add(&r->body, data, n) == 0)
		return 0;
	if (dynbuf_failed(&r->body) != DYNBUF_TOOBIG)
		return -1;
	r->too_large = 1;
	return 0;
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct request *r = *con_cls;

	(void)cls;
	(void)version;
	if (r == NULL)
		return MHD_NO;
	r->conn = conn;
	/*
	 * A client that takes longer than read_timeout to send its headers
	 * and body holds a connection others need: it is closed.
	 */
	if ((r->state == REQ_NEW || r->state == REQ_BODY) &&
	    elapsed_ms(&r->started) > r->srv->cfg->server.read_timeout * 1e3) {
		log_msg(LOG_WARN, "slow_request", "seconds=%d",
		    r->srv->cfg->server.read_timeout);
		return MHD_NO;
	}
	switch (r->state) {
	case REQ_NEW:
		if (r->uri == NULL)
			return respond(
			    r, 414, "text/plain", "request target too long\n");
		return route(r, url, method);
	case REQ_BODY:
		if (*upload_data_size != 0) {
			if (append_body(r, upload_data, *upload_data_size) ==
			    -1)
				return MHD_NO;
			*upload_data_size = 0;
			return MHD_YES;
		}
		if (r->web)
			return web_answer(r, method);
		if (r->task != SMSSYNC_NOT_A_TASK)
			return smssync_task_answer(r);
		return webhook_process(r);
	case REQ_COMMITTED:
		return webhook_finish(r);
	case REQ_WEB_DONE:
		return web_send(r);
	case REQ_SUSPENDED:
	default:
		return MHD_YES;
	}
}

/* Called by libmicrohttpd with the raw request target, before handle(). */
static void *
request_new(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct server *srv = cls;
	struct request *r;

	if ((r = calloc(1, sizeof *r)) == NULL)
		return NULL;
	r->srv = srv;
	r->conn = conn;
	r->ch = -1;
	dynbuf_init(&r->body, srv->cfg->server.max_body, DYNBUF_WIPE);
	if (strlen(uri) <= MAX_URI)
		r->uri = strdup(uri);
	clock_gettime(CLOCK_MONOTONIC, &r->started);
	atomic_fetch_add(&srv->inflight, 1);
	return r;
}

static void
request_done(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct server *srv = cls;
	struct request *r = *con_cls;

	(void)conn;
	(void)toe;
	if (r == NULL)
		return;
	free(r->uri);
	if (r->a.body != NULL) { /* a web answer never sent */
		sodium_memzero(r->a.body, r->a.len);
		free(r->a.body);
	}
	dynbuf_free(&r->body); /* wiped */
	/* The intake borrows the batch's texts: free it first. */
	if (r->prepared)
		intake_free(r->intake);
	inbound_batch_free(r->batch);
	free(r->intake);
	free(r);
	*con_cls = NULL;
	atomic_fetch_sub(&srv->inflight, 1);
}

static void
commit_observed(void *arg, double seconds, size_t rows, int ok)
{
	metrics_commit(arg, seconds, rows, ok);
	if (!ok)
		log_msg(LOG_ERROR, "commit_failed", "rows=%zu", rows);
}

static int
resolve_listen(const struct config *cfg, struct sockaddr_storage *ss, int *v6,
    char *err, size_t errlen)
{
	struct addrinfo hints, *ai;
	char port[16];
	int rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(port, sizeof port, "%d", cfg->server.listen_port);
	if ((rc = getaddrinfo(cfg->server.listen_host, port, &hints, &ai)) !=
	    0) {
		snprintf(err, errlen, "listen %s: %s", cfg->server.listen_host,
		    gai_strerror(rc));
		return -1;
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*v6 = ai->ai_family == AF_INET6;
	freeaddrinfo(ai);
	return 0;
}

/* Stop accepting, let in-flight requests finish, then stop everything. */
static void
drain(struct server *srv)
{
	time_t deadline = time(NULL) + DRAIN_SECONDS;

	atomic_store(&srv->draining, 1);
	MHD_quiesce_daemon(srv->mhd);
	while (atomic_load(&srv->inflight) > 0 && time(NULL) < deadline)
		usleep(10000);
	if (atomic_load(&srv->inflight) > 0)
		log_msg(LOG_WARN, "drain_timeout", "inflight=%d",
		    atomic_load(&srv->inflight));
	MHD_stop_daemon(srv->mhd);
	srv->mhd = NULL;
}

static void
dispatched(
    void *arg, const char *channel, enum dispatch_event e, double seconds)
{
	metrics_dispatch(arg, channel, (int)e, seconds);
}

/*
 * The process's secrets: in a key file of the runtime directory when
 * there is one ([server] runtime_dir, else systemd's RUNTIME_DIRECTORY),
 * so that a crash loses nothing that waits sealed; else in memory only.
 */
static int
open_memkey(struct server *srv, char *err, size_t errlen)
{
	const char *dir = srv->cfg->server.runtime_dir;
	char path[4096];
	size_t n;

	if (srv->memkey != NULL) {
		srv->memkey_kept = 1; /* a reload: the same keys */
		return 0;
	}
	if (dir == NULL && (dir = getenv("RUNTIME_DIRECTORY")) != NULL &&
	    dir[0] != '/')
		dir = NULL;
	if (dir == NULL) {
		srv->memkey = memkey_new();
		if (srv->memkey == NULL)
			snprintf(err, errlen, "out of memory");
		return srv->memkey != NULL ? 0 : -1;
	}
	/* RUNTIME_DIRECTORY may list several: the first */
	n = strcspn(dir, ":");
	snprintf(path, sizeof path, "%.*s/hotline.memkey", (int)n, dir);
	srv->memkey = memkey_load(path, &srv->memkey_kept, err, errlen);
	return srv->memkey != NULL ? 0 : -1;
}

/* The epoch keys identities are sealed under, to the custodians. */
static struct epochs *
start_epochs(const struct config *cfg)
{
	struct custody c;

	custody_of_config(cfg, &c);
	return epochs_new(&c, cfg->keys.epoch, EPOCH_MAX_REPORTS);
}

/*
 * The custodians must be the ones the database was first served with
 * (pinned then): a public key swapped into the config would take every
 * new identity.  0, or -1 with err naming both sets.
 */
static int
pin_custodians(
    struct store *s, const struct config *cfg, char *err, size_t errlen)
{
	struct custody c;

	custody_of_config(cfg, &c);
	return audit_pin(s, &c, 1, err, errlen);
}

/*
 * Everything behind the HTTP front: the keys and tables in memory, the
 * outbox recovered from the last run, the writer, the dispatcher, the
 * conversation worker, the deadline watcher and the web views' thread.
 * Returns 0 or -1 (then services_stop cleans up).
 */
static int
services_start(struct server *srv, char *err, size_t errlen)
{
	const struct config *cfg = srv->cfg;
	struct store *s;
	long long dropped, pending, now;

	if (open_memkey(srv, err, errlen) == -1)
		return -1;
	if ((srv->metrics = metrics_new(cfg)) == NULL ||
	    (srv->flood = ratelimit_new(cfg->server.flood_per_minute, 60)) ==
		NULL ||
	    (srv->senders = senders_new()) == NULL ||
	    (srv->epochs = start_epochs(cfg)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if ((srv->router = router_new(cfg, err, errlen)) == NULL)
		return -1;
	/*
	 * What the last run sealed opens with a kept runtime key: it is all
	 * taken up where it was (receipts hashed and acknowledged, messages
	 * sent).  Without one it can never be opened, and is dropped.
	 */
	if ((s = store_open(
		 cfg->server.database, STORE_READWRITE, err, errlen)) == NULL)
		return -1;
	if (pin_custodians(s, cfg, err, errlen) == -1) {
		store_close(s);
		return -1;
	}
	now = (long long)time(NULL) * 1000;
	pending = store_count_pending(s);
	dropped = srv->memkey_kept ? store_outbox_resume(s, now, err, errlen)
				   : store_outbox_recover(s, now, err, errlen);
	store_close(s);
	if (dropped == -1)
		return -1;
	if (srv->memkey_kept && pending > 0)
		log_msg(LOG_INFO, "receipts_resumed", "reports=%lld", pending);
	if (dropped > 0)
		log_msg(LOG_WARN, "outbox_dropped", "rows=%lld", dropped);
	if (!srv->memkey_kept && pending > 0)
		log_msg(LOG_WARN, "receipts_lost", "reports=%lld", pending);
	if ((srv->writer = writer_start(cfg->server.database,
		 cfg->server.report_prefix, commit_observed, srv->metrics, err,
		 errlen)) == NULL ||
	    (srv->dispatcher = dispatcher_start(cfg, srv->memkey, dispatched,
		 srv->metrics, err, errlen)) == NULL ||
	    (srv->conversation = conversation_start(cfg, srv->memkey,
		 srv->writer, srv->dispatcher, err, errlen)) == NULL ||
	    (srv->watch = watch_start(
		 cfg, srv->writer, srv->dispatcher, err, errlen)) == NULL ||
	    (srv->webwork = webwork_start(err, errlen)) == NULL ||
	    (srv->web = web_new(cfg, srv->writer, srv->memkey, err, errlen)) ==
		NULL)
		return -1;
	if ((srv->smssync = smssync_poll_new(cfg, srv->writer, srv->memkey)) ==
	    NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (cfg->evidence.enabled &&
	    (srv->fetcher = fetcher_start(
		 cfg, srv->memkey, srv->writer, err, errlen)) == NULL)
		return -1;
	srv->intake.cfg = cfg;
	srv->intake.router = srv->router;
	srv->intake.key = srv->memkey;
	srv->intake.senders = srv->senders;
	srv->intake.dedupe_key = writer_dedupe_key(srv->writer);
	srv->intake.epochs = srv->epochs;
	return 0;
}

/* Stop in the order of dependence: nothing is left half-sent. */
static void
services_stop(struct server *srv)
{
	webwork_stop(srv->webwork); /* its jobs done: nothing uses web */
	web_free(srv->web);
	smssync_poll_free(srv->smssync);
	srv->smssync = NULL;
	fetcher_stop(srv->fetcher); /* before the writer it writes through */
	srv->fetcher = NULL;
	watch_stop(srv->watch);
	conversation_stop(srv->conversation);
	dispatcher_stop(srv->dispatcher);
	writer_stop(srv->writer);
	epochs_free(srv->epochs); /* after the last job that used one */
	router_free(srv->router);
	senders_free(srv->senders);
	ratelimit_free(srv->flood);
	metrics_free(srv->metrics);
}

/*
 * One daemon a database: a second one started by hand must not recover
 * (and so destroy) the first one's queue before it fails to bind.  The
 * lock is released when the process ends, however it ends.
 */
static int
lock_database(const char *database, int *fd, char *err, size_t errlen)
{
	char path[4096];

	snprintf(path, sizeof path, "%s-serve.lock", database);
	if ((*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(*fd, LOCK_EX | LOCK_NB) == -1) {
		snprintf(err, errlen,
		    "another hotline serve is running on %s; nothing was "
		    "touched",
		    database);
		close(*fd);
		*fd = -1;
		return -1;
	}
	return 0;
}

/* SIGHUP: is the config file, read again, one to serve?  Its errors go to
 * the log (their count only: a line may quote a secret). */
static int
reload_wanted(const struct config *cfg)
{
	struct config *next;
	char errs[8192];

	if ((next = config_load(cfg->path, errs, sizeof errs)) == NULL) {
		log_msg(LOG_ERROR, "reload_refused",
		    "reason=\"the config has errors: run hotline check\"");
		return 0;
	}
	config_free(next);
	return 1;
}

int
server_run(
    const struct config *cfg, struct memkey **key, char *err, size_t errlen)
{
	struct server srv;
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *info;
	sigset_t sigs;
	unsigned flags;
	int v6, sig = 0, lock = -1;

	/* [server] log_level: at the start, and with each reload's config */
	log_set_level((enum log_level)cfg->server.log_level);
	memset(&srv, 0, sizeof srv);
	srv.cfg = cfg;
	srv.memkey = *key;
	if (resolve_listen(cfg, &ss, &v6, err, errlen) == -1 ||
	    lock_database(cfg->server.database, &lock, err, errlen) == -1)
		return -1;
	/* Signals go to the main thread's sigwait(), never to the others. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	/*
	 * Each webhook borrows a few hundred KiB for its batch and rows:
	 * keep freed memory in the heap instead of returning it to the
	 * kernel and faulting it in again on the next request.
	 */
	mallopt(M_MMAP_THRESHOLD, 8 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	if (services_start(&srv, err, errlen) == -1)
		goto fail;

	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC;
	if (v6)
		flags |= MHD_USE_IPv6;
	srv.mhd = MHD_start_daemon(flags, 0, NULL, NULL, handle, &srv,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->server.threads,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->server.max_connections,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    (unsigned)cfg->server.max_connections_per_ip,
	    MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned)cfg->server.request_timeout, MHD_OPTION_URI_LOG_CALLBACK,
	    request_new, &srv, MHD_OPTION_NOTIFY_COMPLETED, request_done, &srv,
	    MHD_OPTION_END);
	if (srv.mhd == NULL) {
		snprintf(err, errlen, "cannot listen on %s:%d",
		    cfg->server.listen_host, cfg->server.listen_port);
		goto fail;
	}
	info = MHD_get_daemon_info(srv.mhd, MHD_DAEMON_INFO_BIND_PORT);
	log_msg(LOG_INFO, "listening", "host=%s port=%u channels=%zu",
	    cfg->server.listen_host, info != NULL ? info->port : 0,
	    cfg->nchannels);
	sd_notify(0, "READY=1");

	/* Each second, idle web sessions end (and the mayor's key with them).
	 */
	for (;;) {
		const struct timespec second = {1, 0};

		if ((sig = sigtimedwait(&sigs, NULL, &second)) > 0 &&
		    (sig != SIGHUP || reload_wanted(cfg)))
			break;
		web_tick(srv.web, time(NULL));
	}
	log_msg(LOG_INFO, "stopping", "signal=%s",
	    sig == SIGTERM	? "TERM"
		: sig == SIGHUP ? "HUP"
				: "INT");
	sd_notify(0, sig == SIGHUP ? "RELOADING=1" : "STOPPING=1");
	drain(&srv);
	services_stop(&srv);
	log_msg(LOG_INFO, sig == SIGHUP ? "reloading" : "stopped", "%s", "");
	close(lock);
	*key = srv.memkey;
	return sig == SIGHUP ? SERVER_RELOAD : 0;
fail:
	services_stop(&srv);
	close(lock);
	*key = srv.memkey;
	return -1;
}
