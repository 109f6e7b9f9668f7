/*
 * log: key=value lines on stderr, "ts=... level=... event=... k=v ...".
 * Operators grep and parse them.  Under systemd, stderr is a stream to
 * the journal, which reads a leading "<N>" as the line's syslog priority
 * (sd-daemon.h): each line then carries its level that way too, so that
 * `journalctl -p warning` shows warnings and errors alone.
 */
#include <sys/stat.h>

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "lib/log.h"

static atomic_int min_level = LOG_INFO;
static atomic_int journal = -1; /* stderr is the journal's; -1: not known */

static const char *const level_names[] = {"debug", "info", "warn", "error"};
static const char *const priorities[] = {SD_DEBUG, SD_INFO, SD_WARNING, SD_ERR};

void
log_set_level(enum log_level level)
{
	atomic_store(&min_level, level);
}

/* Is stderr the stream JOURNAL_STREAM ("DEVICE:INODE") names? */
static int
stderr_is_journal(void)
{
	const char *stream = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char extra;

	if (stream == NULL ||
	    sscanf(stream, "%llu:%llu%c", &dev, &ino, &extra) != 2 ||
	    fstat(STDERR_FILENO, &st) == -1)
		return 0;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

void
log_init(void)
{
	atomic_store(&journal, stderr_is_journal());
}

void
log_msg(enum log_level level, const char *event, const char *fmt, ...)
{
	char line[1024];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	size_t n = 0;
	int k;

	if ((int)level < atomic_load(&min_level))
		return;
	if (atomic_load(&journal) == -1)
		log_init();
	if (atomic_load(&journal) == 1) {
		memcpy(line, priorities[level], 3);
		n = 3;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n += strftime(line + n, sizeof line - n, "ts=%Y-%m-%dT%H:%M:%S", &tm);
	k = snprintf(line + n, sizeof line - n, ".%03ldZ level=%s event=%s",
	    ts.tv_nsec / 1000000, level_names[level], event);
	n += k > 0 ? (size_t)k : 0;
	if (fmt != NULL && *fmt != '\0' && n < sizeof line - 2) {
		line[n++] = ' ';
		va_start(ap, fmt);
		k = vsnprintf(line + n, sizeof line - n, fmt, ap);
		va_end(ap);
		n += k > 0 ? (size_t)k : 0;
		if (k <= 0) /* nothing after all: no trailing space */
			n--;
	}
	if (n > sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}

const char *
log_quote(const char *s, char *buf, unsigned long len)
{
	unsigned long n = 0;

	if (len < 3) {
		if (len > 0)
			buf[0] = '\0';
		return buf;
	}
	buf[n++] = '"';
	for (; *s != '\0' && n + 3 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			buf[n++] = '\\';
			buf[n++] = (char)c;
		} else if (c < 0x20 || c == 0x7f)
			buf[n++] = '?';
		else
			buf[n++] = (char)c;
	}
	buf[n++] = '"';
	buf[n] = '\0';
	return buf;
}
