/*
 * config: reads the INI file with inih and validates it into the read-only
 * struct config of config.h.  inih splits lines into sections and
 * key = value pairs; a line reader of ours feeds it, counts lines (Debian's
 * inih gives handlers no line numbers), recognises section headers itself
 * (so that an empty section is still checked) and reports syntax errors.
 * Every error is collected, none stops the parse: the operator sees them
 * all at once as "file:line: message".  Secret values never appear in a
 * message.  Secrets may come from KEY_file = PATH (systemd credentials);
 * such a file is refused when its mode lets group or others read it.
 * Also here: the checks that need the whole file (every name that refers
 * to a section, collected as it is read and looked up at the end; the
 * triage and escalation OPDs; a region's points against its kelurahan;
 * retry_max against retry_base; the [sla] durations against each other)
 * and the defaults of [routing], [dispatch], [sla], [digest] and
 * [templates].  Durations, dates and times are read by queue/deadline.c.
 */
#include <sys/stat.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>
#include <sodium.h>

#include "adapters/phone.h"
#include "config/config.h"

#define ID_MAX		 32
#define SECRET_FILE_MAX	 4096
#define MAX_BODY_LIMIT	 (1024 * 1024)
#define MAX_BODY_DEFAULT (512 * 1024) /* see config_new() */
#define MAX_SECTION_KEYS 64

/* Flags of a key. */
/* A value the example config leaves for each city to fill in. */
#define PLACEHOLDER "CHANGE-ME"

#define KF_REQ	   0x01 /* required in its section */
#define KF_SECRET  0x02 /* KEY_file allowed, mode checked; never echoed */
#define KF_PUBFILE 0x04 /* KEY_file allowed, any mode (a public key) */
#define KF_LIST	   0x08 /* comma list; may continue on indented lines */
#define KF_PREQ	   0x10 /* required for the providers it belongs to */

#define P(x) (1u << (x))
#define P_ALL                                                                  \
	(P(PROVIDER_WHATSAPP_CLOUD) | P(PROVIDER_TWILIO) |                     \
	    P(PROVIDER_ANDROID_SMS_GATEWAY) | P(PROVIDER_SMSSYNC))

struct keydef {
	const char *name;
	unsigned flags;
	unsigned providers; /* channel keys: the providers that take it */
	size_t off;	    /* channel keys: the char * in struct channel */
};

enum kind {
	SEC_NONE, /* before the first section */
	SEC_SKIP, /* a section already reported as wrong */
	SEC_SERVER,
	SEC_KEYS,
	SEC_CHANNEL,
	SEC_CATEGORY,
	SEC_OPD,
	SEC_REGION,
	SEC_ROUTING,
	SEC_DISPATCH,
	SEC_TEMPLATES,
	SEC_SLA,
	SEC_HOLIDAYS,
	SEC_DIGEST,
	SEC_CONVERSATION,
	SEC_PRIVACY,
	SEC_CUSTODIAN,
	SEC_RETENTION,
	SEC_EVIDENCE,
};

enum server_key {
	SK_LISTEN,
	SK_PUBLIC_URL,
	SK_DATABASE,
	SK_CITY,
	SK_REPORT_PREFIX,
	SK_MAX_BODY,
	SK_MAX_CONNECTIONS,
	SK_REQUEST_TIMEOUT,
	SK_THREADS,
	SK_FLOOD_PER_MINUTE,
	SK_SESSION_IDLE,
	SK_MAX_CONNECTIONS_PER_IP,
	SK_READ_TIMEOUT,
	SK_RUNTIME_DIR,
	SK_TRUSTED_PROXY,
	SK_METRICS_FROM,
	SK_LOG_LEVEL,
};

/* [server] log_level, in the order of gateway/log.h's levels */
static const char *const log_levels[] = {
    "debug", "info", "warn", "error", NULL};

static const struct keydef server_keys[] = {
    [SK_LISTEN] = {"listen", 0, 0, 0},
    [SK_PUBLIC_URL] = {"public_url", KF_REQ, 0, 0},
    [SK_DATABASE] = {"database", KF_REQ, 0, 0},
    [SK_CITY] = {"city", KF_REQ, 0, 0},
    [SK_REPORT_PREFIX] = {"report_prefix", KF_REQ, 0, 0},
    [SK_MAX_BODY] = {"max_body", 0, 0, 0},
    [SK_MAX_CONNECTIONS] = {"max_connections", 0, 0, 0},
    [SK_REQUEST_TIMEOUT] = {"request_timeout", 0, 0, 0},
    [SK_THREADS] = {"threads", 0, 0, 0},
    [SK_FLOOD_PER_MINUTE] = {"flood_per_minute", 0, 0, 0},
    [SK_SESSION_IDLE] = {"session_idle", 0, 0, 0},
    [SK_MAX_CONNECTIONS_PER_IP] = {"max_connections_per_ip", 0, 0, 0},
    [SK_READ_TIMEOUT] = {"read_timeout", 0, 0, 0},
    [SK_RUNTIME_DIR] = {"runtime_dir", 0, 0, 0},
    [SK_TRUSTED_PROXY] = {"trusted_proxy", 0, 0, 0},
    [SK_METRICS_FROM] = {"metrics_from", 0, 0, 0},
    [SK_LOG_LEVEL] = {"log_level", 0, 0, 0},
    {NULL, 0, 0, 0},
};

static const struct keydef keys_keys[] = {
    {"mayor_public", KF_REQ | KF_PUBFILE, 0, 0},
    {"mayor_key", 0, 0, 0},
    {"demo", 0, 0, 0},
    {"epoch", 0, 0, 0},
    {"unseal_requires", 0, 0, 0},
    {NULL, 0, 0, 0},
};

static const struct keydef custodian_keys[] = {
    {"public", KF_REQ | KF_PUBFILE, 0, 0},
    {NULL, 0, 0, 0},
};

enum evidence_key {
	EK_KEY,
	EK_MAX_BYTES,
	EK_MAX_ITEMS,
};

static const struct keydef evidence_keys[] = {
    [EK_KEY] = {"key", KF_SECRET, 0, 0},
    [EK_MAX_BYTES] = {"max_bytes", 0, 0, 0},
    [EK_MAX_ITEMS] = {"max_items", 0, 0, 0},
    {NULL, 0, 0, 0},
};

enum retention_key {
	RT_IDENTITY_AFTER,
	RT_TEXT_AFTER,
};

static const struct keydef retention_keys[] = {
    [RT_IDENTITY_AFTER] = {"identity_after", 0, 0, 0},
    [RT_TEXT_AFTER] = {"text_after", 0, 0, 0},
    {NULL, 0, 0, 0},
};

enum routing_key {
	RK_TRIAGE,
	RK_MAX_DISTANCE_KM,
	RK_INTEGRITY_OPD,
	RK_STAFF_ACCUSATIONS,
	RK_ABOUT_MAYOR,
	RK_VERIFY,
	RK_VERIFIER,
};

static const struct keydef routing_keys[] = {
    [RK_TRIAGE] = {"triage", 0, 0, 0},
    [RK_MAX_DISTANCE_KM] = {"max_distance_km", 0, 0, 0},
    [RK_INTEGRITY_OPD] = {"integrity_opd", 0, 0, 0},
    [RK_STAFF_ACCUSATIONS] = {"staff_accusations", 0, 0, 0},
    [RK_ABOUT_MAYOR] = {"about_mayor", 0, 0, 0},
    [RK_VERIFY] = {"verify", 0, 0, 0},
    [RK_VERIFIER] = {"verifier", 0, 0, 0},
    {NULL, 0, 0, 0},
};

enum dispatch_key {
	DK_RETRY_BASE,
	DK_RETRY_MAX,
	DK_MAX_ATTEMPTS,
	DK_TIMEOUT,
};

static const struct keydef dispatch_keys[] = {
    [DK_RETRY_BASE] = {"retry_base", 0, 0, 0},
    [DK_RETRY_MAX] = {"retry_max", 0, 0, 0},
    [DK_MAX_ATTEMPTS] = {"max_attempts", 0, 0, 0},
    [DK_TIMEOUT] = {"timeout", 0, 0, 0},
    {NULL, 0, 0, 0},
};

enum sla_key {
	SL_ACKNOWLEDGE,
	SL_RESOLVE,
	SL_REMIND_BEFORE,
	SL_ESCALATE_TO,
	SL_TIMEZONE_OFFSET,
};

static const struct keydef sla_keys[] = {
    [SL_ACKNOWLEDGE] = {"acknowledge", 0, 0, 0},
    [SL_RESOLVE] = {"resolve", 0, 0, 0},
    [SL_REMIND_BEFORE] = {"remind_before", 0, 0, 0},
    [SL_ESCALATE_TO] = {"escalate_to", 0, 0, 0},
    [SL_TIMEZONE_OFFSET] = {"timezone_offset", 0, 0, 0},
    {NULL, 0, 0, 0},
};

/* Perpres 76/2013: a complaint is settled in 60 days at most. */
#define SLA_MAX_MS (60LL * 24 * 3600 * 1000)
#define SLA_MAX_WD 40 /* 8 weeks of weekdays: within 60 days */

static const struct keydef holidays_keys[] = {
    {"dates", KF_LIST, 0, 0},
    {NULL, 0, 0, 0},
};

enum digest_key {
	DG_TO,
	DG_CHANNEL,
	DG_AT,
	DG_ALSO_TO,
};

enum conversation_key {
	CK_MERGE_WINDOW,
	CK_MERGE_MAX,
	CK_PLACE_WAIT,
	CK_INFO_CONTACT,
};

static const struct keydef conversation_keys[] = {
    [CK_MERGE_WINDOW] = {"merge_window", 0, 0, 0},
    [CK_MERGE_MAX] = {"merge_max", 0, 0, 0},
    [CK_PLACE_WAIT] = {"place_wait", 0, 0, 0},
    [CK_INFO_CONTACT] = {"info_contact", 0, 0, 0},
    {NULL, 0, 0, 0},
};

enum privacy_key {
	PK_ALERT_DELAY,
};

static const struct keydef privacy_keys[] = {
    [PK_ALERT_DELAY] = {"alert_delay", 0, 0, 0},
    {NULL, 0, 0, 0},
};

static const struct keydef digest_keys[] = {
    [DG_TO] = {"to", 0, 0, 0},
    [DG_CHANNEL] = {"channel", 0, 0, 0},
    [DG_AT] = {"at", 0, 0, 0},
    [DG_ALSO_TO] = {"also_to", KF_LIST, 0, 0},
    {NULL, 0, 0, 0},
};

const char *const config_template_names[TEMPLATE_COUNT] = {
    [TEMPLATE_ACK] = "ack",
    [TEMPLATE_ASK_PLACE] = "ask_place",
    [TEMPLATE_PLACE_ADDED] = "place_added",
    [TEMPLATE_STATUS] = "status",
    [TEMPLATE_UNKNOWN_RECEIPT] = "unknown_receipt",
    [TEMPLATE_ADDED] = "added",
    [TEMPLATE_TOO_MANY_TRIES] = "too_many_tries",
    [TEMPLATE_EMPTY] = "empty",
    [TEMPLATE_RESOLVED] = "resolved",
    [TEMPLATE_STAFF_ONLY] = "staff_only",
    [TEMPLATE_WELCOME] = "welcome",
    [TEMPLATE_THANKS] = "thanks",
    [TEMPLATE_ANSWER_OFFICIAL] = "answer_official",
    [TEMPLATE_ANSWER_HOW] = "answer_how",
    [TEMPLATE_ANSWER_SAFE] = "answer_safe",
    [TEMPLATE_ANSWER_DURATION] = "answer_duration",
    [TEMPLATE_ANSWER_PHOTO] = "answer_photo",
    [TEMPLATE_ANSWER_OTHER] = "answer_other",
    [TEMPLATE_NO_NUMBER] = "no_number",
    [TEMPLATE_CODE_NOT_RECEIPT] = "code_not_receipt",
    [TEMPLATE_MERGED] = "merged",
    [TEMPLATE_DUPLICATE] = "duplicate",
    [TEMPLATE_ASK_PLACE_AGAIN] = "ask_place_again",
    [TEMPLATE_NO_PLACE] = "no_place",
    [TEMPLATE_NEXT_REPORT] = "next_report",
    [TEMPLATE_ALERT] = "alert",
    [TEMPLATE_REMINDER] = "reminder",
    [TEMPLATE_ESCALATION] = "escalation",
    [TEMPLATE_DIGEST] = "digest",
    [TEMPLATE_HEAD_ACKNOWLEDGED] = "head_acknowledged",
    [TEMPLATE_HEAD_PROGRESS] = "head_progress",
    [TEMPLATE_HEAD_RESOLVED] = "head_resolved",
    [TEMPLATE_HEAD_REJECTED] = "head_rejected",
    [TEMPLATE_HEAD_REFUSED] = "head_refused",
    [TEMPLATE_HEAD_UNKNOWN] = "head_unknown",
    [TEMPLATE_HEAD_NEEDS_NOTE] = "head_needs_note",
    [TEMPLATE_HEAD_USAGE] = "head_usage",
    [TEMPLATE_HEAD_FORWARDED] = "head_forwarded",
    [TEMPLATE_HEAD_TARGET] = "head_target",
    [TEMPLATE_EVIDENCE_REFUSED] = "evidence_refused",
};

_Static_assert(TEMPLATE_COUNT <= MAX_SECTION_KEYS,
    "[templates] has more keys than a section may");

