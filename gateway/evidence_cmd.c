/*
 * evidence_cmd: hotline evidence --config F CODE [--out DIR] writes a
 * report's stored attachments, decrypted with the evidence key, as
 * DIR/CODE-N.EXT (mode 0600, never overwriting), after an audit row; and
 * lists every attachment (kept or not) as JSON lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "gateway/cli.h"
#include "gateway/commands.h"
#include "queue/audit.h"
#include "queue/evidence.h"

struct listing {
	int stored[64];
	size_t n;
};

static int
print_attachment(const struct store_attachment *a, void *arg)
{
	struct listing *l = arg;
	json_t *o = json_object();

	json_object_set_new(o, "seq", json_integer(a->seq));
	cli_put_string(o, "status", a->status);
	cli_put_string(o, "kind", a->kind);
	cli_put_string(o, "mime", a->mime);
	json_object_set_new(o, "bytes", json_integer(a->size));
	cli_put_string(o, "reason", a->reason);
	cli_print_json(o);
	if (strcmp(a->status, "stored") == 0 &&
	    l->n < sizeof l->stored / sizeof l->stored[0])
		l->stored[l->n++] = a->seq;
	return 0;
}

/* Decrypt attachment seq of code into DIR/CODE-SEQ.EXT.  0 or -1 said. */
static int
export_one(struct store *s, const struct config *cfg, const char *code, int seq,
    const char *dir)
{
	unsigned char sealed[EVIDENCE_SEALED_KEY_BYTES], *blob = NULL,
							 *plain = NULL;
	char kind[32], mime[64], err[256], path[4096];
	size_t len, n;
	int fd = -1, rc = -1;

	if (store_attachment_data(s, code, seq, &blob, &len, sealed,
		sizeof sealed, kind, sizeof kind, mime, sizeof mime, err,
		sizeof err) != 0) {
		fprintf(stderr, "hotline: attachment %d: %s\n", seq, err);
		goto done;
	}
	if (evidence_open(blob, len, sealed, cfg->evidence.public_key,
		cfg->evidence.secret_key, &plain, &n) == -1) {
		fprintf(stderr,
		    "hotline: attachment %d does not open with the evidence "
		    "key\n",
		    seq);
		goto done;
	}
	snprintf(path, sizeof path, "%s/%s-%d.%s", dir, code, seq,
	    evidence_type_of(mime) != NULL ? evidence_type_of(mime)->ext
					   : "bin");
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) ==
		-1 ||
	    write(fd, plain, n) != (ssize_t)n) {
		fprintf(stderr, "hotline: %s: %s\n", path, strerror(errno));
		goto done;
	}
	printf("%s\n", path);
	rc = 0;
done:
	if (fd != -1)
		close(fd);
	if (plain != NULL)
		sodium_free(plain);
	free(blob);
	return rc;
}

int
cmd_evidence(int argc, char **argv)
{
	struct cli_args a;
	struct config *cfg;
	struct store *s = NULL;
	struct listing l = {{0}, 0};
	struct audit_entry e = {NULL, "evidence_export", NULL, NULL, NULL};
	char err[512], actor[128];
	size_t i;
	int rc = 1;

	if (cli_parse(argc, argv, &a) == -1 || a.nrest != 1) {
		fprintf(stderr,
		    "usage: hotline evidence --config FILE [--out DIR] "
		    "CODE\n");
		return 2;
	}
	if ((cfg = cli_secret_config(a.config)) == NULL)
		return 1;
	if ((s = cli_store(cfg,
		 a.out != NULL ? STORE_READWRITE : STORE_READONLY)) == NULL)
		goto done;
	if (store_each_attachment(
		s, a.rest[0], print_attachment, &l, err, sizeof err) == -1) {
		fprintf(stderr, "hotline: %s\n", err);
		goto done;
	}
	rc = 0;
	if (a.out == NULL || l.n == 0)
		goto done;
	if (!cfg->evidence.enabled) {
		fprintf(stderr, "hotline: no [evidence] key to open them\n");
		rc = 1;
		goto done;
	}
	e.actor = cli_actor(actor, sizeof actor);
	e.report_code = a.rest[0];
	e.reason = a.reason;
	if (audit_write(s, &e, err, sizeof err) == -1) {
		fprintf(stderr, "hotline: %s; nothing was exported\n", err);
		rc = 1;
		goto done;
	}
	for (i = 0; i < l.n; i++)
		if (export_one(s, cfg, a.rest[0], l.stored[i], a.out) == -1)
			rc = 1;
done:
	store_close(s);
	config_free(cfg);
	return rc;
}
