/*
 * Unit tests of lib/log.c: with stderr redirected to a file, a line
 * is "ts=... level=... event=... k=v" as it always was; with
 * JOURNAL_STREAM naming that file's device and inode (as systemd sets it
 * when stderr is the journal's stream), each line starts with its syslog
 * priority, <7> debug, <6> info, <4> warn, <3> error; a JOURNAL_STREAM
 * that names another file, or is malformed, changes nothing; lines below
 * the level set are dropped.  stderr is put back before anything is
 * asserted, so that cmocka's messages are seen.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "tests/unit/testlib.h"

struct capture {
	char dir[TESTLIB_DIR_MAX];
	char path[TESTLIB_PATH_MAX];
	int fd, saved; /* the file; stderr as it was */
};

/* stderr into a fresh file; JOURNAL_STREAM its "dev:ino" when journal. */
static void
capture_start(struct capture *c, int journal)
{
	struct stat st;
	char stream[64];

	assert_int_equal(testlib_mkdtemp(c->dir, "hotline-log"), 0);
	testlib_path(c->path, c->dir, "stderr");
	c->fd = open(c->path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
	assert_true(c->fd >= 0);
	assert_int_equal(fstat(c->fd, &st), 0);
	snprintf(stream, sizeof stream, "%llu:%llu",
	    (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	if (journal)
		setenv("JOURNAL_STREAM", stream, 1);
	else
		unsetenv("JOURNAL_STREAM");
	c->saved = dup(STDERR_FILENO);
	assert_true(c->saved >= 0);
	assert_int_equal(dup2(c->fd, STDERR_FILENO), STDERR_FILENO);
	log_init();
}

/* stderr back; what was written, malloc'd. */
static char *
capture_end(struct capture *c)
{
	char *text;

	dup2(c->saved, STDERR_FILENO);
	close(c->saved);
	close(c->fd);
	unsetenv("JOURNAL_STREAM");
	log_init();
	text = testlib_read_file(c->path, NULL);
	testlib_rmtree(c->dir);
	return text;
}

static void
log_each_level(void)
{
	log_set_level(LOG_DEBUG);
	log_msg(LOG_DEBUG, "probe", "n=%d", 0);
	log_msg(LOG_INFO, "probe", "n=%d", 1);
	log_msg(LOG_WARN, "probe", "n=%d", 2);
	log_msg(LOG_ERROR, "probe", "n=%d", 3);
	log_set_level(LOG_INFO);
}

/* Line i of text (0-based) into out: the line, without its newline. */
static void
line_of(const char *text, int i, char *out, size_t len)
{
	const char *end;

	for (; i > 0 && text != NULL; i--)
		if ((text = strchr(text, '\n')) != NULL)
			text++;
	assert_non_null(text);
	end = strchr(text, '\n');
	assert_non_null(end);
	assert_true((size_t)(end - text) < len);
	memcpy(out, text, (size_t)(end - text));
	out[end - text] = '\0';
}

static void
test_plain(void **state)
{
	static const char *const levels[] = {"debug", "info", "warn", "error"};
	struct capture c;
	char line[1024], want[64];
	char *text;
	int i;

	(void)state;
	capture_start(&c, 0);
	log_each_level();
	text = capture_end(&c);
	for (i = 0; i < 4; i++) {
		line_of(text, i, line, sizeof line);
		assert_memory_equal(line, "ts=", 3);
		snprintf(want, sizeof want, " level=%s event=probe n=%d",
		    levels[i], i);
		assert_non_null(strstr(line, want));
	}
	free(text);
}

static void
test_journal(void **state)
{
	static const char *const prefixes[] = {"<7>", "<6>", "<4>", "<3>"};
	struct capture c;
	char line[1024];
	char *text;
	int i;

	(void)state;
	capture_start(&c, 1);
	log_each_level();
	text = capture_end(&c);
	for (i = 0; i < 4; i++) {
		line_of(text, i, line, sizeof line);
		assert_memory_equal(line, prefixes[i], 3);
		assert_memory_equal(line + 3, "ts=", 3);
	}
	free(text);
}

/* Another file's stream, or a malformed one: lines as they were. */
static void
test_not_the_journal(void **state)
{
	static const char *const streams[] = {"1:2", "", "12", "x:y", NULL};
	struct capture c;
	char *text;
	int i;

	(void)state;
	for (i = 0; streams[i] != NULL; i++) {
		capture_start(&c, 0);
		setenv("JOURNAL_STREAM", streams[i], 1);
		log_init();
		log_msg(LOG_ERROR, "probe", "%s", "");
		text = capture_end(&c);
		assert_memory_equal(text, "ts=", 3);
		free(text);
	}
}

static void
test_level(void **state)
{
	struct capture c;
	char *text;

	(void)state;
	capture_start(&c, 1);
	log_set_level(LOG_WARN);
	log_msg(LOG_INFO, "dropped", "%s", "");
	log_msg(LOG_WARN, "kept", "%s", "");
	log_set_level(LOG_INFO);
	text = capture_end(&c);
	assert_null(strstr(text, "dropped"));
	assert_memory_equal(text, "<4>ts=", 6);
	assert_non_null(strstr(text, "level=warn event=kept\n"));
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain),
	    cmocka_unit_test(test_journal),
	    cmocka_unit_test(test_not_the_journal),
	    cmocka_unit_test(test_level),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