/* The same names as keys; test_config_routing checks they agree. */
static const struct keydef template_keys[TEMPLATE_COUNT + 1] = {
    [TEMPLATE_ACK] = {"ack", 0, 0, 0},
    [TEMPLATE_ASK_PLACE] = {"ask_place", 0, 0, 0},
    [TEMPLATE_PLACE_ADDED] = {"place_added", 0, 0, 0},
    [TEMPLATE_STATUS] = {"status", 0, 0, 0},
    [TEMPLATE_UNKNOWN_RECEIPT] = {"unknown_receipt", 0, 0, 0},
    [TEMPLATE_ADDED] = {"added", 0, 0, 0},
    [TEMPLATE_TOO_MANY_TRIES] = {"too_many_tries", 0, 0, 0},
    [TEMPLATE_EMPTY] = {"empty", 0, 0, 0},
    [TEMPLATE_RESOLVED] = {"resolved", 0, 0, 0},
    [TEMPLATE_STAFF_ONLY] = {"staff_only", 0, 0, 0},
    [TEMPLATE_WELCOME] = {"welcome", 0, 0, 0},
    [TEMPLATE_THANKS] = {"thanks", 0, 0, 0},
    [TEMPLATE_ANSWER_OFFICIAL] = {"answer_official", 0, 0, 0},
    [TEMPLATE_ANSWER_HOW] = {"answer_how", 0, 0, 0},
    [TEMPLATE_ANSWER_SAFE] = {"answer_safe", 0, 0, 0},
    [TEMPLATE_ANSWER_DURATION] = {"answer_duration", 0, 0, 0},
    [TEMPLATE_ANSWER_PHOTO] = {"answer_photo", 0, 0, 0},
    [TEMPLATE_ANSWER_OTHER] = {"answer_other", 0, 0, 0},
    [TEMPLATE_NO_NUMBER] = {"no_number", 0, 0, 0},
    [TEMPLATE_CODE_NOT_RECEIPT] = {"code_not_receipt", 0, 0, 0},
    [TEMPLATE_MERGED] = {"merged", 0, 0, 0},
    [TEMPLATE_DUPLICATE] = {"duplicate", 0, 0, 0},
    [TEMPLATE_ASK_PLACE_AGAIN] = {"ask_place_again", 0, 0, 0},
    [TEMPLATE_NO_PLACE] = {"no_place", 0, 0, 0},
    [TEMPLATE_NEXT_REPORT] = {"next_report", 0, 0, 0},
    [TEMPLATE_ALERT] = {"alert", 0, 0, 0},
    [TEMPLATE_REMINDER] = {"reminder", 0, 0, 0},
    [TEMPLATE_ESCALATION] = {"escalation", 0, 0, 0},
    [TEMPLATE_DIGEST] = {"digest", 0, 0, 0},
    [TEMPLATE_HEAD_ACKNOWLEDGED] = {"head_acknowledged", 0, 0, 0},
    [TEMPLATE_HEAD_PROGRESS] = {"head_progress", 0, 0, 0},
    [TEMPLATE_HEAD_RESOLVED] = {"head_resolved", 0, 0, 0},
    [TEMPLATE_HEAD_REJECTED] = {"head_rejected", 0, 0, 0},
    [TEMPLATE_HEAD_REFUSED] = {"head_refused", 0, 0, 0},
    [TEMPLATE_HEAD_UNKNOWN] = {"head_unknown", 0, 0, 0},
    [TEMPLATE_HEAD_NEEDS_NOTE] = {"head_needs_note", 0, 0, 0},
    [TEMPLATE_HEAD_USAGE] = {"head_usage", 0, 0, 0},
    [TEMPLATE_HEAD_FORWARDED] = {"head_forwarded", 0, 0, 0},
    [TEMPLATE_HEAD_TARGET] = {"head_target", 0, 0, 0},
    [TEMPLATE_EVIDENCE_REFUSED] = {"evidence_refused", 0, 0, 0},
    [TEMPLATE_COUNT] = {NULL, 0, 0, 0},
};

#define WA    P(PROVIDER_WHATSAPP_CLOUD)
#define TW    P(PROVIDER_TWILIO)
#define ASG   P(PROVIDER_ANDROID_SMS_GATEWAY)
#define SS    P(PROVIDER_SMSSYNC)
#define CH(f) offsetof(struct channel, f)

enum channel_key {
	CK_PROVIDER,
	CK_WEBHOOK_URL,
	CK_API_BASE,
	CK_PHONE_NUMBER_ID,
	CK_ACCOUNT_SID,
	CK_FROM,
	CK_USERNAME,
	CK_RATE_PER_SECOND,
	CK_ALERT_TEMPLATE,
	CK_SMS_FALLBACK,
	CK_FORGET_AT_PROVIDER,
	CK_FIRST_SECRET, /* the rest are secrets */
};

static const struct keydef channel_keys[] = {
    [CK_PROVIDER] = {"provider", KF_REQ, P_ALL, 0},
    [CK_WEBHOOK_URL] = {"webhook_url", 0, P_ALL, CH(webhook_url)},
    [CK_API_BASE] = {"api_base", 0, WA | TW | ASG, CH(api_base)},
    [CK_PHONE_NUMBER_ID] = {"phone_number_id", 0, WA, CH(phone_number_id)},
    [CK_ACCOUNT_SID] = {"account_sid", KF_PREQ, TW, CH(account_sid)},
    [CK_FROM] = {"from", 0, TW, CH(from)},
    [CK_USERNAME] = {"username", 0, ASG, CH(username)},
    [CK_RATE_PER_SECOND] = {"rate_per_second", 0, P_ALL, 0},
    [CK_ALERT_TEMPLATE] = {"alert_template", 0, WA | TW, CH(alert_template)},
    [CK_SMS_FALLBACK] = {"sms_fallback", 0, WA | TW, CH(sms_fallback)},
    [CK_FORGET_AT_PROVIDER] = {"forget_at_provider", 0, TW, 0},
    {"app_secret", KF_SECRET | KF_PREQ, WA, CH(app_secret)},
    {"verify_token", KF_SECRET | KF_PREQ, WA, CH(verify_token)},
    {"access_token", KF_SECRET, WA, CH(access_token)},
    {"auth_token", KF_SECRET | KF_PREQ, TW, CH(auth_token)},
    {"signing_key", KF_SECRET | KF_PREQ, ASG, CH(signing_key)},
    {"password", KF_SECRET, ASG, CH(password)},
    {"secret", KF_SECRET | KF_PREQ, SS, CH(secret)},
    {NULL, 0, 0, 0},
};

/* [category ID], [opd ID] and [region ID] share the first two. */
enum item_key {
	IK_NAME,
	IK_LIST, /* keywords, or a region's kelurahan */
	IK_HEAD,
	IK_HEAD_CHANNEL,
	IK_REGIONS,
	IK_DEPUTY,
	IK_DEPUTY_CHANNEL,
	IK_ALERT_TEXT,
	IK_POINTS = IK_HEAD,	  /* a region's third key */
	IK_ALSO_NOTIFY = IK_HEAD, /* a category's third key */
};

static const struct keydef category_keys[] = {
    [IK_NAME] = {"name", KF_REQ, 0, 0},
    [IK_LIST] = {"keywords", KF_LIST, 0, 0},
    [IK_ALSO_NOTIFY] = {"also_notify", KF_LIST, 0, 0},
    {NULL, 0, 0, 0},
};

static const struct keydef opd_keys[] = {
    [IK_NAME] = {"name", KF_REQ, 0, 0},
    [IK_LIST] = {"keywords", KF_LIST, 0, 0},
    [IK_HEAD] = {"head", 0, 0, 0},
    [IK_HEAD_CHANNEL] = {"head_channel", 0, 0, 0},
    [IK_REGIONS] = {"regions", KF_LIST, 0, 0},
    [IK_DEPUTY] = {"deputy", 0, 0, 0},
    [IK_DEPUTY_CHANNEL] = {"deputy_channel", 0, 0, 0},
    [IK_ALERT_TEXT] = {"alert_text", 0, 0, 0},
    {NULL, 0, 0, 0},
};

static const struct keydef region_keys[] = {
    [IK_NAME] = {"name", KF_REQ, 0, 0},
    [IK_LIST] = {"kelurahan", KF_REQ | KF_LIST, 0, 0},
    [IK_POINTS] = {"points", KF_LIST, 0, 0},
    {NULL, 0, 0, 0},
};

static const char *const provider_names[] = {
    [PROVIDER_WHATSAPP_CLOUD] = "whatsapp_cloud",
    [PROVIDER_TWILIO] = "twilio",
    [PROVIDER_ANDROID_SMS_GATEWAY] = "android_sms_gateway",
    [PROVIDER_SMSSYNC] = "smssync",
};

/* The sections that take no name and appear at most once. */
static const struct {
	const char *name;
	enum kind kind;
	const struct keydef *keys;
} singletons[] = {
    {"server", SEC_SERVER, server_keys},
    {"keys", SEC_KEYS, keys_keys},
    {"routing", SEC_ROUTING, routing_keys},
    {"dispatch", SEC_DISPATCH, dispatch_keys},
    {"templates", SEC_TEMPLATES, template_keys},
    {"sla", SEC_SLA, sla_keys},
    {"holidays", SEC_HOLIDAYS, holidays_keys},
    {"digest", SEC_DIGEST, digest_keys},
    {"conversation", SEC_CONVERSATION, conversation_keys},
    {"privacy", SEC_PRIVACY, privacy_keys},
    {"retention", SEC_RETENTION, retention_keys},
    {"evidence", SEC_EVIDENCE, evidence_keys},
};
#define NSINGLETONS (sizeof singletons / sizeof *singletons)

/*
 * A name that refers to a section, checked once the whole file is read:
 * "KEY NAME names no [SECTION NAME]" ("KEY: NAME" for a list's item).
 */
enum ref_kind {
	REF_CHANNEL,
	REF_SMS_CHANNEL, /* a channel that sends SMS, not the owner itself */
	REF_OPD,
	REF_REGION,
};

struct ref {
	int line;
	enum ref_kind kind;
	const char *key;
	int list;
	size_t owner; /* the index of the section it is in */
	char name[41];
};

struct errmsg {
	int line;
	size_t seq; /* keeps errors of one line in the order found */
	char *text;
};

struct parser {
	struct config *cfg;
	const char *path; /* as given, for messages */
	char *dir;	  /* its directory, for relative KEY_file paths */
	FILE *fp;
	char *buf; /* the current raw line */
	size_t bufcap;
	int lineno;
	int prev_key;	  /* a key line since the section header */
	int continuation; /* the current line continues the previous key */

	struct errmsg *msgs;
	size_t nmsgs;
	size_t lost; /* errors not kept for want of memory */
	int nerr;

	/* the current section */
	enum kind kind;
	const struct keydef *keys;
	char secname[80];
	int secline;
	size_t idx; /* of the channel, category, opd or region */
	int seen[MAX_SECTION_KEYS];	 /* line of each key, 0: not yet */
	int seen_file[MAX_SECTION_KEYS]; /* given as KEY_file */
	int provider_set;

	int single_line[NSINGLETONS]; /* of each singleton section, 0: none */
	/* first line of each channel, category, opd, region */
	int *lines[5];
	int *point_lines;   /* per point of the current region */
	int *holiday_lines; /* per holiday */
	struct ref *refs;
	size_t nrefs;
	int no_secrets; /* config_load_public(): secret files are not read */
	int retry_base_line, retry_max_line;
	int sla_lines[SL_REMIND_BEFORE + 1]; /* of each duration, 0: none */
};

