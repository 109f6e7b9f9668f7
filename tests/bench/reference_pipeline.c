/*
 * reference_pipeline: the ceiling that hotline's intake is measured
 * against in `make bench`. It is the smallest C program that does what a
 * durable webhook gateway must do for each report, and nothing else: it
 * reads the WhatsApp Cloud notification, checks its X-Hub-Signature-256
 * (hex HMAC-SHA256 of the raw body under the app secret, compared in
 * constant time), parses it with jansson (message id, sender, profile
 * name, timestamp, text), encrypts the sender's identity, and hands the row
 * to one group-commit writer thread (SQLite, WAL, synchronous=FULL, at most
 * MAXBATCH rows a transaction); the connection is suspended meanwhile and
 * answered 200 only after the COMMIT that holds its row. The identity is
 * encrypted the amortised way hotline's epoch keys allow: one X25519 key
 * agreement per process, then a symmetric AEAD (crypto_box_easy_afternm)
 * per report. It is mode "pool2-suspend", level 5, WAL FULL, of the
 * reference pipeline in shared/reference/perf-src/pipeline.c, fed the
 * JSON webhooks of tests/bench/loadgen.c instead of wrk's urlencoded ones;
 * no routing, no alerts, no receipts. HTTP is set up as in hotline's
 * gateway (libmicrohttpd, internal polling thread, epoll, a pool of 2).
 *
 * usage: reference_pipeline PORT DB SECRET [MAXBATCH]
 *   PORT 0 picks a free port; the port in use is printed on stdout as
 *   "port N". DB must not exist yet. MAXBATCH defaults to 256. Listens on
 *   127.0.0.1 only and runs until SIGTERM or SIGINT; it then stops
 *   accepting, answers what is in flight, and prints "key: value" lines
 *   on stdout: requests, bad, rows (committed), dups, rows_in_db, commits,
 *   avg_batch, max_batch, fsyncs (counted by interposing fsync and
 *   fdatasync), fsyncs_per_commit, and the µs a request spent verifying,
 *   parsing and encrypting.
 */

#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <sqlite3.h>

#define MAXBODY	     8192
#define MAXTEXT	     2048
#define MAXIDENT     192 /* sender, profile name, timestamp */
#define SIG_HEADER   "X-Hub-Signature-256"
#define SIG_PREFIX   "sha256="
#define SEALED_BYTES (crypto_box_NONCEBYTES + MAXIDENT + crypto_box_MACBYTES)

enum { ST_NEW, ST_WAIT, ST_DONE };

struct req {
	size_t len;
	char buf[MAXBODY + 1];
	char msg_id[128];
	char text[MAXTEXT];
	unsigned char sealed[SEALED_BYTES];
	size_t sealed_len;
	_Atomic int state;
	int status;
	int busy; /* counted in the global busy counter */
	struct MHD_Connection *conn;
	struct req *next;
};

static int maxbatch = 256;
static const char *secret;
static size_t secret_len;
static unsigned char shk[crypto_box_BEFORENMBYTES];
static struct MHD_Response *r200, *r400, *r403, *r500;
static pthread_mutex_t qmu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t qcv = PTHREAD_COND_INITIALIZER;
static struct req *qhead, **qtail = &qhead;
static int qstop;
/* requests past header parsing whose reply is not queued yet */
static atomic_long busy;
static atomic_ulong st_req, st_bad, st_rows, st_dups, st_commits, st_maxbatch;
static atomic_ulong st_verify_ns, st_parse_ns, st_seal_ns, st_txn_ns;
static sqlite3 *db;
static sqlite3_stmt *ins, *sbeg, *scom;

/* fsync()/fdatasync() of the whole process (SQLite's included), counted by
 * interposing the libc symbols: SQLite references them, so the linker
 * exports ours. The real ones are looked up before any thread starts. */
static atomic_ulong g_fsyncs, g_fsync_ns;
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);

static unsigned long long
now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (unsigned long long)t.tv_sec * 1000000000ULL +
	    (unsigned long long)t.tv_nsec;
}

