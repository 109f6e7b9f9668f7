/*
 * testlib: the helpers the unit tests share (see testlib.h): files,
 * temporary directories, webhook requests and adapter calls that check the
 * adapter contract as they go.
 */
#include <sys/stat.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "queue/custody.h"
#include "queue/epoch.h"
#include "queue/store.h"
#include "tests/unit/testlib.h"

/*
 * What no error message may quote: the reporter's number (in any form),
 * the fixtures' text and message ids, and every credential.
 */
static const char *const never_quoted[] = {
    "81234567890",
    "PUNGLI",
    "wamid",
    FIXTURE_TWILIO_TOKEN,
    FIXTURE_WA_APP_SECRET,
    FIXTURE_WA_VERIFY_TOKEN,
    FIXTURE_ASG_KEY,
    "shared-secret",
};

char *
testlib_read_file(const char *path, size_t *lenp)
{
	FILE *fp;
	char *buf;
	long n = 0;

	if ((fp = fopen(path, "rb")) == NULL)
		fail_msg("cannot open %s (run from the repository root)", path);
	if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0)
		fail_msg("cannot size %s", path);
	if ((buf = malloc((size_t)n + 1)) == NULL)
		fail_msg("out of memory");
	if (fread(buf, 1, (size_t)n, fp) != (size_t)n)
		fail_msg("cannot read %s", path);
	buf[n] = '\0';
	fclose(fp);
	if (lenp != NULL)
		*lenp = (size_t)n;
	return buf;
}

char *
testlib_read_fixture(const char *name, size_t *lenp)
{
	char path[TESTLIB_PATH_MAX];
	size_t len;
	char *buf;

	testlib_path(path, "tests/fixtures", name);
	buf = testlib_read_file(path, &len);
	if (len == 0)
		fail_msg("%s is empty", path);
	if (lenp != NULL)
		*lenp = len;
	return buf;
}

void
testlib_write_file(const char *path, const char *text, mode_t mode)
{
	FILE *fp;

	unlink(path);
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, mode), 0);
}

char *
testlib_repeat(
    const char *head, const char *unit, size_t count, const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail), i;
	char *s = malloc(hl + ul * count + tl + 1);

	assert_non_null(s);
	memcpy(s, head, hl);
	for (i = 0; i < count; i++)
		memcpy(s + hl + i * ul, unit, ul);
	memcpy(s + hl + ul * count, tail, tl + 1);
	return s;
}

void
testlib_assert_repeated(const char *text, const char *unit, size_t count)
{
	size_t ul = strlen(unit), i;

	assert_non_null(text);
	if (strlen(text) != ul * count)
		fail_msg(
		    "text is %zu bytes, not %zu", strlen(text), ul * count);
	for (i = 0; i < count; i++)
		if (memcmp(text + i * ul, unit, ul) != 0)
			fail_msg("text differs at character %zu", i);
}

int
testlib_mkdtemp(char dir[TESTLIB_DIR_MAX], const char *name)
{
	snprintf(dir, TESTLIB_DIR_MAX, "/tmp/%s.XXXXXX", name);
	return mkdtemp(dir) != NULL ? 0 : -1;
}

void
testlib_path(char path[TESTLIB_PATH_MAX], const char *dir, const char *file)
{
	if (snprintf(path, TESTLIB_PATH_MAX, "%s/%s", dir, file) >=
	    TESTLIB_PATH_MAX)
		fail_msg("path too long: %s/%s", dir, file);
}

