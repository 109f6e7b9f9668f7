/*
 * config_print: writes a loaded struct config back as the INI file that
 * config/config.c reads, with every value config_load() settled on: the
 * defaults, the webhook URLs, triage, integrity_opd, verifier and
 * escalate_to filled in, phone numbers normalised, holidays sorted.  It
 * walks the key table of config/config_keys.h, section by section, and
 * writes each value in the syntax its type is parsed in (key_value()),
 * comma lists continued on indented lines.  An
 * optional value that is not set, and every secret, is a comment, so the
 * output loads again with config_load_public().  config_describe() walks
 * the same table for the man page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "config/config.h"
#include "config/config_keys.h"
#include "config/config_print.h"

#define INI_LINE_MAX 198 /* the longest line config_load() takes */
#define WRAP_COLUMN  80	 /* a list goes on to the next line before this */

struct out {
	FILE *fp;
	int quiet; /* leave out an optional key that is not set */
};

/* A list being written: its key, and the column reached (0: no item). */
struct list {
	const struct out *o;
	const char *key;
	size_t col;
};

/* The separator of KEY and VALUE: " = ", or "=" when a line is too long. */
static const char *
equals(const char *key, const char *v)
{
	return strlen(key) + 3 + strlen(v) > INI_LINE_MAX ? "=" : " = ";
}

/*
 * Can item begin an indented line?  Not when config.c would read that
 * line as a comment or a section, or refuse it as KEY = VALUE.
 */
static int
can_lead(const char *item)
{
	return strchr("#;[", item[0]) == NULL && strchr(item, '=') == NULL;
}

static void
list_item(struct list *l, const char *item)
{
	size_t n = strlen(item);

	if (l->col == 0) {
		l->col = strlen(l->key) + strlen(equals(l->key, item)) + n;
		fprintf(l->o->fp, "%s%s%s", l->key, equals(l->key, item), item);
	} else if (l->col + 2 + n >= WRAP_COLUMN && can_lead(item)) {
		fprintf(l->o->fp, ",\n  %s", item);
		l->col = 2 + n;
	} else {
		fprintf(l->o->fp, ", %s", item);
		l->col += 2 + n;
	}
}

/* A number as strtod() reads it back exactly, with a decimal point. */
static void
fmt_real(char *buf, size_t len, double d)
{
	int prec;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*f", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
	snprintf(buf, len, "%.17g", d);
}

/*
 * Item i (0 for a key that is no list) of k's value in base, the struct of
 * its section, as the file would say it: the string itself or buf.  NULL
 * when not set (or no item i); a secret is never given.
 */
static const char *
key_value(
    const struct keydef *k, const void *base, size_t i, char *buf, size_t len)
{
	static const char *const zones[] = {"WIB", "WITA", "WIT"};
	const void *v = (const char *)base + k->off;
	const struct config *cfg = base; /* of T_LISTEN, T_DELAY */
	const struct region *r = base;	 /* of T_POINTS */
	const struct holidays *h = v;
	char *const *items;
	char lat[64], lon[64];
	struct tm tm;
	time_t t;
	size_t n;
	int m;

	switch (k->type) {
	case T_LIST:
	case T_OPDS:
	case T_REGIONS:
	case T_PHONES:
	case T_IPS:
		items = *(char **const *)v;
		for (n = 0; items != NULL && items[n] != NULL && n < i; n++)
			;
		return items != NULL && n == i ? items[n] : NULL;
	case T_DATES:
		if (i >= h->n)
			return NULL;
		t = (time_t)h->days[i] * 86400;
		return gmtime_r(&t, &tm) != NULL &&
			strftime(buf, len, "%Y-%m-%d", &tm) != 0
		    ? buf
		    : NULL;
	case T_POINTS:
		if (i >= r->npoints)
			return NULL;
		fmt_real(lat, sizeof lat, r->points[i].latitude);
		fmt_real(lon, sizeof lon, r->points[i].longitude);
		snprintf(
		    buf, len, "%s %s %s", r->points[i].kelurahan, lat, lon);
		return buf;
	default:
		break;
	}
	if (i > 0)
		return NULL;
	switch (k->type) {
	case T_SECRET:
	case T_SECKEY:
		return NULL;
	case T_BOOL:
		return *(const int *)v ? "yes" : "no";
	case T_ENUM:
		for (n = 0; k->names[n] != NULL; n++)
			if ((int)n == *(const int *)v)
				return k->names[n];
		return k->def;
	case T_COUNT:
		config_format_number(k->type, *(const int *)v, buf, len);
		break;
	case T_KBYTES:
		config_format_number(
		    k->type, (long long)*(const size_t *)v, buf, len);
		break;
	case T_BYTES:
	case T_MS:
		config_format_number(k->type, *(const long *)v, buf, len);
		break;
	case T_SECS:
		config_format_number(
		    k->type, *(const int *)v * 1000LL, buf, len);
		break;
	case T_RETAIN:
		config_format_number(k->type, *(const long long *)v, buf, len);
		break;
	case T_REAL:
		fmt_real(buf, len, *(const double *)v);
		break;
	case T_SLA:
		deadline_format(v, buf, len);
		break;
	case T_TIME:
		m = *(const int *)v;
		snprintf(buf, len, "%02d:%02d", m / 60, m % 60);
		break;
	case T_OFFSET: /* WIB, WITA or WIT, else +HH:MM */
		m = *(const int *)v;
		if (m % 3600 == 0 && m / 3600 >= 7 && m / 3600 <= 9)
			return zones[m / 3600 - 7];
		snprintf(buf, len, "%c%02d:%02d", m < 0 ? '-' : '+',
		    abs(m) / 3600, abs(m) / 60 % 60);
		break;
	case T_DELAY:
		config_format_number(k->type,
		    cfg->privacy.alert_delay_min * 1000LL, lat, sizeof lat);
		config_format_number(k->type,
		    cfg->privacy.alert_delay_max * 1000LL, lon, sizeof lon);
		if (strcmp(lat, lon) == 0)
			snprintf(buf, len, "%s", lat);
		else
			snprintf(buf, len, "%s-%s", lat, lon);
		break;
	case T_LISTEN:
		snprintf(buf, len,
		    strchr(cfg->server.listen_host, ':') != NULL ? "[%s]:%d"
								 : "%s:%d",
		    cfg->server.listen_host, cfg->server.listen_port);
		break;
	case T_PUBKEY:
		sodium_bin2base64(buf, len, v, CONFIG_KEY_BYTES,
		    sodium_base64_VARIANT_ORIGINAL);
		break;
	default: /* the char * ones */
		return *(char *const *)v;
	}
	return buf;
}