static int
counted_sync(int (*real)(int), int fd)
{
	unsigned long long t0 = now_ns();
	int r = real != NULL ? real(fd) : -1;

	atomic_fetch_add(&g_fsyncs, 1);
	atomic_fetch_add(&g_fsync_ns, now_ns() - t0);
	return r;
}

int
fsync(int fd)
{
	return counted_sync(real_fsync, fd);
}

int
fdatasync(int fd)
{
	return counted_sync(real_fdatasync, fd);
}

/* The notification's first message: id, text, and the identity that gets
 * encrypted ("sender\nprofile name\ntimestamp"). */
static int
parse(struct req *r, char *ident, size_t identlen)
{
	json_t *root, *value, *msg, *contact, *v;
	const char *from, *id, *ts, *text, *name = "";
	int n, ret = -1;

	root = json_loadb(r->buf, r->len, 0, NULL);
	if (root == NULL)
		return -1;
	value = json_object_get(
	    json_array_get(
		json_object_get(
		    json_array_get(json_object_get(root, "entry"), 0),
		    "changes"),
		0),
	    "value");
	msg = json_array_get(json_object_get(value, "messages"), 0);
	contact = json_array_get(json_object_get(value, "contacts"), 0);
	from = json_string_value(json_object_get(msg, "from"));
	id = json_string_value(json_object_get(msg, "id"));
	ts = json_string_value(json_object_get(msg, "timestamp"));
	text = json_string_value(
	    json_object_get(json_object_get(msg, "text"), "body"));
	v = json_object_get(json_object_get(contact, "profile"), "name");
	if (json_is_string(v))
		name = json_string_value(v);
	if (from == NULL || id == NULL || ts == NULL || text == NULL ||
	    strlen(id) >= sizeof(r->msg_id) || strlen(text) >= sizeof(r->text))
		goto out;
	n = snprintf(ident, identlen, "%s\n%s\n%s", from, name, ts);
	if (n < 0 || (size_t)n >= identlen)
		goto out;
	memcpy(r->msg_id, id, strlen(id) + 1);
	memcpy(r->text, text, strlen(text) + 1);
	ret = n;
out:
	json_decref(root);
	return ret;
}

/* X-Hub-Signature-256 = "sha256=" + lowercase hex HMAC-SHA256(secret,
 * body), compared in constant time, as hotline's WhatsApp adapter does. */
static int
verify(struct MHD_Connection *c, const struct req *r)
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char want[2 * sizeof(mac) + 1];
	const char *sig;

	sig = MHD_lookup_connection_value(c, MHD_HEADER_KIND, SIG_HEADER);
	if (sig == NULL ||
	    strlen(sig) != strlen(SIG_PREFIX) + 2 * sizeof(mac) ||
	    strncmp(sig, SIG_PREFIX, strlen(SIG_PREFIX)) != 0)
		return -1;
	crypto_auth_hmacsha256_init(
	    &st, (const unsigned char *)secret, secret_len);
	crypto_auth_hmacsha256_update(
	    &st, (const unsigned char *)r->buf, r->len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(want, sizeof(want), mac, sizeof(mac));
	return sodium_memcmp(sig + strlen(SIG_PREFIX), want, 2 * sizeof(mac));
}

static void
enqueue(struct req *r)
{
	pthread_mutex_lock(&qmu);
	r->next = NULL;
	*qtail = r;
	qtail = &r->next;
	pthread_cond_signal(&qcv);
	pthread_mutex_unlock(&qmu);
}

