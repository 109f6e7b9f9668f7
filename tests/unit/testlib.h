/*
 * testlib: what the unit tests share.  Reading a file or a fixture into
 * memory, temporary directories, building a webhook request (headers,
 * query, the request a sign() describes), and calling an adapter's verify,
 * parse and sign while checking the contract of adapters/adapter.h on the
 * way: a refusal says why in a message that never quotes a secret, a
 * number or the body, and a parse that fails leaves no event behind.  The
 * fixtures' credentials and a channel for each provider are in
 * tests/fixtures.h, included here.  Run the tests from the repository
 * root.  Every helper fails the running test (cmocka) rather than
 * returning an error, unless it says otherwise.
 */
#ifndef HOTLINE_TESTLIB_H
#define HOTLINE_TESTLIB_H

/* cmocka.h needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/types.h>
#include <time.h>

#include "adapters/adapter.h"
#include "queue/router.h"
#include "tests/fixtures.h"

#define TESTLIB_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Files. */

/*
 * The contents of path (relative to the repository root), NUL-terminated,
 * malloc'd; the length in *lenp when lenp is not NULL.
 */
char *testlib_read_file(const char *path, size_t *lenp);
/* The same for tests/fixtures/NAME, which must not be empty. */
char *testlib_read_fixture(const char *name, size_t *lenp);
/* A file of text with mode, replacing any file there. */
void testlib_write_file(const char *path, const char *text, mode_t mode);
/* head, count copies of unit, tail: malloc'd, NUL-terminated. */
char *testlib_repeat(
    const char *head, const char *unit, size_t count, const char *tail);
/* text is exactly count copies of unit, nothing before or after. */
void testlib_assert_repeated(const char *text, const char *unit, size_t count);

/*
 * One character as a provider sends it (in its body's encoding) and as
 * the parsed text must hold it (UTF-8), for the text limit tests.
 */
struct testlib_char {
	const char *sent, *kept;
};

/* text with every from replaced by to (malloc'd; the caller frees it). */
char *testlib_replace(const char *text, const char *from, const char *to);

/* Temporary directories. */

#define TESTLIB_DIR_MAX	 64
#define TESTLIB_PATH_MAX 192

/* Make a fresh /tmp/NAME.XXXXXX into dir: 0, or -1 (no test failed). */
int testlib_mkdtemp(char dir[TESTLIB_DIR_MAX], const char *name);
/* dir/file into path. */
void testlib_path(
    char path[TESTLIB_PATH_MAX], const char *dir, const char *file);
/* Remove dir and everything below it: 0, or -1 (no test failed). */
int testlib_rmtree(const char *dir);

/* Config files. */

/* The mayor key of the test configs (its secret key was thrown away). */
#define TESTLIB_KEY_B64 "He27Cj1lFpMTVD8CnCGaSeBn3CK6/s3Xq/Cf95+HFAk="

/* The smallest config that loads, 11 lines: tests append to it. */
#define TESTLIB_CONFIG_MINIMAL                                                 \
	"[server]\n"                                                           \
	"public_url = http://hotline.test/\n"                                  \
	"database = /tmp/hotline-test.db\n"                                    \
	"city = Kota Kediri\n"                                                 \
	"report_prefix = KDR\n"                                                \
	"[keys]\n"                                                             \
	"mayor_public = " TESTLIB_KEY_B64 "\n"                                 \
	"[channel wa]\n"                                                       \
	"provider = whatsapp_cloud\n"                                          \
	"app_secret = app-secret-value\n"                                      \
	"verify_token = verify-token-value\n"

/*
 * A config test's state: a temporary directory and the file t.conf in it,
 * and the errors of the last load.  testlib_config_setup() and
 * testlib_config_teardown() are cmocka setup and teardown functions that
 * make and remove it (*state).
 */
struct testlib_config {
	char dir[TESTLIB_DIR_MAX];
	char path[TESTLIB_PATH_MAX];
	char errs[8192];
};

int testlib_config_setup(void **state);
int testlib_config_teardown(void **state);
/* A cmocka test with them. */
#define TESTLIB_CONFIG_TEST(fn)                                                \
	cmocka_unit_test_setup_teardown(                                       \
	    fn, testlib_config_setup, testlib_config_teardown)
/* A sender's memkey-like tag (16 bytes), different for each n. */
void testlib_tag(int n, unsigned char tag[16]);

/* Split s at tabs into at most n fields (in place); the count. */
int testlib_split_tabs(char *s, char **out, int n);

/*
 * config/demo.conf (Kota Kediri) and its router, for the tests that read
 * real texts; run from the repository root.
 */
struct testlib_demo {
	struct config *cfg;
	struct router *r;
};
int testlib_demo_setup(void **state);
int testlib_demo_teardown(void **state);

/* Write text to t.conf and config_load() it (NULL: errors in f->errs). */
struct config *testlib_config_load(struct testlib_config *f, const char *text);
/* The same, and it must load; the caller frees the config. */
struct config *testlib_config_must_load(
    struct testlib_config *f, const char *text);
/* text fails with exactly one error, at line, containing what. */
void testlib_config_fails_with(
    struct testlib_config *f, const char *text, int line, const char *what);

/* Custodians and sealed reports (queue/custody.h, queue/store.h). */

