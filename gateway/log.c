/*
 * log: key=value lines on stderr, "ts=... level=... event=... k=v ...".
 * systemd's journal takes stderr as it is; operators grep and parse it.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gateway/log.h"

static atomic_int min_level = LOG_INFO;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void
log_set_level(enum log_level level)
{
	atomic_store(&min_level, level);
}

void
log_msg(enum log_level level, const char *event, const char *fmt, ...)
{
	char line[1024];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	size_t n;
	int k;

	if ((int)level < atomic_load(&min_level))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(line, sizeof line, "ts=%Y-%m-%dT%H:%M:%S", &tm);
	k = snprintf(line + n, sizeof line - n, ".%03ldZ level=%s event=%s",
	    ts.tv_nsec / 1000000, level_names[level], event);
	n += k > 0 ? (size_t)k : 0;
	if (fmt != NULL && *fmt != '\0' && n < sizeof line - 2) {
		line[n++] = ' ';
		va_start(ap, fmt);
		k = vsnprintf(line + n, sizeof line - n, fmt, ap);
		va_end(ap);
		n += k > 0 ? (size_t)k : 0;
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
