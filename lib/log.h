/*
 * log: one key=value line per event on stderr, written with a single
 * write(2) so that threads never interleave.  Callers pass only values
 * that are safe to log: channel names, status codes, report codes, counts,
 * durations.  Never a number, a name, a text, a receipt or a provider id.
 */
#ifndef HOTLINE_LOG_H
#define HOTLINE_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Lines below level are dropped (the default is LOG_INFO). */
void log_set_level(enum log_level);

/*
 * Look again whether stderr is systemd's journal (JOURNAL_STREAM names
 * its device and inode): then each line starts with its syslog priority,
 * "<3>" error, "<4>" warn, "<6>" info, "<7>" debug, which the journal
 * takes as the line's priority.  Done by the first line logged; call it
 * again only after stderr was replaced.
 */
void log_init(void);

/*
 * Log event with the given key=value pairs, formatted like printf:
 * log_msg(LOG_INFO, "webhook", "channel=%s status=%d", name, 200).
 * Values with spaces must be quoted by the caller (use log_quote).
 */
void log_msg(enum log_level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Quote s for a key="value" pair into buf (escaping quotes, backslashes
 * and control characters) and return buf.
 */
const char *log_quote(const char *s, char *buf, unsigned long len);

#endif
