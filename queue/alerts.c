/*
 * alerts: staff messages.  An alert names the report's code, category,
 * place, deadline and the link to its page; on a channel with an
 * alert_template it travels as that WhatsApp template with three body
 * parameters (a title, the code or date, the whole text on one line), so
 * that one approved template carries alerts, reminders, escalations and
 * digests alike.  The report's own words reach an alert only as an
 * excerpt that queue/mask.c has masked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "queue/alerts.h"
#include "queue/evidence.h"
#include "queue/deadline.h"
#include "queue/mask.h"
#include "queue/seal.h"
#include "queue/templates.h"

#define PARAM_MAX     900 /* bytes of the template's text parameter */
#define PLACE_MAX     160
#define LINK_MAX      512
#define TIME_TEXT_MAX 64

static const char *const titles[TEMPLATE_COUNT] = {
    [TEMPLATE_ALERT] = "Laporan baru",
    [TEMPLATE_REMINDER] = "Pengingat batas waktu",
    [TEMPLATE_ESCALATION] = "Eskalasi",
    [TEMPLATE_DIGEST] = "Ringkasan harian",
};

static const char *const kinds[TEMPLATE_COUNT] = {
    [TEMPLATE_ALERT] = "alert",
    [TEMPLATE_REMINDER] = "reminder",
    [TEMPLATE_ESCALATION] = "escalation",
    [TEMPLATE_DIGEST] = "digest",
};

/* Is number on channel the one configured (want, want_channel)? */
static int
same_contact(const char *want, const char *want_channel, const char *channel,
    const char *number)
{
	return want != NULL && strcmp(want, number) == 0 &&
	    (channel == NULL ||
		(want_channel != NULL && strcmp(want_channel, channel) == 0));
}

int
alerts_is_head_of(const struct opd *o, const char *channel, const char *number)
{
	return o != NULL && number != NULL && number[0] != '\0' &&
	    (same_contact(o->head, o->head_channel, channel, number) ||
		same_contact(o->deputy, o->deputy_channel, channel, number));
}

int
alerts_is_staff(
    const struct config *cfg, const char *channel, const char *number)
{
	size_t i;

	for (i = 0; i < cfg->nopds; i++)
		if (alerts_is_head_of(&cfg->opds[i], channel, number))
			return 1;
	return number != NULL &&
	    same_contact(cfg->digest.to, cfg->digest.channel, channel, number);
}

void
alerts_format_time(time_t t, int utc_offset, char *buf, size_t len)
{
	static const char *const days[] = {
	    "Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"};
	time_t local = t + utc_offset;
	char zone[16];
	struct tm tm;
	int off = utc_offset < 0 ? -utc_offset : utc_offset;

	if (utc_offset == 7 * 3600)
		snprintf(zone, sizeof zone, "WIB");
	else if (utc_offset == 8 * 3600)
		snprintf(zone, sizeof zone, "WITA");
	else if (utc_offset == 9 * 3600)
		snprintf(zone, sizeof zone, "WIT");
	else
		snprintf(zone, sizeof zone, "UTC%c%02d:%02d",
		    utc_offset < 0 ? '-' : '+', off / 3600, off % 3600 / 60);
	gmtime_r(&local, &tm);
	snprintf(buf, len, "%s %02d-%02d-%04d %02d:%02d %s", days[tm.tm_wday],
	    tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	    zone);
}

void
alerts_excerpt(const char *text, char out[ALERTS_EXCERPT_MAX + 1])
{
	mask_text(text, out, ALERTS_EXCERPT_MAX);
}

/* "Kel. Bandar Lor, Kec. Mojoroto", or what is known of it. */
static void
place_of(
    const struct config *cfg, const struct store_case *c, char *buf, size_t len)
{
	const char *kec = config_region_name(cfg, c->kecamatan);

	/* A region may be named "Kecamatan Kota" or just "Kota". */
	if (kec != NULL && strncasecmp(kec, "kecamatan ", 10) == 0)
		kec += 10;
	if (c->kelurahan[0] != '\0' && kec != NULL)
		snprintf(buf, len, "Kel. %s, Kec. %s", c->kelurahan, kec);
	else if (c->kelurahan[0] != '\0')
		snprintf(buf, len, "Kel. %s", c->kelurahan);
	else if (kec != NULL)
		snprintf(buf, len, "Kec. %s", kec);
	else
		snprintf(buf, len, "belum diketahui");
}