static void config_error(struct parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Errors are kept, then written sorted by line (see write_errors()). */
static void
config_error(struct parser *p, int line, const char *fmt, ...)
{
	struct errmsg *nm;
	char msg[512];
	va_list ap;

	p->nerr++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if ((nm = realloc(p->msgs, (p->nmsgs + 1) * sizeof *nm)) == NULL) {
		p->lost++;
		return;
	}
	p->msgs = nm;
	nm[p->nmsgs].line = line;
	nm[p->nmsgs].seq = p->nmsgs;
	if ((nm[p->nmsgs].text = strdup(msg)) == NULL) {
		p->lost++;
		return;
	}
	p->nmsgs++;
}

static int
cmp_errmsg(const void *a, const void *b)
{
	const struct errmsg *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Write the errors, one "file:line: message" a line, truncated to errlen. */
static void
write_errors(struct parser *p, char *errs, size_t errlen)
{
	size_t i, pos = 0;
	int n;

	if (p->nmsgs > 0)
		qsort(p->msgs, p->nmsgs, sizeof *p->msgs, cmp_errmsg);
	for (i = 0; errs != NULL && errlen > 0 && i <= p->nmsgs; i++) {
		if (i == p->nmsgs && p->lost == 0)
			break;
		if (i == p->nmsgs)
			n = snprintf(errs + pos, errlen - pos,
			    "%s: %zu more errors (out of memory)\n", p->path,
			    p->lost);
		else if (p->msgs[i].line > 0)
			n = snprintf(errs + pos, errlen - pos, "%s:%d: %s\n",
			    p->path, p->msgs[i].line, p->msgs[i].text);
		else
			n = snprintf(errs + pos, errlen - pos, "%s: %s\n",
			    p->path, p->msgs[i].text);
		if (n < 0 || (size_t)n >= errlen - pos)
			break;
		pos += (size_t)n;
	}
	for (i = 0; i < p->nmsgs; i++)
		free(p->msgs[i].text);
	free(p->msgs);
}

static void
free_secret(char *s)
{
	if (s == NULL)
		return;
	sodium_memzero(s, strlen(s));
	free(s);
}

static void
free_list(char **list)
{
	size_t i;

	if (list == NULL)
		return;
	for (i = 0; list[i] != NULL; i++)
		free(list[i]);
	free(list);
}

static int
valid_id(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > ID_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) ||
			isdigit((unsigned char)s[i]) || s[i] == '_' ||
			s[i] == '-') ||
		    (unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

static int
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/*
 * An absolute http:// or https:// URL with a host, no whitespace or
 * control characters, no fragment, and a query only when allow_query.
 */
static int
valid_url(const char *v, int allow_query)
{
	const char *host, *s;

	if (strncmp(v, "http://", 7) == 0)
		host = v + 7;
	else if (strncmp(v, "https://", 8) == 0)
		host = v + 8;
	else
		return 0;
	if (*host == '\0' || *host == '/' || *host == ':' || *host == '?')
		return 0;
	for (s = v; *s != '\0'; s++) {
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f ||
		    *s == '#' || *s == '\\')
			return 0;
		if (*s == '?' && !allow_query)
			return 0;
	}
	for (s = host; *s != '\0' && *s != '/' && *s != '?'; s++)
		if (*s == '@')
			return 0; /* no user:password@ in a URL we publish */
	return 1;
}

/* Strip the trailing slashes of a URL valid_url() accepted. */
static void
strip_trailing_slashes(char *s)
{
	const char *scheme = strstr(s, "://");
	size_t min = scheme != NULL ? (size_t)(scheme - s) + 4 : 1;
	size_t n = strlen(s);

	while (n > min && s[n - 1] == '/')
		s[--n] = '\0';
}

/* A decimal number in [min, max]; with allow_k a k or K suffix (x1024). */
static int
parse_number(const char *v, long min, long max, int allow_k, long *out)
{
	long n = 0, mult = 1;
	const char *s = v;

	if (!isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		if (n > (LONG_MAX - 9) / 10)
			return -1;
		n = n * 10 + (*s - '0');
	}
	if (allow_k && (*s == 'k' || *s == 'K')) {
		mult = 1024;
		s++;
	}
	if (*s != '\0')
		return -1;
	if (n > LONG_MAX / mult)
		return -1;
	n *= mult;
	if (n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

/* listen = HOST:PORT, HOST an IPv4 address or [IPv6]. */
static int
parse_listen(const char *v, char **host, int *port)
{
	const char *colon = strrchr(v, ':');
	char addr[INET6_ADDRSTRLEN + 2], buf[sizeof(struct in6_addr)];
	size_t n;
	long p;

	if (colon == NULL || colon == v)
		return -1;
	n = (size_t)(colon - v);
	if (n >= sizeof addr)
		return -1;
	memcpy(addr, v, n);
	addr[n] = '\0';
	if (addr[0] == '[') {
		if (n < 3 || addr[n - 1] != ']')
			return -1;
		addr[n - 1] = '\0';
		memmove(addr, addr + 1, n - 1);
		if (inet_pton(AF_INET6, addr, buf) != 1)
			return -1;
	} else if (inet_pton(AF_INET, addr, buf) != 1)
		return -1;
	if (strlen(colon + 1) > 5 ||
	    parse_number(colon + 1, 0, 65535, 0, &p) == -1)
		return -1;
	free(*host);
	if ((*host = strdup(addr)) == NULL)
		return -1;
	*port = (int)p;
	return 0;
}

/* yes or no: 1 or 0 into *out; -1 for anything else. */
static int
parse_yes_no(const char *v, int *out)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "no") == 0) {
		*out = strcmp(v, "yes") == 0;
		return 0;
	}
	return -1;
}

static int
set_str(struct parser *p, char **dst, const char *v, int secret)
{
	char *s;

	if ((s = strdup(v)) == NULL) {
		config_error(p, p->lineno, "out of memory");
		return -1;
	}
	if (secret)
		free_secret(*dst);
	else
		free(*dst);
	*dst = s;
	return 0;
}

/* Cut an inline "; comment" (inih leaves it on continuation lines). */
static void
cut_comment(char *s)
{
	char *c;

	for (c = s; *c != '\0'; c++)
		if (*c == ';' && c > s && isspace((unsigned char)c[-1])) {
			*c = '\0';
			return;
		}
}

/* Append the comma-separated items of v to the NULL-terminated *list. */
static int
append_list(struct parser *p, char ***list, const char *v)
{
	char *copy, *item, *next, *end, **nl;
	size_t n = 0;

	if (*list != NULL)
		while ((*list)[n] != NULL)
			n++;
	if ((copy = strdup(v)) == NULL)
		goto oom;
	cut_comment(copy);
	for (item = copy; item != NULL; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		while (isspace((unsigned char)*item))
			item++;
		end = item + strlen(item);
		while (end > item && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*item == '\0')
			continue;
		if ((nl = realloc(*list, (n + 2) * sizeof *nl)) == NULL)
			goto oom;
		*list = nl;
		if ((nl[n] = strdup(item)) == NULL) {
			nl[n] = NULL;
			goto oom;
		}
		nl[++n] = NULL;
	}
	free(copy);
	if (*list == NULL && (*list = calloc(1, sizeof **list)) == NULL)
		goto oom;
	return 0;
oom:
	free(copy);
	config_error(p, p->lineno, "out of memory");
	return -1;
}

/* Note a name the current line refers to, for check_refs(). */
static void
add_ref(struct parser *p, enum ref_kind kind, const char *key, int list,
    const char *name)
{
	struct ref *nr;

	if ((nr = realloc(p->refs, (p->nrefs + 1) * sizeof *nr)) == NULL) {
		config_error(p, p->lineno, "out of memory");
		return;
	}
	p->refs = nr;
	nr += p->nrefs++;
	nr->line = p->lineno;
	nr->kind = kind;
	nr->key = key;
	nr->list = list;
	nr->owner = p->idx;
	snprintf(nr->name, sizeof nr->name, "%.40s", name);
}

/* append_list(), each new item a reference. */
static void
append_refs(struct parser *p, char ***list, const char *v, enum ref_kind kind,
    const char *key)
{
	size_t n = 0;

	if (*list != NULL)
		while ((*list)[n] != NULL)
			n++;
	if (append_list(p, list, v) == -1)
		return;
	for (; (*list)[n] != NULL; n++)
		add_ref(p, kind, key, 1, (*list)[n]);
}

/*
 * A name that refers to a section, an id of a-z, 0-9, _ and -: set, and
 * noted for check_refs().
 */
static void
set_ref(struct parser *p, char **dst, const char *v, enum ref_kind kind,
    const char *key)
{
	if (!valid_id(v)) {
		config_error(p, p->lineno, "%s '%.40s' is not %s", key, v,
		    kind == REF_OPD ? "an OPD id" : "a channel name");
		return;
	}
	if (set_str(p, dst, v, 0) == 0)
		add_ref(p, kind, key, 0, v);
}

/* A phone number, normalised; the message never quotes it. */
static void
set_phone(struct parser *p, char **dst, const char *v, const char *key)
{
	char num[PHONE_E164_MAX];

	if (phone_normalize(v, num, sizeof num) == -1)
		config_error(p, p->lineno,
		    "%s is not a phone number (write +62 8..., 62 8... or "
		    "08...)",
		    key);
	else
		set_str(p, dst, num, 0);
}

/* append_list() of phone numbers, each normalised. */
static void
add_phones(struct parser *p, char ***list, const char *v, const char *key)
{
	char num[PHONE_E164_MAX];
	size_t n = 0;

	if (*list != NULL)
		while ((*list)[n] != NULL)
			n++;
	if (append_list(p, list, v) == -1)
		return;
	for (; (*list)[n] != NULL; n++) {
		if (phone_normalize((*list)[n], num, sizeof num) == -1) {
			config_error(p, p->lineno,
			    "%s: item %zu is not a phone number (write +62 "
			    "8..., 62 8... or 08...)",
			    key, n + 1);
			continue;
		}
		free((*list)[n]);
		if (((*list)[n] = strdup(num)) == NULL) {
			config_error(p, p->lineno, "out of memory");
			return;
		}
	}
}

/*
 * The value of KEY_file = PATH: the file's contents less one trailing
 * newline.  When secret, refuse a file group or others may read.
 */
