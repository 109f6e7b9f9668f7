/*
 * config_print: writes a loaded struct config back as the INI file that
 * config/config.c reads, with every value config_load() settled on: the
 * defaults of config_new(), the webhook URLs, triage, integrity_opd,
 * verifier and escalate_to filled in, phone numbers normalised, holidays
 * sorted.  Each section is a table of {key, printer, offset}; a printer
 * writes one key in the syntax its setter in config.c parses (durations
 * as "3m" or "3 wd", sizes with k or m, yes/no, comma lists continued on
 * indented lines).  An optional value that is not set, and every secret,
 * is a comment, so the output loads again with config_load_public().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "config/config.h"
#include "config/config_print.h"

#define INI_LINE_MAX 198 /* the longest line config_load() takes */
#define WRAP_COLUMN  80	 /* a list goes on to the next line before this */

#define P(x) (1u << (x))
#define WA   P(PROVIDER_WHATSAPP_CLOUD)
#define TW   P(PROVIDER_TWILIO)
#define ASG  P(PROVIDER_ANDROID_SMS_GATEWAY)
#define SS   P(PROVIDER_SMSSYNC)

struct out {
	FILE *fp;
	int quiet; /* leave out an optional key that is not set */
};

typedef void printer(const struct out *, const char *key, const void *p);