/* One key of the section in base: its value, or a comment. */
static void
print_key(const struct out *o, const struct keydef *k, const void *base)
{
	struct list l = {o, k->name, 0};
	const struct config *cfg = base; /* of T_SECKEY */
	const char *v;
	char buf[512];
	size_t i;
	int set;

	if (k->type == T_SECRET || k->type == T_SECKEY) {
		set = k->type == T_SECKEY
		    ? cfg->evidence.enabled
		    : *(char *const *)((const char *)base + k->off) != NULL;
		fprintf(o->fp, "# %s = (%s)\n", k->name,
		    set ? "set, masked" : "not set");
		return;
	}
	for (i = 0; (v = key_value(k, base, i, buf, sizeof buf)) != NULL; i++)
		if (k->type >= T_LIST && k->type <= T_IPS)
			list_item(&l, v);
		else
			fprintf(
			    o->fp, "%s%s%s\n", k->name, equals(k->name, v), v);
	if (l.col != 0)
		fputc('\n', o->fp);
	else if (i == 0 && !o->quiet)
		fprintf(o->fp, "# %s = (not set)\n", k->name);
}

/*
 * [KIND] or [KIND ID] and its keys, read from base; on a channel only
 * those of its provider (in mask).  A sparse section without an id and
 * without a key set is left out.
 */
static void
section(const struct out *o, const struct config_section *s, const char *id,
    const void *base, unsigned mask)
{
	const struct keydef *k;
	char buf[512];

	for (k = s->keys; id == NULL && s->sparse && k->name != NULL; k++)
		if (key_value(k, base, 0, buf, sizeof buf) != NULL)
			break;
	if (id == NULL && s->sparse && k->name == NULL)
		return;
	if (id == NULL)
		fprintf(o->fp, "\n[%s]\n", s->name);
	else
		fprintf(o->fp, "\n[%s %s]\n", s->name, id);
	for (k = s->keys; k->name != NULL; k++)
		if (k->providers == 0 || (k->providers & mask))
			print_key(o, k, base);
}

void
config_print(const struct config *cfg, FILE *fp)
{
	const struct config_section *s;
	const char *items;
	size_t i, n;

	fputs("# The effective configuration: every value, defaults "
	      "included.\n# Secrets are never shown.\n",
	    fp);
	for (s = config_sections; s < config_sections + SEC_COUNT; s++) {
		const struct out o = {fp, s->sparse};

		if (s->arg == NULL) {
			section(&o, s, NULL, cfg, P_ALL);
			continue;
		}
		items = *(char *const *)((const char *)cfg + s->items);
		n = *(const size_t *)((const char *)cfg + s->count);
		for (i = 0; i < n; i++) {
			const char *item = items + i * s->size;

			section(&o, s, *(char *const *)item, item,
			    s->kind == SEC_CHANNEL
				? P(((const struct channel *)item)->provider)
				: P_ALL);
		}
	}
}

/* Text as roff: no line begins with a control character, \ escaped. */
static void
roff(FILE *fp, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", fp);
	for (; *s != '\0'; s++)
		if (*s == '\\')
			fputs("\\e", fp);
		else if (*s == '-')
			fputs("\\-", fp);
		else
			fputc(*s, fp);
}

void
config_describe(FILE *fp)
{
	const struct config_section *s;
	const struct keydef *k;
	char must[512];
	unsigned p;

	for (s = config_sections; s < config_sections + SEC_COUNT; s++) {
		fprintf(fp, ".SS [%s%s%s]\n", s->name, s->arg ? " " : "",
		    s->arg ? s->arg : "");
		for (k = s->keys; k->name != NULL; k++) {
			fprintf(fp, ".TP\n.B %s\n", k->name);
			roff(fp, k->help);
			config_key_must(k, must, sizeof must);
			fputs(" (", fp);
			roff(fp, must);
			if (k->def != NULL) {
				fputs("; default ", fp);
				roff(fp, k->def);
			}
			if (k->flags & KF_REQ)
				fputs("; required", fp);
			for (p = 0; k->providers != P_ALL && p < 32; p++)
				if (k->providers & P(p))
					fprintf(fp, "; %s%s",
					    config_provider_name(p),
					    k->flags & KF_PREQ ? " (required)"
							       : "");
			fputs(").\n", fp);
		}
	}
}