/* The digest's line when [holidays] has nothing ahead. */
#define STRINGIFY(x) #x
#define AS_TEXT(x)   STRINGIFY(x)
/* clang-format off */
#define HOLIDAYS_WARNING \
	"\nPerhatian: daftar hari libur ([holidays]) tidak berisi tanggal " \
	"dalam " AS_TEXT(HOLIDAYS_AHEAD_DAYS) " hari ke depan; tenggat " \
	"dihitung tanpa hari libur. Minta petugas TI memperbaruinya."
/* clang-format on */

/* body and then text, in a new block (body freed); NULL: out of memory. */
static char *
append(char *body, const char *text)
{
	size_t n = strlen(body), m = strlen(text);
	char *out;

	if ((out = realloc(body, n + m + 1)) == NULL) {
		free(body);
		return NULL;
	}
	memcpy(out + n, text, m + 1);
	return out;
}

/* The template's parameters: title, code (or date), the text on a line. */
static char *
params_of(enum template_id kind, const char *code, const char *body)
{
	char line[PARAM_MAX + 1], *out;
	size_t n = 0;
	json_t *a;

	for (; *body != '\0' && n < PARAM_MAX; body++)
		if (*body == '\n') {
			if (n + 3 > PARAM_MAX)
				break;
			memcpy(line + n, " | ", 3);
			n += 3;
		} else if (*body != '\r' && *body != '\t')
			line[n++] = *body;
	while (*body != '\0' && n > 0 && (line[n - 1] & 0xc0) == 0x80)
		n--; /* a character cut short */
	if (n > 0 && (unsigned char)line[n - 1] >= 0xc0)
		n--;
	line[n] = '\0';
	if ((a = json_pack("[sss]", titles[kind], code, line)) == NULL)
		return NULL;
	out = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return out;
}

/* Fill m for one destination: body is taken over. */
static int
message_to(const struct config *cfg, enum template_id kind, const char *code,
    const char *channel_name, const char *to, char *body,
    struct alert_message *m)
{
	const struct channel *ch = config_channel(cfg, channel_name);

	memset(m, 0, sizeof *m);
	m->kind = kinds[kind];
	m->channel = channel_name;
	m->destination = to;
	m->body = body;
	if (ch != NULL && ch->alert_template != NULL) {
		m->template_name = ch->alert_template;
		if ((m->params = params_of(kind, code, body)) == NULL)
			return -1;
	}
	if (ch != NULL)
		m->fallback = ch->sms_fallback;
	return 0;
}

int
alerts_about(const struct config *cfg, enum template_id kind,
    const struct store_case *c, const struct opd *opd, int resolve,
    struct alert_message out[ALERTS_PER_OPD])
{
	const char *channels[ALERTS_PER_OPD] = {
	    opd->head_channel, opd->deputy_channel};
	const char *numbers[ALERTS_PER_OPD] = {opd->head, opd->deputy};
	const struct opd *owner = config_opd(cfg, c->opd);
	char place[PLACE_MAX], due[TIME_TEXT_MAX], link[LINK_MAX];
	char excerpt[ALERTS_EXCERPT_MAX + 1], with_excerpt[sizeof excerpt + 32];
	char proof[96], words[80];
	const char *category;
	char what[96];
	int i, n = 0;