static int
rmtree_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int
testlib_rmtree(const char *dir)
{
	return nftw(dir, rmtree_one, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

int
testlib_config_setup(void **state)
{
	struct testlib_config *f = calloc(1, sizeof *f);

	if (f == NULL || testlib_mkdtemp(f->dir, "test_config") == -1) {
		free(f);
		return -1;
	}
	testlib_path(f->path, f->dir, "t.conf");
	*state = f;
	return 0;
}

int
testlib_config_teardown(void **state)
{
	struct testlib_config *f = *state;
	int rc = testlib_rmtree(f->dir);

	free(f);
	return rc;
}

void
testlib_tag(int n, unsigned char tag[16])
{
	crypto_generichash(tag, 16, (unsigned char *)&n, sizeof n, NULL, 0);
}

int
testlib_split_tabs(char *s, char **out, int n)
{
	int k = 0;

	while (k < n) {
		out[k++] = s;
		if ((s = strchr(s, '\t')) == NULL)
			break;
		*s++ = '\0';
	}
	return k;
}

int
testlib_demo_setup(void **state)
{
	struct testlib_demo *f = calloc(1, sizeof *f);
	char errs[4096];

	if (f == NULL)
		return -1;
	if ((f->cfg = config_load("config/demo.conf", errs, sizeof errs)) ==
	    NULL) {
		fprintf(stderr, "%s", errs);
		free(f);
		return -1;
	}
	if ((f->r = router_new(f->cfg, errs, sizeof errs)) == NULL) {
		fprintf(stderr, "router_new: %s\n", errs);
		config_free(f->cfg);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

int
testlib_demo_teardown(void **state)
{
	struct testlib_demo *f = *state;

	router_free(f->r);
	config_free(f->cfg);
	free(f);
	return 0;
}

struct config *
testlib_config_load(struct testlib_config *f, const char *text)
{
	testlib_write_file(f->path, text, 0644);
	return config_load(f->path, f->errs, sizeof f->errs);
}

struct config *
testlib_config_must_load(struct testlib_config *f, const char *text)
{
	struct config *cfg = testlib_config_load(f, text);

	if (cfg == NULL)
		fail_msg("%s", f->errs);
	return cfg;
}

void
testlib_config_fails_with(
    struct testlib_config *f, const char *text, int line, const char *what)
{
	struct config *cfg = testlib_config_load(f, text);
	char want[TESTLIB_PATH_MAX + 16];
	const char *nl;

	if (cfg != NULL) {
		config_free(cfg);
		fail_msg("loaded, expected line %d: %s", line, what);
	}
	snprintf(want, sizeof want, "%s:%d: ", f->path, line);
	if (strncmp(f->errs, want, strlen(want)) != 0 ||
	    strstr(f->errs, what) == NULL)
		fail_msg("want \"%s...%s\", got:\n%s", want, what, f->errs);
	nl = strchr(f->errs, '\n');
	if (nl == NULL || nl[1] != '\0')
		fail_msg("want one error, got:\n%s", f->errs);
}

void
testlib_request(struct testlib_request *q, const char *method, const char *url,
    const char *content_type, const char *body, size_t len, time_t now)
{
	memset(q, 0, sizeof(*q));
	q->r.method = method;
	q->r.url = url;
	q->r.content_type = content_type;
	q->r.body = body;
	q->r.body_len = len;
	q->r.headers = q->headers;
	q->r.query = q->query;
	q->r.now = now;
}

void
testlib_header(struct testlib_request *q, const char *name, const char *value)
{
	if (value == NULL)
		return;
	assert_true(q->r.nheaders < TESTLIB_MAX_KV);
	q->headers[q->r.nheaders++] = (struct kv){name, value};
}

void
testlib_query(struct testlib_request *q, const char *name, const char *value)
{
	if (value == NULL)
		return;
	assert_true(q->r.nquery < TESTLIB_MAX_KV);
	q->query[q->r.nquery++] = (struct kv){name, value};
}

void
testlib_signed(struct testlib_request *q, const struct signed_request *sr,
    const char *url, time_t now)
{
	size_t i;

	testlib_request(
	    q, "POST", url, sr->content_type, sr->body, sr->body_len, now);
	testlib_header(q, "Content-Type", sr->content_type);
	for (i = 0; i < 2; i++)
		if (sr->header_name[i][0] != '\0')
			testlib_header(
			    q, sr->header_name[i], sr->header_value[i]);
}

void
testlib_assert_clean_error(const char *err)
{
	size_t i;

	if (err[0] == '\0')
		fail_msg("a refusal without an error message");
	for (i = 0; i < TESTLIB_COUNT(never_quoted); i++)
		if (strstr(err, never_quoted[i]) != NULL)
			fail_msg("error quotes %s: %s", never_quoted[i], err);
}

int
testlib_verify(const struct adapter *a, const struct channel *c,
    const struct webhook_request *r)
{
	char err[256] = "";
	int rc;

	rc = a->verify(c, r, err, sizeof(err));
	if (rc != 0)
		testlib_assert_clean_error(err);
	return rc;
}

int
testlib_parse(const struct adapter *a, const struct channel *c,
    const struct webhook_request *r, struct inbound_batch **out, char *err,
    size_t errlen)
{
	char buf[256];
	size_t i;
	int rc;

	if (err == NULL) {
		err = buf;
		errlen = sizeof(buf);
	}

	if ((*out = inbound_batch_new()) == NULL)
		fail_msg("out of memory");
	err[0] = '\0';
	rc = a->parse(c, r, *out, err, errlen);
	if (rc != 0) {
		assert_int_equal(rc, 400);
		testlib_assert_clean_error(err);
		assert_int_equal((*out)->nmessages + (*out)->nstatuses, 0);
	}
	/* Every message has its own text; a refused parse holds none. */
	for (i = 0; i < INBOUND_MAX_EVENTS; i++)
		if (i < (*out)->nmessages)
			assert_non_null((*out)->messages[i].text);
		else if ((*out)->messages[i].text != NULL)
			fail_msg("entry %zu past the messages holds a text", i);
	return rc;
}

void
testlib_parse_each(
    testlib_parse_fn parse, const char *const *bodies, size_t n, int want)
{
	struct inbound_batch *b;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = parse(bodies[i], &b);
		inbound_batch_free(b);
		if (rc != want)
			fail_msg("body %zu gave %d, not %d: %s", i, rc, want,
			    bodies[i]);
	}
}

void
testlib_sign(const struct adapter *a, const struct channel *c,
    const struct simulated_message *msg, struct signed_request *sr)
{
	char err[256] = "";

	if (a->sign(c, msg, sr, err, sizeof(err)) != 0)
		fail_msg("sign: %s", err);
	assert_string_equal(sr->content_type, a->content_type);
	assert_non_null(sr->body);
	assert_int_equal(strlen(sr->body), sr->body_len);
}

void
testlib_round_trip(const struct adapter *a, const struct channel *c,
    const struct simulated_message *msg, const char *url,
    const struct testlib_message *want, struct signed_request *sr,
    struct testlib_request *q)
{
	struct inbound_batch *b;

	testlib_sign(a, c, msg, sr);
	testlib_signed(q, sr, url, msg->now);
	assert_int_equal(testlib_verify(a, c, &q->r), 0);
	assert_int_equal(testlib_parse(a, c, &q->r, &b, NULL, 0), 0);
	testlib_assert_one_message(b, want);
	inbound_batch_free(b);
}

void
testlib_sign_fails(const struct adapter *a, const struct channel *c,
    const struct simulated_message *msg)
{
	struct signed_request sr;
	char err[256] = "";

	assert_int_equal(a->sign(c, msg, &sr, err, sizeof(err)), -1);
	assert_null(sr.body);
	testlib_assert_clean_error(err);
	signed_request_free(&sr);
}

void
testlib_assert_adapter(const struct adapter *a, enum provider p,
    const char *name, const char *content_type, const char *ack_body,
    const char *ack_content_type)
{
	assert_ptr_equal(adapter_for(p), a);
	assert_int_equal(a->provider, p);
	assert_string_equal(a->name, name);
	assert_string_equal(a->content_type, content_type);
	assert_string_equal(a->ack_body, ack_body);
	assert_string_equal(a->ack_content_type, ack_content_type);
}

static void
assert_field(const char *field, const char *got, const char *want)
{
	if (want != NULL && strcmp(got, want) != 0)
		fail_msg("%s is \"%s\", not \"%s\"", field, got, want);
}

void
testlib_assert_message(
    const struct inbound_message *m, const struct testlib_message *want)
{
	assert_int_equal(m->type, want->type);
	assert_field("id", m->id, want->id);
	assert_field("sender", m->sender, want->sender);
	assert_field("user_id", m->user_id, want->user_id);
	assert_field("profile_name", m->profile_name, want->profile_name);
	assert_field("text", m->text, want->text);
	assert_field("media_id", m->media_id, want->media_id);
	assert_field("media_type", m->media_type, want->media_type);
	if (want->sent_at != 0)
		assert_int_equal(m->sent_at, want->sent_at);
	assert_int_equal(m->has_location, want->has_location);
}

void
testlib_assert_one_message(
    const struct inbound_batch *b, const struct testlib_message *want)
{
	assert_int_equal(b->nmessages, 1);
	assert_int_equal(b->nstatuses, 0);
	testlib_assert_message(&b->messages[0], want);
}

void
testlib_custody_key(struct custody_key *k, const char *name)
{
	memset(k, 0, sizeof *k);
	snprintf(k->name, sizeof k->name, "%s", name);
	assert_non_null(
	    k->secret_key = sodium_malloc(crypto_box_SECRETKEYBYTES));
	assert_int_equal(crypto_box_keypair(k->public_key, k->secret_key), 0);
}

void
testlib_custody_key_free(struct custody_key *k)
{
	sodium_free(k->secret_key);
	k->secret_key = NULL;
}

void
testlib_insert_sealed(struct store *s, struct epochs *e,
    const unsigned char *v1_to, const char *sender, time_t now, char *code)
{
	struct store_report r;
	struct identity id;
	struct epoch_seal *es = NULL;
	unsigned char key[SEAL_KEY_BYTES];
	char err[256];

	memset(&r, 0, sizeof r);
	memset(&id, 0, sizeof id);
	strcpy(id.channel, "wa");
	snprintf(id.sender, sizeof id.sender, "%s", sender);
	id.received_at = now;
	randombytes_buf(r.uid, sizeof r.uid);
	randombytes_buf(r.dedupe, sizeof r.dedupe);
	r.channel = "wa";
	r.type = "text";
	r.text = "pungli di kelurahan";
	r.received_at = now;
	r.status = "triage";
	if (e != NULL) {
		assert_int_equal(epochs_report_key(e, r.uid, now, key, &es), 0);
		if (seal_identity_with_key(
			&id, r.uid, key, &r.sealed, err, sizeof err) != 0)
			fail_msg("seal_identity_with_key: %s", err);
		r.sealed.epoch = es->id;
		r.epoch = es;
	} else if (seal_identity(
		       &id, r.uid, v1_to, &r.sealed, err, sizeof err) != 0)
		fail_msg("seal_identity: %s", err);
	assert_int_equal(store_begin(s, err, sizeof err), 0);
	if (store_insert_report(s, &r, "KDR", err, sizeof err) != 0)
		fail_msg("store_insert_report: %s", err);
	assert_int_equal(store_commit(s, err, sizeof err), 0);
	assert_false(r.duplicate);
	if (es != NULL)
		epochs_release(e, es);
	sodium_memzero(key, sizeof key);
	memcpy(code, r.code, STORE_CODE_MAX);
}

int
testlib_unseal(struct store *s, const char *code,
    const struct custody_key *keys, size_t nkeys, struct identity *out,
    size_t *nshares, char *err, size_t errlen)
{
	struct sealed_identity *sealed = malloc(sizeof *sealed);
	struct custody_sealed *shares = malloc(sizeof *shares);
	unsigned char uid[SEAL_REPORT_ID_BYTES];
	int rc;

	assert_non_null(sealed);
	assert_non_null(shares);
	if (store_find_identity(s, code, uid, sealed, shares, err, errlen) != 0)
		fail_msg("store_find_identity %s: %s", code, err);
	if (nshares != NULL)
		*nshares = shares->n;
	rc = custody_unseal(sealed, shares, uid, keys, nkeys, out, err, errlen);
	free(sealed);
	free(shares);
	return rc;
}

void
testlib_sql(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

long long
testlib_sql_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long n = -1;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* text with every from replaced by to; the caller frees it. */
char *
testlib_replace(const char *text, const char *from, const char *to)
{
	size_t nf = strlen(from), nt = strlen(to), n = 0;
	const char *s;
	char *out, *o;

	for (s = text; (s = strstr(s, from)) != NULL; s += nf)
		n++;
	out = malloc(strlen(text) + n * nt + 1);
	assert_non_null(out);
	for (o = out, s = text; *s != '\0';) {
		if (strncmp(s, from, nf) == 0) {
			memcpy(o, to, nt);
			o += nt;
			s += nf;
		} else
			*o++ = *s++;
	}
	*o = '\0';
	return out;
}
