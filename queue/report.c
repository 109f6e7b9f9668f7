/*
 * report: the rows of REPORT_STATUSES (queue/report.h) as tables, and the
 * lookups every layer uses instead of spelling a status itself.
 */
#include <stddef.h>
#include <string.h>

#include "queue/report.h"

static const struct {
	const char *name, *words, *label;
	int open, awaits;
} statuses[REPORT_NSTATUSES] = {
#define REPORT_ROW(id, name, words, label, open, awaits)                       \
	[REPORT_##id] = {name, words, label, open, awaits},
    REPORT_STATUSES(REPORT_ROW)
#undef REPORT_ROW
};

const char *
report_status_name(enum report_status s)
{
	return (unsigned)s < REPORT_NSTATUSES ? statuses[s].name : NULL;
}

int
report_status_of(const char *name)
{
	int i;

	for (i = 0; name != NULL && i < REPORT_NSTATUSES; i++)
		if (strcmp(name, statuses[i].name) == 0)
			return i;
	return -1;
}

const char *
report_status_words(const char *name)
{
	int i = report_status_of(name);

	return i >= 0 ? statuses[i].words : name;
}

const char *
report_status_label(enum report_status s)
{
	return (unsigned)s < REPORT_NSTATUSES ? statuses[s].label : NULL;
}

int
report_is_open(const char *name)
{
	int i = report_status_of(name);

	return i < 0 || statuses[i].open;
}

int
report_awaits_acknowledgement(const char *name)
{
	int i = report_status_of(name);

	return i >= 0 && statuses[i].awaits;
}