struct field {
	const char *key;
	printer *print;
	size_t off;	    /* of the value, in the section's struct */
	unsigned providers; /* [channel]: those that take the key; 0: all */
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

static void
kv(const struct out *o, const char *key, const char *v)
{
	fprintf(o->fp, "%s%s%s\n", key, equals(key, v), v);
}

static void
unset(const struct out *o, const char *key)
{
	if (!o->quiet)
		fprintf(o->fp, "# %s = (not set)\n", key);
}

static void
masked(const struct out *o, const char *key, int set)
{
	fprintf(o->fp, "# %s = (%s)\n", key, set ? "set, masked" : "not set");
}

/* Milliseconds in the largest of h, m, s and ms that divides them. */
static void
fmt_ms(char *buf, size_t len, long ms)
{
	static const struct {
		const char *name;
		long ms;
	} units[] = {{"h", 3600000L}, {"m", 60000L}, {"s", 1000L}, {"ms", 1}};
	size_t i;

	for (i = 0; ms != 0 && ms % units[i].ms != 0; i++)
		;
	if (ms == 0)
		i = 2; /* "0s" */
	snprintf(buf, len, "%ld%s", ms / units[i].ms, units[i].name);
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

static void
list_end(struct list *l)
{
	if (l->col == 0)
		unset(l->o, l->key);
	else
		fputc('\n', l->o->fp);
}

static void
pr_str(const struct out *o, const char *key, const void *p)
{
	const char *s = *(char *const *)p;

	if (s == NULL)
		unset(o, key);
	else
		kv(o, key, s);
}

static void
pr_secret(const struct out *o, const char *key, const void *p)
{
	masked(o, key, *(char *const *)p != NULL);
}

static void
pr_list(const struct out *o, const char *key, const void *p)
{
	char *const *items = *(char **const *)p;
	struct list l = {o, key, 0};

	for (; items != NULL && *items != NULL; items++)
		list_item(&l, *items);
	list_end(&l);
}

static void
pr_int(const struct out *o, const char *key, const void *p)
{
	fprintf(o->fp, "%s = %d\n", key, *(const int *)p);
}

static void
pr_yesno(const struct out *o, const char *key, const void *p)
{
	kv(o, key, *(const int *)p ? "yes" : "no");
}

/* An int of seconds, as a duration. */
static void
pr_secs(const struct out *o, const char *key, const void *p)
{
	char buf[32];

	fmt_ms(buf, sizeof buf, *(const int *)p * 1000L);
	kv(o, key, buf);
}

/* A long of milliseconds, as a duration. */
static void
pr_ms(const struct out *o, const char *key, const void *p)
{
	char buf[32];

	fmt_ms(buf, sizeof buf, *(const long *)p);
	kv(o, key, buf);
}

static void
pr_sla(const struct out *o, const char *key, const void *p)
{
	char buf[32];

	deadline_format(p, buf, sizeof buf);
	kv(o, key, buf);
}

static void
pr_real(const struct out *o, const char *key, const void *p)
{
	char buf[64];

	fmt_real(buf, sizeof buf, *(const double *)p);
	kv(o, key, buf);
}

/* A public key, in base64 as hotline keygen writes it. */
static void
pr_key(const struct out *o, const char *key, const void *p)
{
	char b64[sodium_base64_ENCODED_LEN(
	    CONFIG_KEY_BYTES, sodium_base64_VARIANT_ORIGINAL)];

	sodium_bin2base64(b64, sizeof b64, p, CONFIG_KEY_BYTES,
	    sodium_base64_VARIANT_ORIGINAL);
	kv(o, key, b64);
}

/* [retention]: seconds in the largest unit that divides them, or never. */
static void
pr_retain(const struct out *o, const char *key, const void *p)
{
	static const struct {
		char name;
		long long secs;
	} units[] = {{'y', 365 * 86400LL}, {'d', 86400}, {'h', 3600}, {'m', 60},
	    {'s', 1}};
	long long n = *(const long long *)p;
	size_t i;

	if (n == 0) {
		kv(o, key, "never");
		return;
	}
	for (i = 0; n % units[i].secs != 0; i++)
		;
	fprintf(o->fp, "%s = %lld%c\n", key, n / units[i].secs, units[i].name);
}

/* [server] max_body: bytes, or k. */
static void
pr_body(const struct out *o, const char *key, const void *p)
{
	size_t n = *(const size_t *)p;

	if (n % 1024 == 0)
		fprintf(o->fp, "%s = %zuk\n", key, n / 1024);
	else
		fprintf(o->fp, "%s = %zu\n", key, n);
}

/* [evidence] max_bytes: bytes, k or m. */
static void
pr_bytes(const struct out *o, const char *key, const void *p)
{
	long n = *(const long *)p;

	if (n % (1024L * 1024) == 0)
		fprintf(o->fp, "%s = %ldm\n", key, n / (1024L * 1024));
	else if (n % 1024 == 0)
		fprintf(o->fp, "%s = %ldk\n", key, n / 1024);
	else
		fprintf(o->fp, "%s = %ld\n", key, n);
}

/* [server] listen, from the config. */
static void
pr_listen(const struct out *o, const char *key, const void *p)
{
	const struct config *cfg = p;
	const char *h = cfg->server.listen_host;

	if (strchr(h, ':') != NULL)
		fprintf(
		    o->fp, "%s = [%s]:%d\n", key, h, cfg->server.listen_port);
	else
		fprintf(o->fp, "%s = %s:%d\n", key, h, cfg->server.listen_port);
}

static void
pr_log_level(const struct out *o, const char *key, const void *p)
{
	static const char *const names[] = {"debug", "info", "warn", "error"};
	int n = *(const int *)p;

	kv(o, key, n >= 0 && n < 4 ? names[n] : "info");
}

static void
pr_staff(const struct out *o, const char *key, const void *p)
{
	kv(o, key, *(const int *)p ? "integrity" : "opd");
}

static void
pr_alert_text(const struct out *o, const char *key, const void *p)
{
	kv(o, key,
	    *(const enum alert_text *)p == ALERT_TEXT_EXCERPT ? "excerpt"
							      : "none");
}

static void
pr_provider(const struct out *o, const char *key, const void *p)
{
	kv(o, key, config_provider_name(*(const enum provider *)p));
}

/* [sla] timezone_offset: WIB, WITA or WIT, else +HH:MM. */
static void
pr_offset(const struct out *o, const char *key, const void *p)
{
	static const char *const zones[] = {"WIB", "WITA", "WIT"};
	int s = *(const int *)p, m = abs(s) / 60;

	if (s % 3600 == 0 && s / 3600 >= 7 && s / 3600 <= 9)
		kv(o, key, zones[s / 3600 - 7]);
	else
		fprintf(o->fp, "%s = %c%02d:%02d\n", key, s < 0 ? '-' : '+',
		    m / 60, m % 60);
}

/* [digest] at: minutes after midnight as HH:MM. */
static void
pr_at(const struct out *o, const char *key, const void *p)
{
	int m = *(const int *)p;

	fprintf(o->fp, "%s = %02d:%02d\n", key, m / 60, m % 60);
}

/* [privacy] alert_delay, from the config: a duration or a range. */
static void
pr_delay(const struct out *o, const char *key, const void *p)
{
	const struct config *cfg = p;
	char lo[32], hi[32];

	fmt_ms(lo, sizeof lo, cfg->privacy.alert_delay_min * 1000L);
	fmt_ms(hi, sizeof hi, cfg->privacy.alert_delay_max * 1000L);
	if (strcmp(lo, hi) == 0)
		kv(o, key, lo);
	else
		fprintf(o->fp, "%s = %s-%s\n", key, lo, hi);
}

/* [evidence] key: never its value. */
static void
pr_evidence_key(const struct out *o, const char *key, const void *p)
{
	masked(o, key, *(const int *)p);
}

static void
pr_dates(const struct out *o, const char *key, const void *p)
{
	const struct holidays *h = p;
	struct list l = {o, key, 0};
	char buf[16];
	struct tm tm;
	time_t t;
	size_t i;

	for (i = 0; i < h->n; i++) {
		t = (time_t)h->days[i] * 86400;
		if (gmtime_r(&t, &tm) == NULL ||
		    strftime(buf, sizeof buf, "%Y-%m-%d", &tm) == 0)
			continue;
		list_item(&l, buf);
	}
	list_end(&l);
}

/* A region's points, from the region: KELURAHAN LAT LON, ... */
static void
pr_points(const struct out *o, const char *key, const void *p)
{
	const struct region *r = p;
	struct list l = {o, key, 0};
	char buf[256], lat[64], lon[64];
	size_t i;

	for (i = 0; i < r->npoints; i++) {
		fmt_real(lat, sizeof lat, r->points[i].latitude);
		fmt_real(lon, sizeof lon, r->points[i].longitude);
		snprintf(buf, sizeof buf, "%s %s %s", r->points[i].kelurahan,
		    lat, lon);
		list_item(&l, buf);
	}
	list_end(&l);
}

#define C(f) offsetof(struct config, f)

static const struct field server_fields[] = {
    {"listen", pr_listen, 0, 0},
    {"public_url", pr_str, C(server.public_url), 0},
    {"database", pr_str, C(server.database), 0},
    {"city", pr_str, C(server.city), 0},
    {"report_prefix", pr_str, C(server.report_prefix), 0},
    {"max_body", pr_body, C(server.max_body), 0},
    {"max_connections", pr_int, C(server.max_connections), 0},
    {"max_connections_per_ip", pr_int, C(server.max_connections_per_ip), 0},
    {"request_timeout", pr_int, C(server.request_timeout), 0},
    {"read_timeout", pr_int, C(server.read_timeout), 0},
    {"threads", pr_int, C(server.threads), 0},
    {"flood_per_minute", pr_int, C(server.flood_per_minute), 0},
    {"session_idle", pr_secs, C(server.session_idle), 0},
    {"log_level", pr_log_level, C(server.log_level), 0},
    {"runtime_dir", pr_str, C(server.runtime_dir), 0},
    {"trusted_proxy", pr_str, C(server.trusted_proxy), 0},
    {"metrics_from", pr_list, C(server.metrics_from), 0},
    {NULL, NULL, 0, 0},
};

static const struct field keys_fields[] = {
    {"mayor_public", pr_key, C(keys.mayor_public), 0},
    {"mayor_key", pr_str, C(keys.mayor_key), 0},
    {"demo", pr_yesno, C(keys.demo), 0},
    {"epoch", pr_secs, C(keys.epoch), 0},
    {"unseal_requires", pr_int, C(keys.unseal_requires), 0},
    {NULL, NULL, 0, 0},
};

static const struct field retention_fields[] = {
    {"identity_after", pr_retain, C(retention.identity_after), 0},
    {"text_after", pr_retain, C(retention.text_after), 0},
    {NULL, NULL, 0, 0},
};

static const struct field routing_fields[] = {
    {"triage", pr_str, C(routing.triage), 0},
    {"max_distance_km", pr_real, C(routing.max_distance_km), 0},
    {"integrity_opd", pr_str, C(routing.integrity_opd), 0},
    {"staff_accusations", pr_staff, C(routing.staff_to_integrity), 0},
    {"about_mayor", pr_str, C(routing.about_mayor), 0},
    {"verify", pr_yesno, C(routing.verify), 0},
    {"verifier", pr_str, C(routing.verifier), 0},
    {NULL, NULL, 0, 0},
};

static const struct field dispatch_fields[] = {
    {"retry_base", pr_ms, C(dispatch.retry_base_ms), 0},
    {"retry_max", pr_ms, C(dispatch.retry_max_ms), 0},
    {"max_attempts", pr_int, C(dispatch.max_attempts), 0},
    {"timeout", pr_ms, C(dispatch.timeout_ms), 0},
    {NULL, NULL, 0, 0},
};

static const struct field conversation_fields[] = {
    {"merge_window", pr_secs, C(conversation.merge_window), 0},
    {"merge_max", pr_secs, C(conversation.merge_max), 0},
    {"place_wait", pr_secs, C(conversation.place_wait), 0},
    {"info_contact", pr_str, C(conversation.info_contact), 0},
    {NULL, NULL, 0, 0},
};

static const struct field privacy_fields[] = {
    {"alert_delay", pr_delay, 0, 0},
    {NULL, NULL, 0, 0},
};

static const struct field sla_fields[] = {
    {"acknowledge", pr_sla, C(sla.acknowledge), 0},
    {"resolve", pr_sla, C(sla.resolve), 0},
    {"remind_before", pr_sla, C(sla.remind_before), 0},
    {"escalate_to", pr_str, C(sla.escalate_to), 0},
    {"timezone_offset", pr_offset, C(sla.utc_offset), 0},
    {NULL, NULL, 0, 0},
};

static const struct field holidays_fields[] = {
    {"dates", pr_dates, C(holidays), 0},
    {NULL, NULL, 0, 0},
};

static const struct field digest_fields[] = {
    {"to", pr_str, C(digest.to), 0},
    {"also_to", pr_list, C(digest.also_to), 0},
    {"channel", pr_str, C(digest.channel), 0},
    {"at", pr_at, C(digest.at_minutes), 0},
    {NULL, NULL, 0, 0},
};

static const struct field evidence_fields[] = {
    {"key", pr_evidence_key, C(evidence.enabled), 0},
    {"max_bytes", pr_bytes, C(evidence.max_bytes), 0},
    {"max_items", pr_int, C(evidence.max_items), 0},
    {NULL, NULL, 0, 0},
};

/* The sections that take no name, in the order written. */
static const struct {
	const char *name;
	const struct field *fields;
} singletons[] = {
    {"server", server_fields},
    {"keys", keys_fields},
    {"retention", retention_fields},
    {"routing", routing_fields},
    {"dispatch", dispatch_fields},
    {"conversation", conversation_fields},
    {"privacy", privacy_fields},
    {"sla", sla_fields},
    {"holidays", holidays_fields},
    {"digest", digest_fields},
    {"evidence", evidence_fields},
};

static const struct field custodian_fields[] = {
    {"public", pr_key, offsetof(struct config_custodian, public_key), 0},
    {NULL, NULL, 0, 0},
};

#define CH(f) offsetof(struct channel, f)

static const struct field channel_fields[] = {
    {"provider", pr_provider, CH(provider), 0},
    {"webhook_url", pr_str, CH(webhook_url), 0},
    {"api_base", pr_str, CH(api_base), WA | TW | ASG},
    {"phone_number_id", pr_str, CH(phone_number_id), WA},
    {"account_sid", pr_str, CH(account_sid), TW},
    {"from", pr_str, CH(from), TW},
    {"username", pr_str, CH(username), ASG},
    {"rate_per_second", pr_int, CH(rate_per_second), 0},
    {"alert_template", pr_str, CH(alert_template), WA | TW},
    {"sms_fallback", pr_str, CH(sms_fallback), WA | TW},
    {"forget_at_provider", pr_yesno, CH(forget_at_provider), TW},
    {"app_secret", pr_secret, CH(app_secret), WA},
    {"verify_token", pr_secret, CH(verify_token), WA},
    {"access_token", pr_secret, CH(access_token), WA},
    {"auth_token", pr_secret, CH(auth_token), TW},
    {"signing_key", pr_secret, CH(signing_key), ASG},
    {"password", pr_secret, CH(password), ASG},
    {"secret", pr_secret, CH(secret), SS},
    {NULL, NULL, 0, 0},
};

static const struct field category_fields[] = {
    {"name", pr_str, offsetof(struct category, name), 0},
    {"keywords", pr_list, offsetof(struct category, keywords), 0},
    {"also_notify", pr_list, offsetof(struct category, also_notify), 0},
    {NULL, NULL, 0, 0},
};

#define OPD(f) offsetof(struct opd, f)

static const struct field opd_fields[] = {
    {"name", pr_str, OPD(name), 0},
    {"keywords", pr_list, OPD(keywords), 0},
    {"regions", pr_list, OPD(regions), 0},
    {"head", pr_str, OPD(head), 0},
    {"head_channel", pr_str, OPD(head_channel), 0},
    {"deputy", pr_str, OPD(deputy), 0},
    {"deputy_channel", pr_str, OPD(deputy_channel), 0},
    {"alert_text", pr_alert_text, OPD(alert_text), 0},
    {NULL, NULL, 0, 0},
};

static const struct field region_fields[] = {
    {"name", pr_str, offsetof(struct region, name), 0},
    {"kelurahan", pr_list, offsetof(struct region, kelurahan), 0},
    {"points", pr_points, 0, 0},
    {NULL, NULL, 0, 0},
};

/*
 * [KIND] or [KIND ID] and its keys, read from base; on a channel only
 * those of its provider (in mask).
 */
static void
section(const struct out *o, const char *kind, const char *id, const void *base,
    const struct field *f, unsigned mask)
{
	if (id == NULL)
		fprintf(o->fp, "\n[%s]\n", kind);
	else
		fprintf(o->fp, "\n[%s %s]\n", kind, id);
	for (; f->key != NULL; f++)
		if (f->providers == 0 || (f->providers & mask))
			f->print(o, f->key, (const char *)base + f->off);
}

/* [templates], only when the file overrides a built-in text. */
static void
print_templates(const struct out *o, const struct config *cfg)
{
	size_t i;
	int any = 0;

	for (i = 0; i < TEMPLATE_COUNT; i++) {
		if (cfg->templates[i] == NULL)
			continue;
		if (!any++)
			fputs("\n[templates]\n", o->fp);
		kv(o, config_template_names[i], cfg->templates[i]);
	}
}

void
config_print(const struct config *cfg, FILE *fp)
{
	const struct out o = {fp, 0}, items = {fp, 1};
	size_t i, j;

	fputs("# The effective configuration: every value, defaults "
	      "included.\n# Secrets are never shown.\n",
	    fp);
	for (i = 0; i < sizeof singletons / sizeof *singletons; i++) {
		section(
		    &o, singletons[i].name, NULL, cfg, singletons[i].fields, 0);
		if (singletons[i].fields != keys_fields)
			continue;
		for (j = 0; j < cfg->keys.ncustodians; j++)
			section(&o, "custodian", cfg->keys.custodians[j].name,
			    &cfg->keys.custodians[j], custodian_fields, 0);
	}
	print_templates(&o, cfg);
	for (i = 0; i < cfg->nchannels; i++)
		section(&o, "channel", cfg->channels[i].name, &cfg->channels[i],
		    channel_fields, P(cfg->channels[i].provider));
	for (i = 0; i < cfg->ncategories; i++)
		section(&items, "category", cfg->categories[i].id,
		    &cfg->categories[i], category_fields, 0);
	for (i = 0; i < cfg->nopds; i++)
		section(&items, "opd", cfg->opds[i].id, &cfg->opds[i],
		    opd_fields, 0);
	for (i = 0; i < cfg->nregions; i++)
		section(&items, "region", cfg->regions[i].id, &cfg->regions[i],
		    region_fields, 0);
}