static void *
writer(void *arg)
{
	static struct req *batch[4096];
	unsigned long long t0;
	struct req *r;
	int i, n, ok;
	long now;

	(void)arg;
	pthread_setname_np(pthread_self(), "writer");
	for (;;) {
		pthread_mutex_lock(&qmu);
		while (qhead == NULL && !qstop)
			pthread_cond_wait(&qcv, &qmu);
		if (qhead == NULL && qstop) {
			pthread_mutex_unlock(&qmu);
			return NULL;
		}
		n = 0;
		while (qhead != NULL && n < maxbatch) {
			batch[n++] = qhead;
			qhead = qhead->next;
		}
		if (qhead == NULL)
			qtail = &qhead;
		pthread_mutex_unlock(&qmu);

		t0 = now_ns();
		ok = sqlite3_step(sbeg) == SQLITE_DONE;
		sqlite3_reset(sbeg);
		now = (long)time(NULL);
		for (i = 0; i < n && ok; i++) {
			r = batch[i];
			sqlite3_bind_int64(ins, 1, now);
			sqlite3_bind_text(
			    ins, 2, "whatsapp", -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 3, r->msg_id, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 4, r->text, -1, SQLITE_STATIC);
			sqlite3_bind_blob(ins, 5, r->sealed, (int)r->sealed_len,
			    SQLITE_STATIC);
			if (sqlite3_step(ins) != SQLITE_DONE)
				ok = 0;
			else if (sqlite3_changes(db) == 0)
				atomic_fetch_add(&st_dups, 1);
			sqlite3_reset(ins);
		}
		if (ok) {
			ok = sqlite3_step(scom) == SQLITE_DONE;
			sqlite3_reset(scom);
		}
		if (!ok) {
			fprintf(stderr, "reference_pipeline: db error: %s\n",
			    sqlite3_errmsg(db));
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		}
		atomic_fetch_add(&st_txn_ns, now_ns() - t0);
		atomic_fetch_add(&st_commits, 1);
		if (ok)
			atomic_fetch_add(&st_rows, (unsigned long)n);
		if ((unsigned long)n > atomic_load(&st_maxbatch))
			atomic_store(&st_maxbatch, (unsigned long)n);
		for (i = 0; i < n; i++) {
			batch[i]->status = ok ? 200 : 500;
			atomic_store(&batch[i]->state, ST_DONE);
			MHD_resume_connection(batch[i]->conn);
		}
	}
}

static enum MHD_Result
reply(struct MHD_Connection *c, int status)
{
	struct MHD_Response *resp;

	switch (status) {
	case 200:
		resp = r200;
		break;
	case 400:
		resp = r400;
		break;
	case 403:
		resp = r403;
		break;
	default:
		resp = r500;
		break;
	}
	return MHD_queue_response(c, (unsigned int)status, resp);
}

static enum MHD_Result
finish(struct req *r, struct MHD_Connection *c, int status)
{
	if (r->busy) {
		r->busy = 0;
		atomic_fetch_sub(&busy, 1);
	}
	return reply(c, status);
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **req_cls)
{
	unsigned char nonce[crypto_box_NONCEBYTES];
	char ident[MAXIDENT + 1];
	unsigned long long t0, t1, t2;
	struct req *r = *req_cls;
	int st, n;

	(void)cls;
	(void)url;
	(void)version;
	if (r == NULL) {
		if (strcmp(method, "POST") != 0)
			return MHD_NO;
		r = malloc(sizeof(*r));
		if (r == NULL)
			return MHD_NO;
		r->len = 0;
		r->busy = 0;
		atomic_init(&r->state, ST_NEW);
		r->conn = c;
		*req_cls = r;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		if (r->len + *upload_data_size > MAXBODY)
			return reply(c, 400);
		memcpy(r->buf + r->len, upload_data, *upload_data_size);
		r->len += *upload_data_size;
		*upload_data_size = 0;
		return MHD_YES;
	}
	st = atomic_load(&r->state);
	if (st == ST_DONE) /* resumed after the commit */
		return finish(r, c, r->status);
	if (st == ST_WAIT) /* a spurious call while suspended */
		return MHD_YES;
	atomic_fetch_add(&st_req, 1);
	atomic_fetch_add(&busy, 1);
	r->busy = 1;
	r->buf[r->len] = '\0';

	t0 = now_ns();
	if (verify(c, r) != 0) {
		atomic_fetch_add(&st_bad, 1);
		return finish(r, c, 403);
	}
	t1 = now_ns();
	atomic_fetch_add(&st_verify_ns, t1 - t0);
	n = parse(r, ident, sizeof(ident));
	if (n < 0) {
		atomic_fetch_add(&st_bad, 1);
		return finish(r, c, 400);
	}
	t2 = now_ns();
	atomic_fetch_add(&st_parse_ns, t2 - t1);

	/* nonce || box(identity) under the per-process precomputed key */
	randombytes_buf(nonce, sizeof(nonce));
	memcpy(r->sealed, nonce, sizeof(nonce));
	crypto_box_easy_afternm(r->sealed + sizeof(nonce),
	    (const unsigned char *)ident, (unsigned long long)n, nonce, shk);
	r->sealed_len = sizeof(nonce) + (size_t)n + crypto_box_MACBYTES;
	atomic_fetch_add(&st_seal_ns, now_ns() - t2);

	atomic_store(&r->state, ST_WAIT);
	MHD_suspend_connection(c);
	enqueue(r);
	return MHD_YES;
}

