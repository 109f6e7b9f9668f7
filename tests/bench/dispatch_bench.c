/*
 * dispatch_bench: how many messages a second the dispatcher sends.  It
 * queues N messages in a fresh database (half to citizens, sealed under a
 * memkey, half to staff in clear), starts the real dispatcher against the
 * fake provider API on PORT, and prints the messages sent per second once
 * all are sent.  A benchmark: it prints figures and asserts nothing.
 *
 *   dispatch_bench PORT [N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "queue/conversation.h"
#include "queue/dispatcher.h"
#include "queue/memkey.h"
#include "queue/store.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
write_config(const char *dir, int port, char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/bench.conf", dir);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fprintf(f,
	    "[server]\npublic_url = http://127.0.0.1:1\n"
	    "database = %s/bench.db\ncity = Kota Kediri\nreport_prefix = KDR\n"
	    "[keys]\nmayor_public = "
	    "LiRgmGNt39mzNZEv9qqEH+gDM7Nd3PvJBQdOqbYM4Fw=\n"
	    "[dispatch]\nretry_base = 100ms\nretry_max = 1s\n"
	    "max_attempts = 3\ntimeout = 5s\n"
	    "[channel whatsapp]\nprovider = whatsapp_cloud\n"
	    "app_secret = s\nverify_token = t\naccess_token = a\n"
	    "phone_number_id = 115522334455667\n"
	    "api_base = http://127.0.0.1:%d/v25.0\nrate_per_second = 1000\n",
	    dir, port);
	return fclose(f);
}

static int
queue_messages(struct store *s, const struct memkey *key, int n)
{
	unsigned char sealed[1024];
	struct store_outbound o = {0};
	char err[256], to[32];
	long long now = (long long)time(NULL) * 1000;
	int i;

	if (store_begin(s, err, sizeof err) == -1)
		return -1;
	o.kind = "bench";
	o.channel = "whatsapp";
	o.status = "queued";
	for (i = 0; i < n; i++) {
		snprintf(to, sizeof to, "+62812%07d", i);
		o.sealed = NULL;
		o.sealed_len = 0;
		o.destination = o.body = NULL;
		if (i % 2 == 0) {
			o.sealed = sealed;
			o.sealed_len = conversation_seal_message(key, to,
			    "Laporan KDR-BENCH1 sedang ditindaklanjuti.",
			    sealed, sizeof sealed);
		} else {
			o.destination = to;
			o.body = "Laporan baru KDR-BENCH1 untuk OPD Anda.";
		}
		if (store_insert_outbound(s, &o, now, err, sizeof err) == -1) {
			fprintf(stderr, "%s\n", err);
			store_rollback(s);
			return -1;
		}
	}
	return store_commit(s, err, sizeof err);
}

static long long
count_sent(const char *db)
{
	char err[256];
	struct store *s = store_open(db, STORE_READONLY, err, sizeof err);
	long long n = 0;

	if (s != NULL) {
		n = store_count_outbox(s, "sent");
		store_close(s);
	}
	return n;
}

int
main(int argc, char **argv)
{
	char dir[] = "/tmp/dispatch-bench.XXXXXX", path[512], db[512];
	char err[8192];
	struct config *cfg;
	struct memkey *key;
	struct store *s;
	struct dispatcher *d;
	int port, n;
	long long sent = 0;
	double t0, t;

	if (argc < 2) {
		fprintf(stderr, "usage: dispatch_bench PORT [N]\n");
		return 2;
	}
	port = atoi(argv[1]);
	n = argc > 2 ? atoi(argv[2]) : 4000;
	if (seal_init() == -1 || mkdtemp(dir) == NULL ||
	    write_config(dir, port, path, sizeof path) == -1 ||
	    (cfg = config_load(path, err, sizeof err)) == NULL) {
		fprintf(stderr, "dispatch_bench: cannot set up: %s\n", err);
		return 1;
	}
	snprintf(db, sizeof db, "%s/bench.db", dir);
	key = memkey_new();
	if ((s = store_open(db, STORE_READWRITE, err, sizeof err)) == NULL ||
	    queue_messages(s, key, n) == -1) {
		fprintf(stderr, "dispatch_bench: %s\n", err);
		return 1;
	}
	store_close(s);
	t0 = now_s();
	if ((d = dispatcher_start(cfg, key, NULL, NULL, err, sizeof err)) ==
	    NULL) {
		fprintf(stderr, "dispatch_bench: %s\n", err);
		return 1;
	}
	dispatcher_wake(d);
	while ((sent = count_sent(db)) < n && now_s() - t0 < 120)
		usleep(20000);
	t = now_s() - t0;
	dispatcher_stop(d);
	printf(
	    "messages: %d\nsent: %lld\nseconds: %.3f\nmessages_per_s: %.1f\n",
	    n, sent, t, (double)sent / t);
	memkey_free(key);
	config_free(cfg);
	snprintf(path, sizeof path, "rm -rf %s", dir);
	return system(path) == 0 ? 0 : 1;
}