	place_of(cfg, c, place, sizeof place);
	alerts_format_time(resolve ? c->resolve_due : c->ack_due,
	    cfg->sla.utc_offset, due, sizeof due);
	snprintf(link, sizeof link, "%s/reports/%s", cfg->server.public_url,
	    c->code);
	snprintf(what, sizeof what,
	    resolve ? "diselesaikan (balas SELESAI %s catatan)"
		    : "diterima (balas TERIMA %s)",
	    c->code);
	category = config_category_name(cfg, c->category);
	with_excerpt[0] = '\0';
	if (opd->alert_text == ALERT_TEXT_EXCERPT && kind == TEMPLATE_ALERT &&
	    c->text != NULL) {
		alerts_excerpt(c->text, excerpt);
		snprintf(with_excerpt, sizeof with_excerpt,
		    "\nIsi (disamarkan): %s", excerpt);
	}
	/* what the citizen sent as proof, counted: on the report's page */
	evidence_summary(c->evidence, words, sizeof words);
	snprintf(proof, sizeof proof, "%s%s",
	    words[0] != '\0' ? "\nBukti: " : "", words);
	for (i = 0; i < ALERTS_PER_OPD; i++) {
		const struct template_var vars[] = {
		    {"evidence", proof},
		    {"code", c->code},
		    {"city", cfg->server.city},
		    {"opd", owner != NULL ? owner->name : "tim triase"},
		    {"category",
			category != NULL ? category : "belum ditentukan"},
		    {"place", place},
		    {"due", due},
		    {"what", what},
		    {"link", link},
		    {"excerpt", with_excerpt},
		};
		char *body;

		if (numbers[i] == NULL || channels[i] == NULL)
			continue;
		if ((body = templates_render(cfg, kind, vars,
			 sizeof vars / sizeof vars[0])) == NULL) {
			alerts_free(out, n);
			return -1;
		}
		if (message_to(cfg, kind, c->code, channels[i], numbers[i],
			body, &out[n++]) == -1) {
			alerts_free(out, n);
			return -1;
		}
	}
	return n;
}

int
alerts_digest(const struct config *cfg, const struct store_digest *d, int day,
    struct alert_message *out)
{
	char date[16], received[24], resolved[24], overdue[24], open[24],
	    rows[24];
	char fingerprint[SEAL_FINGERPRINT_TEXT];
	time_t t = (time_t)day * 86400;
	struct tm tm;
	char *body;
	int n = 0, i;

	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%d-%m-%Y", &tm);
	snprintf(received, sizeof received, "%lld", d->received);
	snprintf(resolved, sizeof resolved, "%lld", d->resolved);
	snprintf(overdue, sizeof overdue, "%lld", d->overdue);
	snprintf(open, sizeof open, "%lld", d->open);
	snprintf(rows, sizeof rows, "%lld", d->audit_rows);
	/* the mayor compares it with the paper: a swapped key shows */
	seal_fingerprint(cfg->keys.mayor_public, fingerprint);
	{
		const struct template_var vars[] = {
		    {"city", cfg->server.city},
		    {"date", date},
		    {"new", received},
		    {"resolved", resolved},
		    {"overdue", overdue},
		    {"open", open},
		    {"fingerprint", fingerprint},
		    {"audit_rows", rows},
		    {"audit_head", d->audit_head[0] ? d->audit_head : "-"},
		};

		if ((body = templates_render(cfg, TEMPLATE_DIGEST, vars,
			 sizeof vars / sizeof vars[0])) == NULL ||
		    (!holidays_ahead(
			 &cfg->holidays, day, HOLIDAYS_AHEAD_DAYS) &&
			(body = append(body, HOLIDAYS_WARNING)) == NULL))
			return -1;
	}
	/* the anchor kept by the mayor and by the Inspektur, off the box */
	for (i = -1; n < ALERTS_DIGEST_MAX &&
	     (i < 0 ||
		 (cfg->digest.also_to != NULL &&
		     cfg->digest.also_to[i] != NULL));
	     i++) {
		char *copy = strdup(body);

		if (copy == NULL ||
		    message_to(cfg, TEMPLATE_DIGEST, date, cfg->digest.channel,
			i < 0 ? cfg->digest.to : cfg->digest.also_to[i], copy,
			&out[n]) == -1) {
			free(copy);
			alerts_free(out, n);
			free(body);
			return -1;
		}
		n++;
	}
	free(body);
	return n;
}

void
alerts_free(struct alert_message *m, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(m[i].body);
		free(m[i].params);
		m[i].body = m[i].params = NULL;
	}
}