static char *
read_value_file(struct parser *p, const char *key, const char *path, int secret)
{
	char *full = NULL, *data = NULL;
	struct stat st;
	size_t len = 0;
	ssize_t r;
	int fd = -1;

	if (*path == '\0') {
		config_error(p, p->lineno, "%s_file needs a path", key);
		goto fail;
	}
	if (path[0] == '/')
		full = strdup(path);
	else if (asprintf(&full, "%s/%s", p->dir, path) == -1)
		full = NULL;
	if (full == NULL) {
		config_error(p, p->lineno, "out of memory");
		goto fail;
	}
	if ((fd = open(full, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) ==
		-1 ||
	    fstat(fd, &st) == -1) {
		config_error(p, p->lineno, "%s: %s", full, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		config_error(p, p->lineno, "%s is not a regular file", full);
		goto fail;
	}
	if (secret && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		config_error(p, p->lineno,
		    "%s is readable by group or others; chmod 600 it", full);
		goto fail;
	}
	if (st.st_size > SECRET_FILE_MAX) {
		config_error(p, p->lineno, "%s is larger than %d bytes", full,
		    SECRET_FILE_MAX);
		goto fail;
	}
	if ((data = malloc(SECRET_FILE_MAX + 1)) == NULL) {
		config_error(p, p->lineno, "out of memory");
		goto fail;
	}
	while (len < SECRET_FILE_MAX &&
	    (r = read(fd, data + len, SECRET_FILE_MAX - len)) != 0) {
		if (r == -1) {
			if (errno == EINTR)
				continue;
			config_error(
			    p, p->lineno, "%s: %s", full, strerror(errno));
			goto fail;
		}
		len += (size_t)r;
	}
	data[len] = '\0';
	if (len > 0 && data[len - 1] == '\n') {
		data[--len] = '\0';
		if (len > 0 && data[len - 1] == '\r')
			data[--len] = '\0';
	}
	if (len == 0 || strlen(data) != len) {
		config_error(p, p->lineno, "%s is %s", full,
		    len == 0 ? "empty" : "not text");
		goto fail;
	}
	close(fd);
	free(full);
	return data;
fail:
	if (data != NULL) {
		sodium_memzero(data, SECRET_FILE_MAX + 1);
		free(data);
	}
	if (fd != -1)
		close(fd);
	free(full);
	return NULL;
}

/* Add a zeroed element to *arr (of *n), and its first line to *lines. */
static void *
add_item(struct parser *p, void *arrp, size_t *n, size_t size, int **lines)
{
	void **arr = arrp;
	char *na;
	int *nl;

	if ((na = realloc(*arr, (*n + 1) * size)) == NULL)
		goto oom;
	*arr = na;
	if ((nl = realloc(*lines, (*n + 1) * sizeof *nl)) == NULL)
		goto oom;
	*lines = nl;
	memset(na + *n * size, 0, size);
	nl[*n] = p->lineno;
	p->idx = (*n)++;
	return na + p->idx * size;
oom:
	config_error(p, p->lineno, "out of memory");
	return NULL;
}

static const struct keydef *
find_key(const struct keydef *keys, const char *name, int *is_file)
{
	size_t n = strlen(name), i;

	*is_file = 0;
	for (i = 0; keys[i].name != NULL; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	if (n <= 5 || strcmp(name + n - 5, "_file") != 0)
		return NULL;
	for (i = 0; keys[i].name != NULL; i++)
		if ((keys[i].flags & (KF_SECRET | KF_PUBFILE)) &&
		    strlen(keys[i].name) == n - 5 &&
		    strncmp(keys[i].name, name, n - 5) == 0) {
			*is_file = 1;
			return &keys[i];
		}
	return NULL;
}

static int
provider_by_name(const char *v)
{
	size_t i;

	for (i = 0; i < sizeof provider_names / sizeof *provider_names; i++)
		if (strcmp(provider_names[i], v) == 0)
			return (int)i;
	return -1;
}

/*
 * A region's points name its kelurahan (compared case-insensitively, then
 * spelt as in the kelurahan list), one point each.
 */
static void
check_points(struct parser *p, struct region *r)
{
	size_t i, j;
	char *name;

	for (i = 0; i < r->npoints; i++) {
		struct point *pt = &r->points[i];

		for (j = 0; r->kelurahan != NULL && r->kelurahan[j] != NULL;
		     j++)
			if (strcasecmp(r->kelurahan[j], pt->kelurahan) == 0)
				break;
		if (r->kelurahan == NULL || r->kelurahan[j] == NULL) {
			config_error(p, p->point_lines[i],
			    "point %.40s is not a kelurahan of [%s]",
			    pt->kelurahan, p->secname);
			continue;
		}
		if ((name = strdup(r->kelurahan[j])) == NULL) {
			config_error(p, p->point_lines[i], "out of memory");
			continue;
		}
		free(pt->kelurahan);
		pt->kelurahan = name;
		for (j = 0; j < i; j++)
			if (strcmp(r->points[j].kelurahan, name) == 0) {
				config_error(p, p->point_lines[i],
				    "duplicate point for %s (first at line "
				    "%d)",
				    name, p->point_lines[j]);
				break;
			}
	}
}

/* Forget what a line refers to: its key was refused. */
static void
drop_refs(struct parser *p, int line)
{
	size_t i, n = 0;

	for (i = 0; i < p->nrefs; i++)
		if (p->refs[i].line != line)
			p->refs[n++] = p->refs[i];
	p->nrefs = n;
}

/* Two keys of the current section that go together. */
static void
needs_together(struct parser *p, size_t a, size_t b)
{
	if ((p->seen[a] != 0) != (p->seen[b] != 0))
		config_error(p, p->secline, "[%s] needs %s and %s together",
		    p->secname, p->keys[a].name, p->keys[b].name);
}

/* A list key of the current section given without an item. */
static void
not_empty(struct parser *p, size_t k, char **list)
{
	if (p->seen[k] != 0 && (list == NULL || list[0] == NULL))
		config_error(
		    p, p->seen[k], "%s is an empty list", p->keys[k].name);
}

/* "HX" and 32 hex digits: a Twilio Content API template. */
static int
is_content_sid(const char *s)
{
	return strncmp(s, "HX", 2) == 0 && strlen(s) == 34 &&
	    strspn(s + 2, "0123456789abcdefABCDEF") == 32;
}

/* The checks that need the whole section: required and foreign keys. */
static void
end_section(struct parser *p)
{
	struct config *cfg = p->cfg;
	unsigned prov = 0;
	const struct channel *c;
	size_t i;

	if (p->keys == NULL)
		goto done;
	if (p->kind == SEC_CHANNEL && p->provider_set)
		prov = P(cfg->channels[p->idx].provider);
	for (i = 0; p->keys[i].name != NULL; i++) {
		const struct keydef *k = &p->keys[i];

		if (p->seen[i] == 0 &&
		    ((k->flags & KF_REQ) ||
			((k->flags & KF_PREQ) && (k->providers & prov))) &&
		    !(p->no_secrets && (k->flags & KF_SECRET)))
			config_error(p, p->secline, "[%s] needs %s%s",
			    p->secname, k->name,
			    prov ? " for this provider" : "");
		if (p->seen[i] != 0 && p->kind == SEC_CHANNEL && prov &&
		    !(k->providers & prov)) {
			config_error(p, p->seen[i],
			    "%s%s does not belong to a %s channel", k->name,
			    p->seen_file[i] ? "_file" : "",
			    provider_names[cfg->channels[p->idx].provider]);
			drop_refs(p, p->seen[i]);
		}
	}
	switch (p->kind) {
	case SEC_CHANNEL:
		c = &cfg->channels[p->idx];
		/*
		 * The Cloud API takes 80 messages a second a number: a
		 * city's acknowledgements keep up with a burst of reports.
		 */
		if (p->seen[CK_RATE_PER_SECOND] == 0 && p->provider_set &&
		    c->provider == PROVIDER_WHATSAPP_CLOUD)
			cfg->channels[p->idx].rate_per_second = 80;
		/* Twilio keeps every message with its sender: delete it */
		if (p->seen[CK_FORGET_AT_PROVIDER] == 0 && p->provider_set &&
		    c->provider == PROVIDER_TWILIO)
			cfg->channels[p->idx].forget_at_provider = 1;
		if (c->alert_template != NULL && p->provider_set &&
		    c->provider == PROVIDER_WHATSAPP_CLOUD &&
		    is_content_sid(c->alert_template))
			config_error(p, p->seen[CK_ALERT_TEMPLATE],
			    "alert_template %s is a Twilio Content SID; a "
			    "whatsapp_cloud channel takes the template's name",
			    c->alert_template);
		break;
	case SEC_CATEGORY:
		not_empty(p, IK_LIST, cfg->categories[p->idx].keywords);
		not_empty(
		    p, IK_ALSO_NOTIFY, cfg->categories[p->idx].also_notify);
		break;
	case SEC_OPD:
		needs_together(p, IK_HEAD, IK_HEAD_CHANNEL);
		needs_together(p, IK_DEPUTY, IK_DEPUTY_CHANNEL);
		not_empty(p, IK_LIST, cfg->opds[p->idx].keywords);
		not_empty(p, IK_REGIONS, cfg->opds[p->idx].regions);
		break;
	case SEC_REGION:
		check_points(p, &cfg->regions[p->idx]);
		not_empty(p, IK_LIST, cfg->regions[p->idx].kelurahan);
		break;
	case SEC_DIGEST:
		needs_together(p, DG_TO, DG_CHANNEL);
		break;
	case SEC_CONVERSATION:
		if (cfg->conversation.merge_max <
		    cfg->conversation.merge_window)
			config_error(p,
			    p->seen[CK_MERGE_MAX] ? p->seen[CK_MERGE_MAX]
						  : p->seen[CK_MERGE_WINDOW],
			    "merge_max must not be shorter than merge_window");
		break;
	default:
		break;
	}
done:
	p->kind = SEC_SKIP;
	p->keys = NULL;
}

static void
begin_section(struct parser *p, const char *hdr)
{
	struct config *cfg = p->cfg;
	char kind[16], id[ID_MAX + 2];
	const char *s, *rest;
	int **lines = NULL;
	size_t i, n = 0, kl;

	end_section(p);
	memset(p->seen, 0, sizeof p->seen);
	memset(p->seen_file, 0, sizeof p->seen_file);
	p->provider_set = 0;
	p->secline = p->lineno;
	snprintf(p->secname, sizeof p->secname, "%.*s", 64, hdr);

	for (s = hdr; *s != '\0' && !isspace((unsigned char)*s); s++)
		;
	kl = (size_t)(s - hdr);
	for (rest = s; isspace((unsigned char)*rest); rest++)
		;
	snprintf(kind, sizeof kind, "%.*s", (int)(kl < 15 ? kl : 15), hdr);

	for (i = 0; kl < 16 && i < NSINGLETONS; i++) {
		if (strcmp(kind, singletons[i].name) != 0)
			continue;
		if (*rest != '\0') {
			config_error(p, p->lineno, "[%s] takes no name", kind);
			return;
		}
		if (p->single_line[i] != 0) {
			config_error(p, p->lineno,
			    "duplicate section [%s] (first at line %d)", kind,
			    p->single_line[i]);
			return;
		}
		p->single_line[i] = p->lineno;
		p->kind = singletons[i].kind;
		p->keys = singletons[i].keys;
		return;
	}
	if (kl >= 16 ||
	    (strcmp(kind, "channel") != 0 && strcmp(kind, "category") != 0 &&
		strcmp(kind, "opd") != 0 && strcmp(kind, "region") != 0 &&
		strcmp(kind, "custodian") != 0)) {
		config_error(p, p->lineno,
		    "unknown section [%s]; expected [server], [keys], "
		    "[routing], [dispatch], [templates], [sla], [holidays], "
		    "[digest], [conversation], [privacy], [retention], "
		    "[evidence], "
		    "[channel NAME], [category ID], [opd ID], [region ID] or "
		    "[custodian NAME]",
		    p->secname);
		return;
	}
	if (*rest == '\0') {
		config_error(
		    p, p->lineno, "[%s] needs a name: [%s NAME]", kind, kind);
		return;
	}
	if (!valid_id(rest)) {
		config_error(p, p->lineno,
		    "[%s]: the name must be 1 to %d of a-z, 0-9, _ and -",
		    p->secname, ID_MAX);
		return;
	}
	snprintf(id, sizeof id, "%.*s", ID_MAX, rest);

	switch (kind[0] == 'c' ? kind[1] : kind[0]) {
	case 'h':
		lines = &p->lines[0];
		n = cfg->nchannels;
		for (i = 0; i < n; i++)
			if (strcmp(cfg->channels[i].name, id) == 0)
				goto dup;
		break;
	case 'a':
		lines = &p->lines[1];
		n = cfg->ncategories;
		for (i = 0; i < n; i++)
			if (strcmp(cfg->categories[i].id, id) == 0)
				goto dup;
		break;
	case 'o':
		lines = &p->lines[2];
		n = cfg->nopds;
		for (i = 0; i < n; i++)
			if (strcmp(cfg->opds[i].id, id) == 0)
				goto dup;
		break;
	case 'u':
		lines = &p->lines[4];
		n = cfg->keys.ncustodians;
		for (i = 0; i < n; i++)
			if (strcmp(cfg->keys.custodians[i].name, id) == 0)
				goto dup;
		if (strcmp(id, "mayor") == 0) {
			config_error(p, p->lineno,
			    "[custodian mayor] is [keys] mayor_public; give "
			    "another name");
			return;
		}
		break;
	default:
		lines = &p->lines[3];
		n = cfg->nregions;
		for (i = 0; i < n; i++)
			if (strcmp(cfg->regions[i].id, id) == 0)
				goto dup;
		break;
	}

	switch (kind[0] == 'c' ? kind[1] : kind[0]) {
	case 'h': {
		struct channel *c = add_item(
		    p, &cfg->channels, &cfg->nchannels, sizeof *c, lines);

		if (c == NULL || set_str(p, &c->name, id, 0) == -1)
			return;
		c->rate_per_second = 5;
		p->kind = SEC_CHANNEL;
		p->keys = channel_keys;
		break;
	}
	case 'a': {
		struct category *c = add_item(
		    p, &cfg->categories, &cfg->ncategories, sizeof *c, lines);

		if (c == NULL || set_str(p, &c->id, id, 0) == -1)
			return;
		p->kind = SEC_CATEGORY;
		p->keys = category_keys;
		break;
	}
	case 'u': {
		struct config_custodian *c = add_item(p, &cfg->keys.custodians,
		    &cfg->keys.ncustodians, sizeof *c, lines);

		if (c == NULL || set_str(p, &c->name, id, 0) == -1)
			return;
		p->kind = SEC_CUSTODIAN;
		p->keys = custodian_keys;
		break;
	}
	case 'o': {
		struct opd *o =
		    add_item(p, &cfg->opds, &cfg->nopds, sizeof *o, lines);

		if (o == NULL || set_str(p, &o->id, id, 0) == -1)
			return;
		p->kind = SEC_OPD;
		p->keys = opd_keys;
		break;
	}
	default: {
		struct region *r = add_item(
		    p, &cfg->regions, &cfg->nregions, sizeof *r, lines);

		if (r == NULL || set_str(p, &r->id, id, 0) == -1)
			return;
		free(p->point_lines);
		p->point_lines = NULL;
		p->kind = SEC_REGION;
		p->keys = region_keys;
		break;
	}
	}
	return;
dup:
	config_error(p, p->lineno, "duplicate [%s %s] (first at line %d)", kind,
	    id, (*lines)[i]);
}

static void
set_server(struct parser *p, enum server_key k, const char *v)
{
	struct config *cfg = p->cfg;
	long n;
	size_t i, len;

	switch (k) {
	case SK_LISTEN:
		if (parse_listen(v, &cfg->server.listen_host,
			&cfg->server.listen_port) == -1)
			config_error(p, p->lineno,
			    "listen '%.64s' is not HOST:PORT with an IP "
			    "address "
			    "and a port 0-65535 (127.0.0.1:8080, [::1]:8080)",
			    v);
		break;
	case SK_PUBLIC_URL:
		if (!valid_url(v, 0)) {
			config_error(p, p->lineno,
			    "public_url '%.64s' is not an http:// or https:// "
			    "URL without query or fragment",
			    v);
			break;
		}
		if (set_str(p, &cfg->server.public_url, v, 0) == 0)
			strip_trailing_slashes(cfg->server.public_url);
		break;
	case SK_METRICS_FROM: {
		size_t i;
		unsigned char addr[16];

		if (append_list(p, &cfg->server.metrics_from, v) == -1)
			break;
		for (i = 0; cfg->server.metrics_from[i] != NULL; i++) {
			const char *a = cfg->server.metrics_from[i];

			if (strcmp(a, "any") != 0 &&
			    inet_pton(AF_INET, a, addr) != 1 &&
			    inet_pton(AF_INET6, a, addr) != 1)
				config_error(p, p->lineno,
				    "metrics_from '%.64s' must be IP "
				    "addresses or any",
				    a);
		}
		break;
	}
	case SK_TRUSTED_PROXY: {
		unsigned char addr[16];

		if (inet_pton(AF_INET, v, addr) != 1 &&
		    inet_pton(AF_INET6, v, addr) != 1)
			config_error(p, p->lineno,
			    "trusted_proxy '%.64s' must be an IP address "
			    "(127.0.0.1, ::1)",
			    v);
		else
			set_str(p, &cfg->server.trusted_proxy, v, 0);
		break;
	}
	case SK_RUNTIME_DIR:
		if (*v != '/')
			config_error(p, p->lineno,
			    "runtime_dir '%.64s' must be an absolute path", v);
		else
			set_str(p, &cfg->server.runtime_dir, v, 0);
		break;
	case SK_DATABASE:
	case SK_CITY:
		if (*v == '\0') {
			config_error(
			    p, p->lineno, "%s is empty", server_keys[k].name);
			break;
		}
		set_str(p,
		    k == SK_CITY ? &cfg->server.city : &cfg->server.database, v,
		    0);
		break;
	case SK_REPORT_PREFIX:
		len = strlen(v);
		for (i = 0; i < len; i++)
			if (v[i] < 'A' || v[i] > 'Z')
				break;
		if (len < 2 || len > 5 || i != len) {
			config_error(p, p->lineno,
			    "report_prefix '%.16s' must be 2 to 5 uppercase "
			    "letters A-Z, such as KDR",
			    v);
			break;
		}
		set_str(p, &cfg->server.report_prefix, v, 0);
		break;
	case SK_MAX_BODY:
		if (parse_number(v, 1024, MAX_BODY_LIMIT, 1, &n) == -1)
			config_error(p, p->lineno,
			    "max_body '%.32s' must be bytes (or k) from 1k to "
			    "1024k",
			    v);
		else
			cfg->server.max_body = (size_t)n;
		break;
	case SK_MAX_CONNECTIONS:
		if (parse_number(v, 1, 65536, 0, &n) == -1)
			config_error(p, p->lineno,
			    "max_connections '%.32s' must be 1 to 65536", v);
		else
			cfg->server.max_connections = (int)n;
		break;
	case SK_REQUEST_TIMEOUT:
		if (parse_number(v, 1, 3600, 0, &n) == -1)
			config_error(p, p->lineno,
			    "request_timeout '%.32s' must be 1 to 3600 seconds",
			    v);
		else
			cfg->server.request_timeout = (int)n;
		break;
	case SK_MAX_CONNECTIONS_PER_IP:
		if (parse_number(v, 0, 65536, 0, &n) == -1)
			config_error(p, p->lineno,
			    "max_connections_per_ip '%.32s' must be 0 (no "
			    "limit) to 65536",
			    v);
		else
			cfg->server.max_connections_per_ip = (int)n;
		break;
	case SK_READ_TIMEOUT:
		if (parse_number(v, 1, 3600, 0, &n) == -1)
			config_error(p, p->lineno,
			    "read_timeout '%.32s' must be 1 to 3600 seconds",
			    v);
		else
			cfg->server.read_timeout = (int)n;
		break;
	case SK_LOG_LEVEL:
		for (i = 0; log_levels[i] != NULL; i++)
			if (strcmp(v, log_levels[i]) == 0)
				break;
		if (log_levels[i] == NULL)
			config_error(p, p->lineno,
			    "log_level '%.32s' must be debug, info, warn or "
			    "error",
			    v);
		else
			cfg->server.log_level = (int)i;
		break;
	case SK_THREADS:
		if (parse_number(v, 1, 256, 0, &n) == -1)
			config_error(p, p->lineno,
			    "threads '%.32s' must be 1 to 256", v);
		else
			cfg->server.threads = (int)n;
		break;
	case SK_FLOOD_PER_MINUTE:
		if (parse_number(v, 1, 100000, 0, &n) == -1)
			config_error(p, p->lineno,
			    "flood_per_minute '%.32s' must be 1 to 100000", v);
		else
			cfg->server.flood_per_minute = (int)n;
		break;
	case SK_SESSION_IDLE: {
		long ms;

		if (deadline_parse_ms(v, &ms) == -1 || ms < 1000 ||
		    ms > 24L * 3600 * 1000)
			config_error(p, p->lineno,
			    "session_idle '%.32s' must be 1s to 24h", v);
		else
			cfg->server.session_idle = (int)(ms / 1000);
		break;
	}
	}
}

static void
set_public(struct parser *p, const char *name, const char *v,
    unsigned char out[CONFIG_KEY_BYTES])
{
	unsigned char key[CONFIG_KEY_BYTES];
	size_t len = 0, i;
	const char *end = NULL;
	unsigned char acc = 0;

	if (sodium_base642bin(key, sizeof key, v, strlen(v), NULL, &len, &end,
		sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    len != sizeof key || end == NULL || *end != '\0') {
		config_error(p, p->lineno,
		    "%s is not the base64 of a %d-byte public key (the "
		    "contents of a .pub file from hotline keygen)",
		    name, CONFIG_KEY_BYTES);
		return;
	}
	for (i = 0; i < sizeof key; i++)
		acc |= key[i];
	if (acc == 0) {
		config_error(p, p->lineno, "%s is all zeros", name);
		return;
	}
	memcpy(out, key, sizeof key);
}

/*
 * [evidence]: key (the base64 of a 32-byte secret key, from hotline
 * keygen --evidence: best as key_file, a credential), max_bytes (1k to
 * 64m, with k or m) and max_items (1 to 50).
 */
static void
set_evidence(struct parser *p, enum evidence_key k, const char *v)
{
	struct config *cfg = p->cfg;
	unsigned char sk[CONFIG_KEY_BYTES];
	size_t len = 0;
	const char *end = NULL, *m;
	char num[32];
	long n;

	switch (k) {
	case EK_KEY:
		if (sodium_base642bin(sk, sizeof sk, v, strlen(v), NULL, &len,
			&end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
		    len != sizeof sk || *end != '\0') {
			config_error(p, p->lineno,
			    "key is not the base64 of a %d-byte secret key "
			    "(the evidence.key of hotline keygen --evidence)",
			    CONFIG_KEY_BYTES);
			break;
		}
		memcpy(cfg->evidence.secret_key, sk, sizeof sk);
		crypto_scalarmult_base(cfg->evidence.public_key, sk);
		cfg->evidence.enabled = 1;
		break;
	case EK_MAX_BYTES:
		/* "16m" is 16 MiB; "512k" as everywhere */
		m = strchr(v, 'm') != NULL ? strchr(v, 'm') : strchr(v, 'M');
		snprintf(num, sizeof num, "%.*s",
		    (int)(m != NULL ? (size_t)(m - v) : strlen(v)), v);
		if ((m != NULL && m[1] != '\0') ||
		    parse_number(num, 1, 64L * 1024 * 1024, m == NULL, &n) ==
			-1 ||
		    (m != NULL && n > 64) ||
		    (n *= m != NULL ? 1024L * 1024 : 1) < 1024)
			config_error(p, p->lineno,
			    "max_bytes '%.32s' must be 1k to 64m", v);
		else
			cfg->evidence.max_bytes = n;
		break;
	case EK_MAX_ITEMS:
		if (parse_number(v, 1, 50, 0, &n) == -1)
			config_error(p, p->lineno,
			    "max_items '%.32s' must be 1 to 50", v);
		else
			cfg->evidence.max_items = (int)n;
		break;
	}
	sodium_memzero(sk, sizeof sk);
}

/*
 * [retention]: a duration with a unit of s, m, h, d or y (365 days), at
 * least a second, or "never".
 */
static void
set_retention(struct parser *p, enum retention_key k, const char *v)
{
	long long n, unit;
	char *end;

	if (strcmp(v, "never") == 0) {
		n = 0;
		goto set;
	}
	n = strtoll(v, &end, 10);
	switch (*end) {
	case 's':
		unit = 1;
		break;
	case 'm':
		unit = 60;
		break;
	case 'h':
		unit = 3600;
		break;
	case 'd':
		unit = 86400;
		break;
	case 'y':
		unit = 365 * 86400LL;
		break;
	default:
		unit = 0;
		break;
	}
	if (!isdigit((unsigned char)*v) || unit == 0 || end[1] != '\0' ||
	    n < 1 || n > 100 * 365 * 86400LL / unit) {
		config_error(p, p->lineno,
		    "%s '%.32s' must be a duration (10s, 90d, 2y) up to 100y, "
		    "or never",
		    retention_keys[k].name, v);
		return;
	}
	n *= unit;
set:
	if (k == RT_IDENTITY_AFTER)
		p->cfg->retention.identity_after = n;
	else
		p->cfg->retention.text_after = n;
}

/*
 * [keys] mayor_key: the mayor's wrapped secret key, which the mayor's web
 * login unwraps for the session.  A path (relative to the config's
 * directory) to a regular file that only its owner may read.
 */
static void
set_mayor_key(struct parser *p, const char *v)
{
	struct stat st;
	char *full;

	if (v[0] == '/')
		full = strdup(v);
	else if (asprintf(&full, "%s/%s", p->dir, v) == -1)
		full = NULL;
	if (full == NULL) {
		config_error(p, p->lineno, "out of memory");
		return;
	}
	if (p->no_secrets && (stat(full, &st) == -1 || access(full, R_OK) != 0))
		; /* unreadable to a command that needs no secret: unset */
	else if (stat(full, &st) == -1)
		config_error(
		    p, p->lineno, "mayor_key %s: %s", full, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		config_error(
		    p, p->lineno, "mayor_key %s is not a regular file", full);
	else if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		config_error(p, p->lineno,
		    "mayor_key %s is readable by group or others; chmod 600 it",
		    full);
	else {
		free(p->cfg->keys.mayor_key);
		p->cfg->keys.mayor_key = full;
		return;
	}
	free(full);
}

static void
set_channel(struct parser *p, const struct keydef *k, const char *v)
{
	struct channel *c = &p->cfg->channels[p->idx];
	char **dst = (char **)(void *)((char *)c + k->off);
	size_t i;
	long n;
	int prov;

	switch (k - channel_keys) {
	case CK_PROVIDER:
		if ((prov = provider_by_name(v)) == -1) {
			config_error(p, p->lineno,
			    "provider '%.32s' is not whatsapp_cloud, twilio, "
			    "android_sms_gateway or smssync",
			    v);
			return;
		}
		c->provider = (enum provider)prov;
		p->provider_set = 1;
		return;
	case CK_FORGET_AT_PROVIDER:
		if (parse_yes_no(v, &c->forget_at_provider) == -1)
			config_error(p, p->lineno,
			    "forget_at_provider '%.32s' must be yes or no", v);
		return;
	case CK_RATE_PER_SECOND:
		if (parse_number(v, 1, 1000, 0, &n) == -1)
			config_error(p, p->lineno,
			    "rate_per_second '%.32s' must be 1 to 1000", v);
		else
			c->rate_per_second = (int)n;
		return;
	case CK_WEBHOOK_URL:
	case CK_API_BASE:
		if (!valid_url(v, k - channel_keys == CK_WEBHOOK_URL)) {
			config_error(p, p->lineno,
			    "%s '%.64s' is not an absolute http:// or "
			    "https:// URL",
			    k->name, v);
			return;
		}
		if (set_str(p, dst, v, 0) == 0 &&
		    k - channel_keys == CK_API_BASE)
			strip_trailing_slashes(*dst);
		return;
	case CK_PHONE_NUMBER_ID:
		for (i = 0; isdigit((unsigned char)v[i]); i++)
			;
		if (i == 0 || v[i] != '\0' || i > 32) {
			config_error(p, p->lineno,
			    "phone_number_id '%.40s' must be the numeric id "
			    "Meta shows for the number",
			    v);
			return;
		}
		break;
	case CK_ALERT_TEMPLATE:
		i = strlen(v);
		if ((i == 0 || i > 512 ||
			strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_") !=
			    i) &&
		    !is_content_sid(v)) {
			config_error(p, p->lineno,
			    "alert_template '%.40s' must be the name of an "
			    "approved template, 1 to 512 of a-z, 0-9 and _ (on "
			    "a twilio channel also a Content SID, HX...)",
			    v);
			return;
		}
		break;
	case CK_SMS_FALLBACK:
		set_ref(p, dst, v, REF_SMS_CHANNEL, k->name);
		return;
	case CK_ACCOUNT_SID:
		for (i = 2; isxdigit((unsigned char)v[i]); i++)
			;
		if (strncmp(v, "AC", 2) != 0 || i != 34 || v[i] != '\0') {
			config_error(p, p->lineno,
			    "account_sid '%.40s' must be AC and 32 hex digits",
			    v);
			return;
		}
		break;
	default:
		if (*v == '\0' || has_control(v)) {
			config_error(p, p->lineno, "%s is %s", k->name,
			    *v == '\0' ? "empty" : "not printable text");
			return;
		}
		break;
	}
	set_str(p, dst, v, (k->flags & KF_SECRET) != 0);
}

/*
 * A number of strtod() syntax (the daemon never calls setlocale(), so the
 * decimal point is '.') in [min, max], min excluded when open_min.
 */
static int
parse_real(const char *v, double min, double max, int open_min, double *out)
{
	char *end;
	double d;

	if (*v == '\0' || isspace((unsigned char)*v))
		return -1;
	errno = 0;
	d = strtod(v, &end);
	if (errno != 0 || *end != '\0' || !isfinite(d))
		return -1;
	if (d < min || d > max || (open_min && d == min))
		return -1;
	*out = d;
	return 0;
}

/* Cut the last word of s (words split by single or repeated spaces). */
static char *
cut_last_word(char *s)
{
	char *sp, *e = s + strlen(s);

	while (e > s && e[-1] == ' ')
		*--e = '\0';
	if ((sp = strrchr(s, ' ')) == NULL)
		return NULL;
	*sp = '\0';
	for (e = sp; e > s && e[-1] == ' ';)
		*--e = '\0';
	return sp + 1;
}

/* One "KELURAHAN LAT LON" of a region's points (blanks made ' '). */
static void
add_point(struct parser *p, struct region *r, char *item)
{
	char orig[80], *lat, *lon;
	struct point *np;
	double la, lo;
	int *nl;

	snprintf(orig, sizeof orig, "%s", item);
	if ((lon = cut_last_word(item)) == NULL ||
	    (lat = cut_last_word(item)) == NULL || *item == '\0') {
		config_error(p, p->lineno,
		    "point '%.64s' is not KELURAHAN LATITUDE LONGITUDE "
		    "(Bandar Lor -7.8089 111.9934)",
		    orig);
		return;
	}
	if (parse_real(lat, -90, 90, 0, &la) == -1) {
		config_error(p, p->lineno,
		    "point %.40s: latitude '%.32s' is not a number from -90 "
		    "to 90",
		    item, lat);
		return;
	}
	if (parse_real(lon, -180, 180, 0, &lo) == -1) {
		config_error(p, p->lineno,
		    "point %.40s: longitude '%.32s' is not a number from -180 "
		    "to 180",
		    item, lon);
		return;
	}
	if ((np = realloc(r->points, (r->npoints + 1) * sizeof *np)) == NULL)
		goto oom;
	r->points = np;
	if ((nl = realloc(p->point_lines, (r->npoints + 1) * sizeof *nl)) ==
	    NULL)
		goto oom;
	p->point_lines = nl;
	if ((np[r->npoints].kelurahan = strdup(item)) == NULL)
		goto oom;
	np[r->npoints].latitude = la;
	np[r->npoints].longitude = lo;
	nl[r->npoints] = p->lineno;
	r->npoints++;
	return;
oom:
	config_error(p, p->lineno, "out of memory");
}

/* points = KELURAHAN LAT LON, ...: each parsed as it comes. */
static void
add_points(struct parser *p, const char *v)
{
	char **items = NULL, *s;
	size_t i;

	if (append_list(p, &items, v) == -1)
		goto done;
	for (i = 0; items[i] != NULL; i++) {
		for (s = items[i]; *s != '\0'; s++)
			if (isspace((unsigned char)*s))
				*s = ' ';
		add_point(p, &p->cfg->regions[p->idx], items[i]);
	}
done:
	free_list(items);
}

/* [holidays] dates = YYYY-MM-DD, ...: each parsed as it comes. */
static void
add_dates(struct parser *p, const char *v)
{
	struct holidays *h = &p->cfg->holidays;
	char **items = NULL;
	size_t i, j;
	int day, *nd;

	if (append_list(p, &items, v) == -1)
		goto done;
	for (i = 0; items[i] != NULL; i++) {
		if (deadline_parse_date(items[i], &day) == -1) {
			config_error(p, p->lineno,
			    "bad date %.32s in [holidays] dates: write "
			    "YYYY-MM-DD, a date of the calendar (2026-03-20)",
			    items[i]);
			continue;
		}
		for (j = 0; j < h->n && h->days[j] != day; j++)
			;
		if (j < h->n) {
			config_error(p, p->lineno,
			    "duplicate date %s in [holidays] dates (first at "
			    "line %d)",
			    items[i], p->holiday_lines[j]);
			continue;
		}
		if ((nd = realloc(h->days, (h->n + 1) * sizeof *nd)) == NULL)
			goto oom;
		h->days = nd;
		nd = realloc(p->holiday_lines, (h->n + 1) * sizeof *nd);
		if (nd == NULL)
			goto oom;
		p->holiday_lines = nd;
		h->days[h->n] = day;
		p->holiday_lines[h->n++] = p->lineno;
	}
	goto done;
oom:
	config_error(p, p->lineno, "out of memory");
done:
	free_list(items);
}

/* A list value, or its continuation on an indented line. */
static void
add_list_value(struct parser *p, size_t k, const char *v)
{
	struct config *cfg = p->cfg;

	switch (p->kind) {
	case SEC_HOLIDAYS:
		add_dates(p, v);
		break;
	case SEC_CATEGORY:
		if (k == IK_ALSO_NOTIFY)
			append_refs(p, &cfg->categories[p->idx].also_notify, v,
			    REF_OPD, "also_notify");
		else
			append_list(p, &cfg->categories[p->idx].keywords, v);
		break;
	case SEC_OPD:
		if (k == IK_REGIONS)
			append_refs(p, &cfg->opds[p->idx].regions, v,
			    REF_REGION, "regions");
		else
			append_list(p, &cfg->opds[p->idx].keywords, v);
		break;
	default:
		if (k == IK_POINTS)
			add_points(p, v);
		else
			append_list(p, &cfg->regions[p->idx].kelurahan, v);
		break;
	}
}

static void
set_item(struct parser *p, enum item_key k, const char *v)
{
	struct config *cfg = p->cfg;
	struct opd *o;
	char **name;

	if (p->keys[k].flags & KF_LIST) {
		add_list_value(p, k, v);
		return;
	}
	if (k == IK_NAME) {
		if (p->kind == SEC_CATEGORY)
			name = &cfg->categories[p->idx].name;
		else if (p->kind == SEC_OPD)
			name = &cfg->opds[p->idx].name;
		else
			name = &cfg->regions[p->idx].name;
		if (*v == '\0')
			config_error(p, p->lineno, "name is empty");
		else
			set_str(p, name, v, 0);
		return;
	}
	/* the other keys are an OPD's */
	o = &cfg->opds[p->idx];
	switch (k) {
	case IK_HEAD:
	case IK_DEPUTY:
		set_phone(p, k == IK_HEAD ? &o->head : &o->deputy, v,
		    p->keys[k].name);
		break;
	case IK_HEAD_CHANNEL:
	case IK_DEPUTY_CHANNEL:
		set_ref(p,
		    k == IK_HEAD_CHANNEL ? &o->head_channel
					 : &o->deputy_channel,
		    v, REF_CHANNEL, p->keys[k].name);
		break;
	case IK_ALERT_TEXT:
		if (strcmp(v, "none") == 0)
			o->alert_text = ALERT_TEXT_NONE;
		else if (strcmp(v, "excerpt") == 0)
			o->alert_text = ALERT_TEXT_EXCERPT;
		else
			config_error(p, p->lineno,
			    "alert_text '%.16s' must be none or excerpt", v);
		break;
	default:
		break;
	}
}

/* A duration of [dispatch] (deadline_parse_ms()) in [min_ms, max_ms]. */
static int
parse_duration(const char *v, long min_ms, long max_ms, long *out)
{
	long n;

	if (deadline_parse_ms(v, &n) == -1 || n < min_ms || n > max_ms)
		return -1;
	*out = n;
	return 0;
}

#define DAY_MS (24L * 3600 * 1000)

static void
set_routing(struct parser *p, enum routing_key k, const char *v)
{
	struct config *cfg = p->cfg;

	switch (k) {
	case RK_TRIAGE:
		set_ref(p, &cfg->routing.triage, v, REF_OPD, "triage");
		break;
	case RK_MAX_DISTANCE_KM:
		if (parse_real(v, 0, 50, 1, &cfg->routing.max_distance_km) ==
		    -1)
			config_error(p, p->lineno,
			    "max_distance_km '%.32s' must be a number of "
			    "kilometres above 0, at most 50",
			    v);
		break;
	case RK_INTEGRITY_OPD:
		set_ref(p, &cfg->routing.integrity_opd, v, REF_OPD,
		    "integrity_opd");
		break;
	case RK_ABOUT_MAYOR:
		set_ref(
		    p, &cfg->routing.about_mayor, v, REF_OPD, "about_mayor");
		break;
	case RK_VERIFIER:
		set_ref(p, &cfg->routing.verifier, v, REF_OPD, "verifier");
		break;
	case RK_STAFF_ACCUSATIONS:
		if (strcmp(v, "opd") == 0 || strcmp(v, "integrity") == 0)
			cfg->routing.staff_to_integrity =
			    strcmp(v, "integrity") == 0;
		else
			config_error(p, p->lineno,
			    "staff_accusations '%.32s' must be opd or "
			    "integrity",
			    v);
		break;
	case RK_VERIFY:
		if (parse_yes_no(v, &cfg->routing.verify) == -1)
			config_error(p, p->lineno,
			    "verify '%.32s' must be yes or no", v);
		break;
	}
}

static void
set_dispatch(struct parser *p, enum dispatch_key k, const char *v)
{
	struct config *cfg = p->cfg;
	long n;

	switch (k) {
	case DK_RETRY_BASE:
	case DK_RETRY_MAX:
		if (parse_duration(v, 1, DAY_MS, &n) == -1) {
			config_error(p, p->lineno,
			    "%s '%.32s' must be a duration from 1ms to 24h, "
			    "an integer and ms, s, m or h (30s, 5m, 1h)",
			    dispatch_keys[k].name, v);
			break;
		}
		if (k == DK_RETRY_BASE) {
			cfg->dispatch.retry_base_ms = n;
			p->retry_base_line = p->lineno;
		} else {
			cfg->dispatch.retry_max_ms = n;
			p->retry_max_line = p->lineno;
		}
		break;
	case DK_MAX_ATTEMPTS:
		if (parse_number(v, 1, 100, 0, &n) == -1)
			config_error(p, p->lineno,
			    "max_attempts '%.32s' must be 1 to 100", v);
		else
			cfg->dispatch.max_attempts = (int)n;
		break;
	case DK_TIMEOUT:
		if (parse_duration(v, 1, 600000, &n) == -1)
			config_error(p, p->lineno,
			    "timeout '%.32s' must be a duration from 1ms to "
			    "10m, an integer and ms, s, m or h (500ms, 30s)",
			    v);
		else
			cfg->dispatch.timeout_ms = n;
		break;
	}
}

static void
set_sla(struct parser *p, enum sla_key k, const char *v)
{
	struct config *cfg = p->cfg;
	struct sla_duration d,
	    *dst[] = {&cfg->sla.acknowledge, &cfg->sla.resolve,
		&cfg->sla.remind_before};
	const char *name = sla_keys[k].name;

	switch (k) {
	case SL_ACKNOWLEDGE:
	case SL_RESOLVE:
	case SL_REMIND_BEFORE:
		if (deadline_parse(v, &d) == -1) {
			config_error(p, p->lineno,
			    "%s '%.32s' must be working days (3 wd) or a clock "
			    "time, an integer and ms, s, m, h or d (90s, 2h)",
			    name, v);
			break;
		}
		if (d.unit == SLA_WORKING_DAYS ? d.amount > SLA_MAX_WD
					       : d.amount > SLA_MAX_MS) {
			config_error(p, p->lineno,
			    "%s '%.32s' is longer than Perpres 76/2013 allows "
			    "(60 days): at most %d wd or 60d",
			    name, v, SLA_MAX_WD);
			break;
		}
		*dst[k] = d;
		p->sla_lines[k] = p->lineno;
		break;
	case SL_ESCALATE_TO:
		set_ref(p, &cfg->sla.escalate_to, v, REF_OPD, name);
		break;
	case SL_TIMEZONE_OFFSET:
		if (deadline_parse_offset(v, &cfg->sla.utc_offset) == -1)
			config_error(p, p->lineno,
			    "timezone_offset '%.16s' must be +HH:MM from "
			    "-12:00 to +14:00 (+07:00), or WIB, WITA or WIT",
			    v);
		break;
	}
}

static void
set_digest(struct parser *p, enum digest_key k, const char *v)
{
	struct config *cfg = p->cfg;

	switch (k) {
	case DG_TO:
		set_phone(p, &cfg->digest.to, v, "to");
		break;
	case DG_CHANNEL:
		set_ref(p, &cfg->digest.channel, v, REF_CHANNEL, "channel");
		break;
	case DG_AT:
		if (deadline_parse_time(v, &cfg->digest.at_minutes) == -1)
			config_error(p, p->lineno,
			    "at '%.16s' must be a local time HH:MM, 00:00 to "
			    "23:59",
			    v);
		break;
	case DG_ALSO_TO:
		add_phones(p, &cfg->digest.also_to, v, "also_to");
		break;
	}
}

static void
set_conversation(struct parser *p, enum conversation_key k, const char *v)
{
	struct config *cfg = p->cfg;
	long n;

	if (k == CK_INFO_CONTACT) {
		if (*v == '\0' || has_control(v))
			config_error(p, p->lineno, "info_contact is %s",
			    *v == '\0' ? "empty" : "not printable text");
		else
			set_str(p, &cfg->conversation.info_contact, v, 0);
		return;
	}
	if (deadline_parse_ms(v, &n) == -1 || n < 0 || n > DAY_MS ||
	    n % 1000 != 0) {
		config_error(p, p->lineno,
		    "%s '%.32s' must be a duration in whole seconds up to 24h "
		    "(0s, 90s, 3m, 1h)",
		    conversation_keys[k].name, v);
		return;
	}
	if (k == CK_MERGE_WINDOW)
		cfg->conversation.merge_window = (int)(n / 1000);
	else if (k == CK_MERGE_MAX)
		cfg->conversation.merge_max = (int)(n / 1000);
	else
		cfg->conversation.place_wait = (int)(n / 1000);
}

/* [keys] epoch: how long an epoch key lives, 1s to 1h. */
static void
set_epoch(struct parser *p, const char *v)
{
	long ms;

	if (deadline_parse_ms(v, &ms) == -1 || ms < 1000 || ms > 3600000 ||
	    ms % 1000 != 0)
		config_error(p, p->lineno,
		    "epoch '%.32s' must be whole seconds from 1s to 1h", v);
	else
		p->cfg->keys.epoch = (int)(ms / 1000);
}

/*
 * [privacy] alert_delay: a duration, or a range of two ("2m-10m"): the
 * first alert of a report waits a random time in it.
 */
static void
set_alert_delay(struct parser *p, const char *v)
{
	char lo[32];
	const char *dash = strchr(v, '-');
	long a, b;
	size_t n = dash != NULL ? (size_t)(dash - v) : strlen(v);

	snprintf(lo, sizeof lo, "%.*s", (int)(n < sizeof lo ? n : 0), v);
	if (strcmp(v, "0") == 0)
		snprintf(lo, sizeof lo, "0s");
	if (n >= sizeof lo || deadline_parse_ms(lo, &a) == -1 ||
	    deadline_parse_ms(dash != NULL ? dash + 1 : lo, &b) == -1 ||
	    a < 0 || b < a || b > DAY_MS || a % 1000 != 0 || b % 1000 != 0) {
		config_error(p, p->lineno,
		    "alert_delay '%.32s' must be a duration or a range of two "
		    "in whole seconds up to 24h (0, 5m, 2m-10m)",
		    v);
		return;
	}
	p->cfg->privacy.alert_delay_min = (int)(a / 1000);
	p->cfg->privacy.alert_delay_max = (int)(b / 1000);
}

static void
set_template(struct parser *p, enum template_id t, const char *v)
{
	if (*v == '\0' || has_control(v)) {
		config_error(p, p->lineno, "%s is %s", config_template_names[t],
		    *v == '\0' ? "empty" : "not printable text");
		return;
	}
	set_str(p, &p->cfg->templates[t], v, 0);
}

/* An indented line: the continuation of the key above it. */
static void
continue_key(struct parser *p, const char *name, const char *v)
{
	const struct keydef *k;
	int is_file;

	if (p->kind == SEC_SKIP)
		return;
	if (p->keys == NULL ||
	    (k = find_key(p->keys, name, &is_file)) == NULL ||
	    !(k->flags & KF_LIST) || is_file) {
		config_error(p, p->lineno,
		    "indented line continues %s; only lists (keywords, "
		    "kelurahan, regions, points, also_notify, dates) may "
		    "continue on indented lines",
		    name);
		return;
	}
	if (strchr(v, '=') != NULL) {
		config_error(p, p->lineno,
		    "indented line looks like KEY = VALUE; start keys at the "
		    "beginning of the line");
		return;
	}
	if (p->seen[k - p->keys] != 0)
		add_list_value(p, (size_t)(k - p->keys), v);
}

/* inih's handler: one key = value of the current section. */
static int
on_value(void *user, const char *section, const char *name, const char *value)
{
	struct parser *p = user;
	const struct keydef *k;
	const char *v = value;
	char *filed = NULL;
	size_t i;
	int is_file;

	(void)section; /* tracked by the reader */
	if (p->continuation) {
		continue_key(p, name, value);
		return 1;
	}
	if (p->kind == SEC_SKIP)
		return 1;
	if (p->kind == SEC_NONE) {
		config_error(p, p->lineno,
		    "%.40s is outside any section; start with [server]", name);
		return 1;
	}
	if ((k = find_key(p->keys, name, &is_file)) == NULL) {
		config_error(p, p->lineno, "unknown key %.40s in [%s]", name,
		    p->secname);
		return 1;
	}
	i = (size_t)(k - p->keys);
	if (p->seen[i] != 0) {
		if (p->seen_file[i] != is_file)
			config_error(p, p->lineno,
			    "give %s or %s_file, not both (the other at line "
			    "%d)",
			    k->name, k->name, p->seen[i]);
		else
			config_error(p, p->lineno,
			    "duplicate key %s (first at line %d)", name,
			    p->seen[i]);
		return 1;
	}
	p->seen[i] = p->lineno;
	p->seen_file[i] = is_file;
	if (strncmp(value, PLACEHOLDER, sizeof PLACEHOLDER - 1) == 0) {
		config_error(p, p->lineno,
		    "%s%s is still the example's placeholder (" PLACEHOLDER
		    "): put this city's own value there",
		    k->name, is_file ? "_file" : "");
		return 1;
	}
	if (is_file && p->no_secrets && (k->flags & KF_SECRET))
		return 1; /* a command that needs no secret reads none */
	if (is_file) {
		filed = read_value_file(
		    p, k->name, value, (k->flags & KF_SECRET) != 0);
		if (filed == NULL)
			return 1;
		v = filed;
	}
	switch (p->kind) {
	case SEC_SERVER:
		set_server(p, (enum server_key)i, v);
		break;
	case SEC_KEYS:
		if (i == 0)
			set_public(
			    p, "mayor_public", v, p->cfg->keys.mayor_public);
		else if (i == 1)
			set_mayor_key(p, v);
		else if (i == 3)
			set_epoch(p, v);
		else if (i == 4) {
			if (strcmp(v, "1") == 0 || strcmp(v, "2") == 0)
				p->cfg->keys.unseal_requires = v[0] - '0';
			else
				config_error(p, p->lineno,
				    "unseal_requires '%.16s' must be 1 or 2",
				    v);
		} else if (parse_yes_no(v, &p->cfg->keys.demo) == -1)
			config_error(
			    p, p->lineno, "demo '%.32s' must be yes or no", v);
		break;
	case SEC_CHANNEL:
		set_channel(p, k, v);
		break;
	case SEC_ROUTING:
		set_routing(p, (enum routing_key)i, v);
		break;
	case SEC_DISPATCH:
		set_dispatch(p, (enum dispatch_key)i, v);
		break;
	case SEC_TEMPLATES:
		set_template(p, (enum template_id)i, v);
		break;
	case SEC_SLA:
		set_sla(p, (enum sla_key)i, v);
		break;
	case SEC_HOLIDAYS:
		add_list_value(p, i, v);
		break;
	case SEC_DIGEST:
		set_digest(p, (enum digest_key)i, v);
		break;
	case SEC_CONVERSATION:
		set_conversation(p, (enum conversation_key)i, v);
		break;
	case SEC_PRIVACY:
		set_alert_delay(p, v);
		break;
	case SEC_CUSTODIAN:
		set_public(
		    p, "public", v, p->cfg->keys.custodians[p->idx].public_key);
		break;
	case SEC_RETENTION:
		set_retention(p, (enum retention_key)i, v);
		break;
	case SEC_EVIDENCE:
		set_evidence(p, (enum evidence_key)i, v);
		break;
	default:
		set_item(p, (enum item_key)i, v);
		break;
	}
	free_secret(filed);
	return 1;
}

/*
 * The end of the closing ']' of a section header, as inih finds it: the
 * search stops at an inline comment (";" after whitespace).
 */
static const char *
find_close(const char *s)
{
	int was_space = 0;

	for (; *s != '\0' && *s != ']'; s++) {
		if (*s == ';' && was_space)
			return NULL;
		was_space = isspace((unsigned char)*s);
	}
	return *s == ']' ? s : NULL;
}

static int
has_separator(const char *s)
{
	int was_space = 0;

	for (; *s != '\0'; s++) {
		if (*s == '=' || *s == ':')
			return 1;
		if (*s == ';' && was_space)
			return 0;
		was_space = isspace((unsigned char)*s);
	}
	return 0;
}

/*
 * inih's line reader.  It counts lines, rejects over-long ones, handles
 * section headers (inih is still given them, to reset its state) and
 * syntax errors, and tells on_value() whether the line is indented.
 */
static char *
read_line(char *str, int num, void *stream)
{
	struct parser *p = stream;
	char *s, *e, hdr[256];
	const char *close;
	ssize_t n;
	size_t len;

	if ((n = getline(&p->buf, &p->bufcap, p->fp)) == -1)
		return NULL;
	p->lineno++;
	p->continuation = 0;
	len = (size_t)n;
	while (len > 0 && (p->buf[len - 1] == '\n' || p->buf[len - 1] == '\r'))
		p->buf[--len] = '\0';
	s = p->buf;
	if (p->lineno == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0) {
		s += 3;
		len -= 3;
	}
	if (strlen(s) != len) {
		config_error(p, p->lineno, "line holds a NUL byte");
		goto blank;
	}
	if (len + 2 > (size_t)num) {
		config_error(p, p->lineno,
		    "line is longer than %d characters; continue a long list "
		    "on indented lines",
		    num - 2);
		goto blank;
	}
	e = s;
	while (isspace((unsigned char)*e))
		e++;
	if (*e == '\0' || *e == ';' || *e == '#')
		goto pass;
	if (*e == '[') {
		if ((close = find_close(e + 1)) == NULL) {
			config_error(
			    p, p->lineno, "section header without a closing ]");
			goto blank;
		}
		s = e; /* unindented, so inih sees a header, not a value */
		for (e = (char *)close + 1; isspace((unsigned char)*e); e++)
			;
		if (*e != '\0' && *e != ';' && *e != '#') {
			config_error(p, p->lineno, "text after ]");
			goto blank;
		}
		e = s + 1;
		while (isspace((unsigned char)*e))
			e++;
		len = (size_t)(close - e);
		while (len > 0 && isspace((unsigned char)e[len - 1]))
			len--;
		snprintf(hdr, sizeof hdr, "%.*s", (int)len, e);
		begin_section(p, hdr);
		p->prev_key = 0;
		goto pass;
	}
	if (p->prev_key && e > s) {
		p->continuation = 1;
		goto pass;
	}
	if (!has_separator(e)) {
		config_error(p, p->lineno, "expected KEY = VALUE or [SECTION]");
		goto blank;
	}
	p->prev_key = 1;
pass:
	memcpy(str, s, strlen(s) + 1);
	return str;
blank:
	str[0] = '\0';
	return str;
}

static struct config *
config_new(const char *path)
{
	struct config *cfg;

	if ((cfg = calloc(1, sizeof *cfg)) == NULL)
		return NULL;
	if ((cfg->path = strdup(path)) == NULL ||
	    (cfg->server.listen_host = strdup("127.0.0.1")) == NULL) {
		config_free(cfg);
		return NULL;
	}
	cfg->server.listen_port = 8080;
	/*
	 * A WhatsApp text can be 65,536 characters, and Meta writes each one
	 * outside ASCII as a 6-byte JSON escape: 384k of text alone, and then
	 * the envelope around it.  The default takes such a text whole.
	 */
	cfg->server.max_body = MAX_BODY_DEFAULT;
	cfg->server.max_connections = 1024;
	cfg->server.request_timeout = 15;
	cfg->server.max_connections_per_ip = 64;
	cfg->server.read_timeout = 10;
	cfg->server.threads = 2;
	cfg->server.log_level = 1; /* info */
	cfg->server.flood_per_minute = 10;
	cfg->server.session_idle = 15 * 60;
	cfg->routing.max_distance_km = 2.0;
	cfg->dispatch.retry_base_ms = 30 * 1000L;
	cfg->dispatch.retry_max_ms = 3600 * 1000L;
	cfg->dispatch.max_attempts = 8;
	cfg->dispatch.timeout_ms = 30 * 1000L;
	cfg->sla.acknowledge.unit = SLA_WORKING_DAYS;
	cfg->sla.acknowledge.amount = 3;
	cfg->sla.resolve.unit = SLA_WORKING_DAYS;
	cfg->sla.resolve.amount = 10;
	cfg->sla.remind_before.unit = SLA_WORKING_DAYS;
	cfg->sla.remind_before.amount = 1;
	cfg->sla.utc_offset = 7 * 3600; /* WIB */
	cfg->digest.at_minutes = 7 * 60;
	cfg->conversation.merge_window = 3 * 60;
	cfg->keys.epoch = 1;
	cfg->keys.unseal_requires = 1;
	cfg->evidence.max_bytes = 16L * 1024 * 1024;
	cfg->evidence.max_items = 10;
	cfg->retention.identity_after = 2 * 365 * 86400LL;
	cfg->privacy.alert_delay_min = 2 * 60;
	cfg->privacy.alert_delay_max = 10 * 60;
	cfg->conversation.merge_max = 15 * 60;
	cfg->conversation.place_wait = 30 * 60;
	return cfg;
}

static const struct region *
find_region(const struct config *cfg, const char *id)
{
	size_t i;

	for (i = 0; i < cfg->nregions; i++)
		if (strcmp(cfg->regions[i].id, id) == 0)
			return &cfg->regions[i];
	return NULL;
}

static int
has_opd(const struct config *cfg, const char *id)
{
	size_t i;

	for (i = 0; i < cfg->nopds; i++)
		if (strcmp(cfg->opds[i].id, id) == 0)
			return 1;
	return 0;
}

/* Each name that refers to a section names one; sms_fallback an SMS one. */
static void
check_refs(struct parser *p)
{
	static const char *const section[] = {[REF_CHANNEL] = "channel",
	    [REF_SMS_CHANNEL] = "channel",
	    [REF_OPD] = "opd",
	    [REF_REGION] = "region"};
	struct config *cfg = p->cfg;
	const struct channel *c = NULL;
	size_t i;
	int found;

	for (i = 0; i < p->nrefs; i++) {
		const struct ref *r = &p->refs[i];

		if (r->kind == REF_OPD)
			found = has_opd(cfg, r->name);
		else if (r->kind == REF_REGION)
			found = find_region(cfg, r->name) != NULL;
		else
			found = (c = config_channel(cfg, r->name)) != NULL;
		if (!found) {
			config_error(p, r->line, "%s%s %s names no [%s %s]",
			    r->key, r->list ? ":" : "", r->name,
			    section[r->kind], r->name);
			continue;
		}
		if (r->kind != REF_SMS_CHANNEL)
			continue;
		if (c == &cfg->channels[r->owner])
			config_error(p, r->line,
			    "%s %s is this channel itself; name an SMS channel",
			    r->key, r->name);
		else if (c->provider == PROVIDER_WHATSAPP_CLOUD ||
		    (c->provider == PROVIDER_TWILIO && c->from != NULL &&
			strncmp(c->from, "whatsapp:", 9) == 0))
			config_error(p, r->line,
			    "%s %s sends WhatsApp, not SMS; name an SMS "
			    "channel",
			    r->key, r->name);
	}
}

/*
 * The triage OPD: [routing] triage (check_refs() sees it names an [opd]);
 * without it the OPD "inspektorat".  A file with no [opd] at all has
 * nothing to route to and leaves triage NULL (router_new() refuses such a
 * config).  integrity_opd and verifier are by default the triage OPD.
 */
/*
 * Each custodian's key once (the mayor's too), and enough of them for
 * unseal_requires.
 */
static void
finish_custodians(struct parser *p)
{
	const struct config *cfg = p->cfg;
	size_t i, j;

	for (i = 0; i < cfg->keys.ncustodians; i++) {
		const struct config_custodian *c = &cfg->keys.custodians[i];

		if (sodium_memcmp(c->public_key, cfg->keys.mayor_public,
			CONFIG_KEY_BYTES) == 0)
			config_error(p, p->lines[4][i],
			    "[custodian %s] has the mayor's key (mayor_public)",
			    c->name);
		for (j = 0; j < i; j++)
			if (sodium_memcmp(c->public_key,
				cfg->keys.custodians[j].public_key,
				CONFIG_KEY_BYTES) == 0)
				config_error(p, p->lines[4][i],
				    "[custodian %s] has the key of [custodian "
				    "%s]",
				    c->name, cfg->keys.custodians[j].name);
	}
	if (cfg->keys.ncustodians + 1 > CONFIG_MAX_CUSTODIANS)
		config_error(p, 1, "at most %d custodians (the mayor and %d)",
		    CONFIG_MAX_CUSTODIANS, CONFIG_MAX_CUSTODIANS - 1);
	if (cfg->keys.unseal_requires == 2 && cfg->keys.ncustodians == 0)
		config_error(p, p->single_line[1],
		    "unseal_requires = 2 needs a second custodian: add a "
		    "[custodian NAME] (the Inspektur) with its public key");
}

static void
finish_routing(struct parser *p)
{
	struct config *cfg = p->cfg;
	int line = p->single_line[2] != 0 ? p->single_line[2] : 1;

	if (cfg->routing.triage == NULL && cfg->nopds > 0) {
		if (!has_opd(cfg, "inspektorat")) {
			config_error(
			    p, line, "no triage OPD: set [routing] triage");
			return;
		}
		if ((cfg->routing.triage = strdup("inspektorat")) == NULL)
			config_error(p, line, "out of memory");
	}
	if (cfg->routing.triage == NULL)
		return;
	if ((cfg->routing.integrity_opd == NULL &&
		(cfg->routing.integrity_opd = strdup(cfg->routing.triage)) ==
		    NULL) ||
	    (cfg->routing.verifier == NULL &&
		(cfg->routing.verifier = strdup(cfg->routing.triage)) == NULL))
		config_error(p, line, "out of memory");
}

/*
 * [sla]: resolve not shorter than acknowledge, and a reminder shorter than
 * each deadline, where both are of one kind (working days or clock time);
 * escalate_to by default the Inspektorat, when there is one.
 */
static void
finish_sla(struct parser *p)
{
	struct config *cfg = p->cfg;
	const struct sla_duration *d[] = {
	    &cfg->sla.acknowledge, &cfg->sla.resolve, &cfg->sla.remind_before};
	char a[32], b[32];
	size_t k;
	int line;

	if (d[SL_RESOLVE]->unit == d[SL_ACKNOWLEDGE]->unit &&
	    d[SL_RESOLVE]->amount < d[SL_ACKNOWLEDGE]->amount) {
		deadline_format(d[SL_RESOLVE], a, sizeof a);
		deadline_format(d[SL_ACKNOWLEDGE], b, sizeof b);
		line = p->sla_lines[SL_RESOLVE] ? p->sla_lines[SL_RESOLVE]
						: p->sla_lines[SL_ACKNOWLEDGE];
		config_error(p, line,
		    "resolve (%s) is shorter than acknowledge (%s)", a, b);
	}
	for (k = SL_ACKNOWLEDGE; k <= SL_RESOLVE; k++) {
		if (d[k]->unit != d[SL_REMIND_BEFORE]->unit ||
		    d[SL_REMIND_BEFORE]->amount < d[k]->amount)
			continue;
		deadline_format(d[SL_REMIND_BEFORE], a, sizeof a);
		deadline_format(d[k], b, sizeof b);
		line = p->sla_lines[SL_REMIND_BEFORE]
		    ? p->sla_lines[SL_REMIND_BEFORE]
		    : p->sla_lines[k];
		config_error(p, line,
		    "remind_before (%s) must be shorter than %s (%s)", a,
		    sla_keys[k].name, b);
		break;
	}
	if (cfg->sla.escalate_to == NULL && has_opd(cfg, "inspektorat") &&
	    (cfg->sla.escalate_to = strdup("inspektorat")) == NULL)
		config_error(p, 0, "out of memory");
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* What needs the whole file: missing sections, defaults, references. */
static void
finish(struct parser *p)
{
	struct config *cfg = p->cfg;
	size_t i;

	end_section(p);
	if (p->single_line[0] == 0)
		config_error(p, 1, "missing section [server]");
	if (p->single_line[1] == 0)
		config_error(p, 1, "missing section [keys] (mayor_public)");
	if (cfg->nchannels == 0)
		config_error(p, 1,
		    "no [channel NAME] section: the hotline needs a channel");
	for (i = 0; i < cfg->nchannels; i++) {
		struct channel *c = &cfg->channels[i];

		if (c->webhook_url != NULL || cfg->server.public_url == NULL)
			continue;
		if (asprintf(&c->webhook_url, "%s/webhook/%s",
			cfg->server.public_url, c->name) == -1) {
			c->webhook_url = NULL;
			config_error(p, p->lines[0][i], "out of memory");
		}
	}
	finish_custodians(p);
	check_refs(p);
	finish_routing(p);
	finish_sla(p);
	if (cfg->holidays.n > 1)
		qsort(cfg->holidays.days, cfg->holidays.n,
		    sizeof *cfg->holidays.days, cmp_int);
	if (cfg->dispatch.retry_max_ms < cfg->dispatch.retry_base_ms)
		config_error(p,
		    p->retry_max_line != 0 ? p->retry_max_line
					   : p->retry_base_line,
		    "retry_max (%ldms) is less than retry_base (%ldms)",
		    cfg->dispatch.retry_max_ms, cfg->dispatch.retry_base_ms);
}

static struct config *
load(const char *path, int no_secrets, char *errs, size_t errlen)
{
	struct config *cfg = NULL;
	struct parser p;
	char *slash;
	size_t i;
	int rc;

	memset(&p, 0, sizeof p);
	p.path = path;
	p.no_secrets = no_secrets;
	p.kind = SEC_NONE;
	if (errs != NULL && errlen > 0)
		errs[0] = '\0';

	if ((p.cfg = config_new(path)) == NULL ||
	    (p.dir = strdup(strchr(path, '/') != NULL ? path : ".")) == NULL) {
		config_error(&p, 0, "out of memory");
		goto done;
	}
	if ((slash = strrchr(p.dir, '/')) == p.dir)
		slash[1] = '\0';
	else if (slash != NULL)
		*slash = '\0';
	if ((p.fp = fopen(path, "re")) == NULL) {
		config_error(&p, 0, "cannot open: %s", strerror(errno));
		goto done;
	}
	rc = ini_parse_stream(read_line, &p, on_value, &p);
	if (ferror(p.fp))
		config_error(&p, p.lineno, "read error");
	else if (rc > 0)
		config_error(&p, rc, "syntax error");
	else if (rc < 0)
		config_error(&p, 0, "cannot parse (out of memory)");
	finish(&p);
done:
	if (p.nerr == 0) {
		cfg = p.cfg;
		p.cfg = NULL;
	}
	config_free(p.cfg);
	if (p.fp != NULL)
		fclose(p.fp);
	if (p.buf != NULL) {
		/* it held lines with inline secrets */
		sodium_memzero(p.buf, p.bufcap);
		free(p.buf);
	}
	free(p.dir);
	for (i = 0; i < sizeof p.lines / sizeof p.lines[0]; i++)
		free(p.lines[i]);
	free(p.point_lines);
	free(p.holiday_lines);
	free(p.refs);
	write_errors(&p, errs, errlen);
	return cfg;
}

struct config *
config_load(const char *path, char *errs, size_t errlen)
{
	return load(path, 0, errs, errlen);
}

struct config *
config_load_public(const char *path, char *errs, size_t errlen)
{
	return load(path, 1, errs, errlen);
}

void
config_free(struct config *cfg)
{
	size_t i, j;

	if (cfg == NULL)
		return;
	free(cfg->keys.mayor_key);
	sodium_memzero(
	    cfg->evidence.secret_key, sizeof cfg->evidence.secret_key);
	for (i = 0; i < cfg->keys.ncustodians; i++)
		free(cfg->keys.custodians[i].name);
	free(cfg->keys.custodians);
	free_list(cfg->digest.also_to);
	for (i = 0; i < cfg->nchannels; i++) {
		struct channel *c = &cfg->channels[i];

		free(c->name);
		free(c->webhook_url);
		free(c->api_base);
		free_secret(c->app_secret);
		free_secret(c->verify_token);
		free_secret(c->access_token);
		free(c->phone_number_id);
		free(c->account_sid);
		free_secret(c->auth_token);
		free(c->from);
		free_secret(c->signing_key);
		free(c->username);
		free_secret(c->password);
		free_secret(c->secret);
		free(c->alert_template);
		free(c->sms_fallback);
	}
	free(cfg->channels);
	for (i = 0; i < cfg->ncategories; i++) {
		free(cfg->categories[i].id);
		free(cfg->categories[i].name);
		free_list(cfg->categories[i].keywords);
		free_list(cfg->categories[i].also_notify);
	}
	free(cfg->categories);
	for (i = 0; i < cfg->nopds; i++) {
		free(cfg->opds[i].id);
		free(cfg->opds[i].name);
		free_list(cfg->opds[i].keywords);
		free(cfg->opds[i].head);
		free(cfg->opds[i].head_channel);
		free(cfg->opds[i].deputy);
		free(cfg->opds[i].deputy_channel);
		free_list(cfg->opds[i].regions);
	}
	free(cfg->opds);
	for (i = 0; i < cfg->nregions; i++) {
		free(cfg->regions[i].id);
		free(cfg->regions[i].name);
		free_list(cfg->regions[i].kelurahan);
		for (j = 0; j < cfg->regions[i].npoints; j++)
			free(cfg->regions[i].points[j].kelurahan);
		free(cfg->regions[i].points);
	}
	free(cfg->regions);
	free(cfg->routing.triage);
	free(cfg->routing.integrity_opd);
	free(cfg->routing.about_mayor);
	free(cfg->routing.verifier);
	free(cfg->sla.escalate_to);
	free(cfg->holidays.days);
	free(cfg->conversation.info_contact);
	free(cfg->digest.to);
	free(cfg->digest.channel);
	for (i = 0; i < TEMPLATE_COUNT; i++)
		free(cfg->templates[i]);
	free(cfg->server.listen_host);
	free(cfg->server.public_url);
	free(cfg->server.database);
	free(cfg->server.runtime_dir);
	free(cfg->server.trusted_proxy);
	free_list(cfg->server.metrics_from);
	free(cfg->server.city);
	free(cfg->server.report_prefix);
	free(cfg->path);
	free(cfg);
}

const struct channel *
config_channel(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nchannels; i++)
		if (strcmp(cfg->channels[i].name, name) == 0)
			return &cfg->channels[i];
	return NULL;
}

/*
 * Public keys whose secret is no secret: the repository's demo key (its
 * passphrase is in the README) and the example config's placeholder (its
 * secret was thrown away).
 */
static const struct {
	const char *base64, *what;
} public_secrets[] = {
    {"LiRgmGNt39mzNZEv9qqEH+gDM7Nd3PvJBQdOqbYM4Fw=",
	"the repository's demo key, whose passphrase is public"},
    {"He27Cj1lFpMTVD8CnCGaSeBn3CK6/s3Xq/Cf95+HFAk=",
	"the example config's placeholder, whose secret key was thrown "
	"away"},
};

const char *
config_public_secret(const struct config *cfg)
{
	unsigned char key[CONFIG_KEY_BYTES];
	size_t i, len;

	for (i = 0; i < sizeof public_secrets / sizeof *public_secrets; i++)
		if (sodium_base642bin(key, sizeof key, public_secrets[i].base64,
			strlen(public_secrets[i].base64), NULL, &len, NULL,
			sodium_base64_VARIANT_ORIGINAL) == 0 &&
		    len == sizeof key &&
		    sodium_memcmp(key, cfg->keys.mayor_public, sizeof key) == 0)
			return public_secrets[i].what;
	return NULL;
}

const struct opd *
config_opd(const struct config *cfg, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < cfg->nopds; i++)
		if (strcmp(cfg->opds[i].id, id) == 0)
			return &cfg->opds[i];
	return NULL;
}

const char *
config_opd_name(const struct config *cfg, const char *id)
{
	const struct opd *o = config_opd(cfg, id);

	return o != NULL ? o->name : NULL;
}

const char *
config_category_name(const struct config *cfg, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < cfg->ncategories; i++)
		if (strcmp(cfg->categories[i].id, id) == 0)
			return cfg->categories[i].name;
	return NULL;
}

const char *
config_region_name(const struct config *cfg, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < cfg->nregions; i++)
		if (strcmp(cfg->regions[i].id, id) == 0)
			return cfg->regions[i].name;
	return NULL;
}

const char *
config_provider_name(enum provider provider)
{
	if ((unsigned)provider >=
	    sizeof provider_names / sizeof *provider_names)
		return "unknown";
	return provider_names[provider];
}