static void
completed(void *cls, struct MHD_Connection *c, void **req_cls,
    enum MHD_RequestTerminationCode t)
{
	struct req *r = *req_cls;

	(void)cls;
	(void)c;
	(void)t;
	/* A client that hung up while its request was suspended never gets
	 * the handler called again: the request ends here. */
	if (r == NULL)
		return;
	if (r->busy)
		atomic_fetch_sub(&busy, 1);
	free(r);
	*req_cls = NULL;
}

static struct MHD_Response *
response(const char *s)
{
	struct MHD_Response *x = MHD_create_response_from_buffer(
	    strlen(s), (void *)s, MHD_RESPMEM_PERSISTENT);

	if (x != NULL)
		MHD_add_response_header(x, "Content-Type", "text/plain");
	return x;
}

static int
open_db(const char *path)
{
	static const char schema[] =
	    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	    "CREATE TABLE reports(id INTEGER PRIMARY KEY,"
	    " created INTEGER NOT NULL, provider TEXT NOT NULL,"
	    " msg_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL,"
	    " sealed BLOB NOT NULL)";
	char *e = NULL;

	if (access(path, F_OK) == 0) {
		fprintf(stderr, "reference_pipeline: %s exists\n", path);
		return -1;
	}
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, schema, NULL, NULL, &e) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
		"INSERT INTO reports(created,provider,msg_id,body,sealed)"
		" VALUES(?,?,?,?,?) ON CONFLICT(msg_id) DO NOTHING",
		-1, &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &sbeg, NULL) !=
		SQLITE_OK ||
	    sqlite3_prepare_v2(db, "COMMIT", -1, &scom, NULL) != SQLITE_OK) {
		fprintf(stderr, "reference_pipeline: %s: %s\n", path,
		    e != NULL ? e : sqlite3_errmsg(db));
		sqlite3_free(e);
		return -1;
	}
	return 0;
}