struct custody_key;
struct epochs;
struct identity;
struct store;

/*
 * A fresh key pair for custodian name: the secret key sodium_malloc'd, as
 * custody_key wants it.  Free with testlib_custody_key_free().
 */
void testlib_custody_key(struct custody_key *, const char *name);
void testlib_custody_key_free(struct custody_key *);

/*
 * Insert a report, in a transaction of its own, whose identity (sender
 * and channel "wa") is sealed under an epoch key of e at now, or with e
 * NULL as version 1 to the public key v1_to alone.  Its code into code
 * (STORE_CODE_MAX bytes).
 */
void testlib_insert_sealed(struct store *, struct epochs *e,
    const unsigned char *v1_to, const char *sender, time_t now, char *code);

/*
 * store_find_identity() of code (which must be there) and custody_unseal()
 * of it with keys: custody_unseal()'s result, its error in err.  The
 * number of shares found into *nshares when it is not NULL.
 */
int testlib_unseal(struct store *, const char *code,
    const struct custody_key *keys, size_t nkeys, struct identity *out,
    size_t *nshares, char *err, size_t errlen);

/* Run sql on the SQLite file at path with a connection of its own. */
void testlib_sql(const char *path, const char *sql);
/* The first column of the first row of sql there, as an integer. */
long long testlib_sql_int(const char *path, const char *sql);

/* Webhook requests. */

#define TESTLIB_MAX_KV 4

/*
 * A webhook request and the storage of its headers and query: r points
 * into it, so build it in place and do not copy it.
 */
struct testlib_request {
	struct kv headers[TESTLIB_MAX_KV];
	struct kv query[TESTLIB_MAX_KV];
	struct webhook_request r;
};

/* A request without headers or query; url and content_type may be NULL. */
void testlib_request(struct testlib_request *, const char *method,
    const char *url, const char *content_type, const char *body, size_t len,
    time_t now);
/* Add a header, or nothing when value is NULL (the header left out). */
void testlib_header(
    struct testlib_request *, const char *name, const char *value);
/* Add a query argument, or nothing when value is NULL. */
void testlib_query(
    struct testlib_request *, const char *name, const char *value);
/*
 * The request sign() describes: a POST of its body to url at now, with its
 * Content-Type and its signature headers.
 */
void testlib_signed(struct testlib_request *, const struct signed_request *,
    const char *url, time_t now);

/* Adapters. */

struct testlib_message;

/* err is not empty and quotes no secret, number, id or text of a fixture. */
void testlib_assert_clean_error(const char *err);
/* a->verify(): its result; a refusal passes testlib_assert_clean_error(). */
int testlib_verify(const struct adapter *a, const struct channel *,
    const struct webhook_request *);
/*
 * a->parse() into a fresh batch *out (inbound_batch_new(); the caller
 * frees it with inbound_batch_free(), whatever the result) and its error
 * into err (NULL: not wanted): 0, every message with its text, or 400 with
 * a clean error and no event nor text left in the batch.
 */
int testlib_parse(const struct adapter *a, const struct channel *,
    const struct webhook_request *, struct inbound_batch **out, char *err,
    size_t errlen);
/*
 * A test's parse of one body: its result, the batch in *out (the caller
 * frees it with inbound_batch_free()).
 */
typedef int (*testlib_parse_fn)(const char *body, struct inbound_batch **out);
/* parse each of bodies[0..n) and expect want of each. */
void testlib_parse_each(
    testlib_parse_fn parse, const char *const *bodies, size_t n, int want);
/*
 * a->sign() into sr, which must succeed with a's content type and a
 * NUL-terminated body of body_len bytes.  Free with signed_request_free().
 */
void testlib_sign(const struct adapter *a, const struct channel *,
    const struct simulated_message *, struct signed_request *sr);
/*
 * A round trip: a->sign() msg for c (as testlib_sign()), then verify and
 * parse the request it describes (testlib_signed() to url at msg->now)
 * as the gateway would: both must succeed and the batch hold the one
 * message want.  sr and q are left for more checks.
 */
void testlib_round_trip(const struct adapter *a, const struct channel *c,
    const struct simulated_message *msg, const char *url,
    const struct testlib_message *want, struct signed_request *sr,
    struct testlib_request *q);
/* a->sign() must fail: -1, no body, a clean error. */
void testlib_sign_fails(const struct adapter *a, const struct channel *,
    const struct simulated_message *);
/* The adapter table entry and its fields. */
void testlib_assert_adapter(const struct adapter *a, enum provider,
    const char *name, const char *content_type, const char *ack_body,
    const char *ack_content_type);

/*
 * What a parsed message should hold.  type and has_location are always
 * checked; a NULL string and a sent_at of 0 are not.
 */
struct testlib_message {
	enum inbound_type type;
	const char *id;
	const char *sender;
	const char *user_id;
	const char *profile_name;
	const char *text;
	const char *media_id;
	const char *media_type;
	time_t sent_at;
	int has_location;
};

void testlib_assert_message(
    const struct inbound_message *m, const struct testlib_message *want);
/* b holds one message, no status, and the message is want. */
void testlib_assert_one_message(
    const struct inbound_batch *b, const struct testlib_message *want);

#endif