static void
print_stats(void)
{
	unsigned long nr = atomic_load(&st_req), nc = atomic_load(&st_commits);
	unsigned long rows = atomic_load(&st_rows);
	unsigned long fs = atomic_load(&g_fsyncs);
	double per = nr ? 1.0 / (double)nr : 0;
	sqlite3_stmt *cnt = NULL;
	long long in_db = -1;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM reports", -1, &cnt,
		NULL) == SQLITE_OK &&
	    sqlite3_step(cnt) == SQLITE_ROW)
		in_db = sqlite3_column_int64(cnt, 0);
	sqlite3_finalize(cnt);
	printf("requests: %lu\nbad: %lu\nrows: %lu\ndups: %lu\n", nr,
	    atomic_load(&st_bad), rows, atomic_load(&st_dups));
	printf("rows_in_db: %lld\ncommits: %lu\n", in_db, nc);
	printf("avg_batch: %.1f\nmax_batch: %lu\n",
	    nc ? (double)rows / (double)nc : 0.0, atomic_load(&st_maxbatch));
	printf("fsyncs: %lu\nfsyncs_per_commit: %.2f\n", fs,
	    nc ? (double)fs / (double)nc : 0.0);
	printf("fsync_us_per_commit: %.0f\ntxn_us_per_commit: %.0f\n",
	    nc ? (double)atomic_load(&g_fsync_ns) / 1e3 / (double)nc : 0.0,
	    nc ? (double)atomic_load(&st_txn_ns) / 1e3 / (double)nc : 0.0);
	printf("verify_us: %.2f\nparse_us: %.2f\nseal_us: %.2f\n",
	    (double)atomic_load(&st_verify_ns) * per / 1e3,
	    (double)atomic_load(&st_parse_ns) * per / 1e3,
	    (double)atomic_load(&st_seal_ns) * per / 1e3);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	unsigned char sk[crypto_box_SECRETKEYBYTES];
	unsigned char esk[crypto_box_SECRETKEYBYTES];
	unsigned char epk[crypto_box_PUBLICKEYBYTES];
	const union MHD_DaemonInfo *info;
	struct sockaddr_in sin;
	struct MHD_Daemon *d;
	MHD_socket lsock;
	pthread_t wt;
	sigset_t set;
	char *end;
	long port;
	int sig, quiet;

	if (argc < 4 || argc > 5) {
		fprintf(stderr,
		    "usage: reference_pipeline PORT DB SECRET "
		    "[MAXBATCH]\n");
		return 2;
	}
	port = strtol(argv[1], &end, 10);
	if (*argv[1] == '\0' || *end != '\0' || port < 0 || port > 65535) {
		fprintf(stderr, "reference_pipeline: bad port '%s'\n", argv[1]);
		return 2;
	}
	secret = argv[3];
	secret_len = strlen(secret);
	if (argc == 5) {
		maxbatch = (int)strtol(argv[4], &end, 10);
		if (*end != '\0' || maxbatch < 1 || maxbatch > 4096) {
			fprintf(stderr, "reference_pipeline: bad MAXBATCH\n");
			return 2;
		}
	}
	real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	real_fdatasync = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
	if (real_fsync == NULL || real_fdatasync == NULL || sodium_init() < 0)
		return 1;
	/* The custodian's key pair, and the process's ephemeral one: the one
	 * X25519 agreement of the run. */
	crypto_box_keypair(pk, sk);
	crypto_box_keypair(epk, esk);
	if (crypto_box_beforenm(shk, pk, esk) != 0)
		return 1;
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(esk, sizeof(esk));
	r200 = response("ok");
	r400 = response("bad request");
	r403 = response("bad signature");
	r500 = response("storage error");
	if (r200 == NULL || r400 == NULL || r403 == NULL || r500 == NULL ||
	    open_db(argv[2]) != 0)
		return 1;

	/* Block the signals before any thread starts, so that they inherit
	 * the mask and only sigwait() below receives them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	if (pthread_create(&wt, NULL, writer, NULL) != 0)
		return 1;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
		MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
	    (uint16_t)port, NULL, NULL, handler, NULL, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&sin, MHD_OPTION_THREAD_POOL_SIZE,
	    (unsigned int)2, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)4096,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)4096, MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr,
		    "reference_pipeline: cannot listen on "
		    "127.0.0.1:%ld\n",
		    port);
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (info == NULL || info->port == 0) {
		fprintf(stderr, "reference_pipeline: cannot learn the port\n");
		return 1;
	}
	printf("port %u\n", (unsigned int)info->port);
	fflush(stdout);

	if (sigwait(&set, &sig) != 0)
		sig = 0;
	/* MHD_stop_daemon() aborts if a request is still suspended waiting
	 * for its commit: stop accepting, wait until no request has been in
	 * progress for two 50 ms checks in a row (the writer keeps committing
	 * and resuming meanwhile), then stop the daemon, then the writer. */
	lsock = MHD_quiesce_daemon(d);
	for (quiet = 0; quiet < 2;) {
		usleep(50000);
		quiet = atomic_load(&busy) == 0 ? quiet + 1 : 0;
	}
	MHD_stop_daemon(d);
	if (lsock != MHD_INVALID_SOCKET)
		close(lsock);
	pthread_mutex_lock(&qmu);
	qstop = 1;
	pthread_cond_signal(&qcv);
	pthread_mutex_unlock(&qmu);
	pthread_join(wt, NULL);
	sqlite3_finalize(ins);
	sqlite3_finalize(sbeg);
	sqlite3_finalize(scom);
	print_stats();
	sqlite3_close(db);
	return 0;
}
