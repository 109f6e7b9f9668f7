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
 *
 * Every key is a row of the tables below (config/config_keys.h): its
 * type, the place of its value, its range, its default and its help.
 * set_value() reads any key by its type, the errors say what the row
 * takes, the defaults are set by the same parser, config_free() frees by
 * type, config_print and config_describe() write from the same rows.
 * What needs more than one key is written out: the checks at the end of
 * a section (end_section()) and of the file (finish(): every name that
 * refers to a section, the triage and escalation OPDs, retry_max against
 * retry_base, the [sla] durations against each other, the custodians).
 * Durations, dates and times are read by lib/duration.c.
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

#include "config/config.h"
#include "config/config_keys.h"
#include "lib/duration.h"
#include "lib/phone.h"

#define ID_MAX		 32
#define SECRET_FILE_MAX	 4096
#define MAX_SECTION_KEYS 64

/* A value the example config leaves for each city to fill in. */
#define PLACEHOLDER "CHANGE-ME"

#define DAY_MS (24LL * 3600 * 1000)
/* Perpres 76/2013: a complaint is settled in 60 days at most. */
#define SLA_MAX_MS (60LL * 24 * 3600 * 1000)
#define SLA_MAX_WD 40 /* 8 weeks of weekdays: within 60 days */

/* [server] log_level, in the order of lib/log.h's levels */
static const char *const log_levels[] = {
    "debug", "info", "warn", "error", NULL};
static const char *const staff_names[] = {"opd", "integrity", NULL};
static const char *const alert_texts[] = {
    [ALERT_TEXT_NONE] = "none", [ALERT_TEXT_EXCERPT] = "excerpt", NULL};
static const char *const provider_names[] = {
    [PROVIDER_WHATSAPP_CLOUD] = "whatsapp_cloud",
    [PROVIDER_TWILIO] = "twilio",
    [PROVIDER_ANDROID_SMS_GATEWAY] = "android_sms_gateway",
    [PROVIDER_SMSSYNC] = "smssync",
    NULL,
};

_Static_assert(sizeof(enum provider) == sizeof(int) &&
	sizeof(enum alert_text) == sizeof(int),
    "T_ENUM keys are stored as int");

/* prefix and 32 hex digits: a Twilio id (HX: a Content API template). */
static int
is_sid(const char *s, const char *prefix)
{
	return strncmp(s, prefix, 2) == 0 && strlen(s) == 34 &&
	    strspn(s + 2, "0123456789abcdefABCDEF") == 32;
}

/* The T_WORD checks. */
static int
valid_prefix(const char *v)
{
	size_t n = strlen(v);

	return n >= 2 && n <= 5 && strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == n;
}

static int
valid_abspath(const char *v)
{
	return *v == '/';
}

static int
valid_ip(const char *v)
{
	unsigned char addr[16];

	return inet_pton(AF_INET, v, addr) == 1 ||
	    inet_pton(AF_INET6, v, addr) == 1;
}

static int
valid_number_id(const char *v)
{
	size_t n = strlen(v);

	return n >= 1 && n <= 32 && strspn(v, "0123456789") == n;
}

static int
valid_account_sid(const char *v)
{
	return is_sid(v, "AC");
}

static int
valid_template(const char *v)
{
	size_t n = strlen(v);

	return (n >= 1 && n <= 512 &&
		   strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_") == n) ||
	    is_sid(v, "HX");
}

#define C(f)   offsetof(struct config, f)
#define TPL(t) offsetof(struct config, templates[t])
#define CH(f)  offsetof(struct channel, f)
#define CAT(f) offsetof(struct category, f)
#define OPD(f) offsetof(struct opd, f)
#define REG(f) offsetof(struct region, f)
#define WA     P(PROVIDER_WHATSAPP_CLOUD)
#define TW     P(PROVIDER_TWILIO)
#define ASG    P(PROVIDER_ANDROID_SMS_GATEWAY)
#define SS     P(PROVIDER_SMSSYNC)

/*
 * The keys, a table a section, each row in the order check --print writes
 * it: {name, type, offset, min, max, .def, .help, ...}.
 */
static const struct keydef server_keys[] = {
    {"listen", T_LISTEN, C(server.listen_host), .def = "127.0.0.1:8080",
	.help = "the address and port to listen on; port 0 takes any"},
    {"public_url", T_BASEURL, C(server.public_url), .flags = KF_REQ,
	.help = "the gateway's address as providers reach it"},
    {"database", T_STR, C(server.database), .flags = KF_REQ,
	.help = "the SQLite database"},
    {"city", T_STR, C(server.city), .flags = KF_REQ,
	.help = "the city's name, in replies and views"},
    {"report_prefix", T_WORD, C(server.report_prefix), .flags = KF_REQ,
	.valid = valid_prefix,
	.must = "2 to 5 uppercase letters A-Z, such as KDR",
	.help = "what report codes begin with"},
    {"max_body", T_KBYTES, C(server.max_body), 1024, 1024 * 1024, .def = "512k",
	.help = "the largest webhook body; a WhatsApp text of 65,536 "
		"characters needs the default"},
    {"max_connections", T_COUNT, C(server.max_connections), 1, 65536,
	.def = "1024", .help = "open connections at most"},
    {"max_connections_per_ip", T_COUNT, C(server.max_connections_per_ip), 0,
	65536, .def = "64",
	.help = "open connections from one address; 0: no limit"},
    {"request_timeout", T_COUNT, C(server.request_timeout), 1, 3600,
	.def = "15", .unit = "seconds",
	.help = "how long a connection may stay idle"},
    {"read_timeout", T_COUNT, C(server.read_timeout), 1, 3600, .def = "10",
	.unit = "seconds", .help = "how long a client has to send a request"},
    {"threads", T_COUNT, C(server.threads), 1, 256, .def = "2",
	.help = "libmicrohttpd worker threads"},
    {"flood_per_minute", T_COUNT, C(server.flood_per_minute), 1, 100000,
	.def = "10", .help = "reports one sender may open a minute"},
    {"session_idle", T_SECS, C(server.session_idle), 1000, DAY_MS, .def = "15m",
	.help = "a web session ends after this long idle"},
    {"log_level", T_ENUM, C(server.log_level), .names = log_levels,
	.def = "info", .help = "the least severe messages logged"},
    {"runtime_dir", T_WORD, C(server.runtime_dir), .valid = valid_abspath,
	.must = "an absolute path",
	.help = "a tmpfs for the runtime key; default $RUNTIME_DIRECTORY"},
    {"trusted_proxy", T_WORD, C(server.trusted_proxy), .valid = valid_ip,
	.must = "an IP address (127.0.0.1, ::1)",
	.help = "the proxy whose X-Forwarded-For names the client"},
    {"metrics_from", T_IPS, C(server.metrics_from),
	.help = "who may read /metrics; default loopback only"},
    {0},
};

static const struct keydef keys_keys[] = {
    {"mayor_public", T_PUBKEY, C(keys.mayor_public), .flags = KF_REQ,
	.help = "the mayor's public key, mayor.pub of hotline keygen"},
    {"mayor_key", T_KEYFILE, C(keys.mayor_key),
	.help = "the mayor's wrapped secret key, to unseal in the browser"},
    {"demo", T_BOOL, C(keys.demo), .def = "no",
	.help = "allow the demo and placeholder keys (a demonstration)"},
    {"epoch", T_SECS, C(keys.epoch), 1000, 3600 * 1000, .def = "1s",
	.help = "how long an epoch key lives"},
    {"unseal_requires", T_COUNT, C(keys.unseal_requires), 1, 2, .def = "1",
	.help = "the custodians' keys an unseal takes"},
    {0},
};

static const struct keydef custodian_keys[] = {
    {"public", T_PUBKEY, offsetof(struct config_custodian, public_key),
	.flags = KF_REQ, .help = "the custodian's public key"},
    {0},
};

static const struct keydef retention_keys[] = {
    {"identity_after", T_RETAIN, C(retention.identity_after), 1,
	100 * 365 * 86400LL, .def = "2y",
	.help = "a closed report's identity is destroyed this long after"},
    {"text_after", T_RETAIN, C(retention.text_after), 1, 100 * 365 * 86400LL,
	.def = "never",
	.help = "a closed report's text is blanked this long after"},
    {0},
};

static const struct keydef routing_keys[] = {
    {"triage", T_OPD, C(routing.triage),
	.help = "the OPD of what matches none; default inspektorat"},
    {"max_distance_km", T_REAL, C(routing.max_distance_km), 0, 50, .def = "2.0",
	.unit = "kilometres",
	.help = "a location pin this far from every point names none"},
    {"integrity_opd", T_OPD, C(routing.integrity_opd),
	.help = "takes what accuses an office's leadership; default triage"},
    {"staff_accusations", T_ENUM, C(routing.staff_to_integrity),
	.names = staff_names, .def = "opd",
	.help = "who takes what accuses an office's staff"},
    {"about_mayor", T_OPD, C(routing.about_mayor),
	.help = "takes what concerns the mayor's office; default "
		"integrity_opd"},
    {"verify", T_BOOL, C(routing.verify), .def = "no",
	.help = "every report goes to the verifier first"},
    {"verifier", T_OPD, C(routing.verifier),
	.help = "the verifying OPD; default triage"},
    {0},
};

static const struct keydef dispatch_keys[] = {
    {"retry_base", T_MS, C(dispatch.retry_base_ms), 1, DAY_MS, .def = "30s",
	.help = "the first backoff"},
    {"retry_max", T_MS, C(dispatch.retry_max_ms), 1, DAY_MS, .def = "1h",
	.help = "the longest backoff, not less than retry_base"},
    {"max_attempts", T_COUNT, C(dispatch.max_attempts), 1, 100, .def = "8",
	.help = "sends of a message before it is dead"},
    {"timeout", T_MS, C(dispatch.timeout_ms), 1, 600000, .def = "30s",
	.help = "one HTTP request"},
    {0},
};

static const struct keydef conversation_keys[] = {
    {"merge_window", T_SECS, C(conversation.merge_window), 0, DAY_MS,
	.def = "3m",
	.help = "a sender's next message this soon joins the "
		"report; 0s: none does"},
    {"merge_max", T_SECS, C(conversation.merge_max), 0, DAY_MS, .def = "15m",
	.help = "at most this long from the first, not less than "
		"merge_window"},
    {"place_wait", T_SECS, C(conversation.place_wait), 0, DAY_MS, .def = "30m",
	.help = "how long the place question waits"},
    {"info_contact", T_TEXT, C(conversation.info_contact),
	.help = "where questions that are no report are sent"},
    {0},
};

static const struct keydef privacy_keys[] = {
    {"alert_delay", T_DELAY, C(privacy.alert_delay_min), 0, DAY_MS,
	.def = "2m-10m",
	.help = "a report's first alert waits a random time in this"},
    {0},
};

static const struct keydef sla_keys[] = {
    {"acknowledge", T_SLA, C(sla.acknowledge), .def = "3 wd",
	.help = "the head answers TERIMA within this"},
    {"resolve", T_SLA, C(sla.resolve), .def = "10 wd",
	.help = "the head answers SELESAI within this"},
    {"remind_before", T_SLA, C(sla.remind_before), .def = "1 wd",
	.help = "a reminder this long before each deadline"},
    {"escalate_to", T_OPD, C(sla.escalate_to),
	.help = "overdue reports go there; default inspektorat, if any"},
    {"timezone_offset", T_OFFSET, C(sla.utc_offset), .def = "WIB",
	.help = "the local time of working days and the digest"},
    {0},
};

static const struct keydef holidays_keys[] = {
    {"dates", T_DATES, C(holidays),
	.help = "holidays and cuti bersama, no working days"},
    {0},
};

static const struct keydef digest_keys[] = {
    {"to", T_PHONE, C(digest.to),
	.help = "the mayor's number, with channel; none: no digest"},
    {"also_to", T_PHONES, C(digest.also_to),
	.help = "further numbers that get it (the Inspektur)"},
    {"channel", T_CHANNEL, C(digest.channel), .help = "the channel it goes by"},
    {"at", T_TIME, C(digest.at_minutes), .def = "07:00",
	.help = "the local time it is sent"},
    {0},
};

static const struct keydef evidence_keys[] = {
    {"key", T_SECKEY, C(evidence.secret_key),
	.help = "the evidence key (hotline keygen --evidence); none: no "
		"media fetched"},
    {"max_bytes", T_BYTES, C(evidence.max_bytes), 1024, 64LL << 20,
	.def = "16m", .help = "the largest item kept"},
    {"max_items", T_COUNT, C(evidence.max_items), 1, 50, .def = "10",
	.help = "items kept a report"},
    {0},
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

/*
 * The same names, in the same order (test_config checks they agree); a
 * key left out is the built-in text (queue/templates.c).
 */
static const struct keydef template_keys[] = {
    {"ack", T_TEXT, TPL(TEMPLATE_ACK), .help = "a new report: code, receipt"},
    {"ask_place", T_TEXT, TPL(TEMPLATE_ASK_PLACE),
	.help = "the place is missing: which kelurahan?"},
    {"place_added", T_TEXT, TPL(TEMPLATE_PLACE_ADDED),
	.help = "the place was added to the report"},
    {"status", T_TEXT, TPL(TEMPLATE_STATUS), .help = "CEK: the status"},
    {"unknown_receipt", T_TEXT, TPL(TEMPLATE_UNKNOWN_RECEIPT),
	.help = "CEK or TAMBAH with an unknown receipt"},
    {"added", T_TEXT, TPL(TEMPLATE_ADDED), .help = "TAMBAH accepted"},
    {"too_many_tries", T_TEXT, TPL(TEMPLATE_TOO_MANY_TRIES),
	.help = "receipt attempts rate limited"},
    {"empty", T_TEXT, TPL(TEMPLATE_EMPTY), .help = "a message of no words"},
    {"resolved", T_TEXT, TPL(TEMPLATE_RESOLVED),
	.help = "CEK of a resolved report: {outcome}"},
    {"staff_only", T_TEXT, TPL(TEMPLATE_STAFF_ONLY),
	.help = "a head's command from another number"},
    {"welcome", T_TEXT, TPL(TEMPLATE_WELCOME),
	.help = "an opener: how to report"},
    {"thanks", T_TEXT, TPL(TEMPLATE_THANKS),
	.help = "thanks after a receipt, once a report"},
    {"answer_official", T_TEXT, TPL(TEMPLATE_ANSWER_OFFICIAL),
	.help = "is this the official number?"},
    {"answer_how", T_TEXT, TPL(TEMPLATE_ANSWER_HOW),
	.help = "how do I report?"},
    {"answer_safe", T_TEXT, TPL(TEMPLATE_ANSWER_SAFE),
	.help = "is my identity safe?"},
    {"answer_duration", T_TEXT, TPL(TEMPLATE_ANSWER_DURATION),
	.help = "how long does it take? {acknowledge}, {resolve}"},
    {"answer_photo", T_TEXT, TPL(TEMPLATE_ANSWER_PHOTO),
	.help = "can I send photos?"},
    {"answer_other", T_TEXT, TPL(TEMPLATE_ANSWER_OTHER),
	.help = "any other question: {contact}"},
    {"no_number", T_TEXT, TPL(TEMPLATE_NO_NUMBER),
	.help = "a bare NIK or phone number"},
    {"code_not_receipt", T_TEXT, TPL(TEMPLATE_CODE_NOT_RECEIPT),
	.help = "the report code where the receipt belongs"},
    {"merged", T_TEXT, TPL(TEMPLATE_MERGED),
	.help = "a message added to the open report"},
    {"duplicate", T_TEXT, TPL(TEMPLATE_DUPLICATE),
	.help = "the same text again within 24 h"},
    {"ask_place_again", T_TEXT, TPL(TEMPLATE_ASK_PLACE_AGAIN),
	.help = "the place question, the last time"},
    {"no_place", T_TEXT, TPL(TEMPLATE_NO_PLACE),
	.help = "the reporter names no place"},
    {"next_report", T_TEXT, TPL(TEMPLATE_NEXT_REPORT),
	.help = "\"ada lagi\": the next message is a new report"},
    {"alert", T_TEXT, TPL(TEMPLATE_ALERT), .help = "to a head: a new report"},
    {"reminder", T_TEXT, TPL(TEMPLATE_REMINDER),
	.help = "to a head: a deadline is near"},
    {"escalation", T_TEXT, TPL(TEMPLATE_ESCALATION),
	.help = "a deadline passed"},
    {"digest", T_TEXT, TPL(TEMPLATE_DIGEST),
	.help = "to the mayor: the daily counts"},
    {"head_acknowledged", T_TEXT, TPL(TEMPLATE_HEAD_ACKNOWLEDGED),
	.help = "TERIMA done"},
    {"head_progress", T_TEXT, TPL(TEMPLATE_HEAD_PROGRESS),
	.help = "PROSES done"},
    {"head_resolved", T_TEXT, TPL(TEMPLATE_HEAD_RESOLVED),
	.help = "SELESAI done"},
    {"head_rejected", T_TEXT, TPL(TEMPLATE_HEAD_REJECTED),
	.help = "TOLAK done"},
    {"head_refused", T_TEXT, TPL(TEMPLATE_HEAD_REFUSED),
	.help = "the status does not allow it"},
    {"head_unknown", T_TEXT, TPL(TEMPLATE_HEAD_UNKNOWN),
	.help = "no such code among the OPD's reports"},
    {"head_needs_note", T_TEXT, TPL(TEMPLATE_HEAD_NEEDS_NOTE),
	.help = "PROSES, SELESAI or TOLAK without a note"},
    {"head_usage", T_TEXT, TPL(TEMPLATE_HEAD_USAGE),
	.help = "anything else from a head"},
    {"head_forwarded", T_TEXT, TPL(TEMPLATE_HEAD_FORWARDED),
	.help = "TERUSKAN done: {opd}"},
    {"head_target", T_TEXT, TPL(TEMPLATE_HEAD_TARGET),
	.help = "TERUSKAN without a known OPD: {opds}"},
    {"evidence_refused", T_TEXT, TPL(TEMPLATE_EVIDENCE_REFUSED),
	.help = "a photo or file not kept: {reason}, {max}"},
    {0},
};

_Static_assert(
    sizeof template_keys / sizeof *template_keys == TEMPLATE_COUNT + 1,
    "a row for every template");
_Static_assert(TEMPLATE_COUNT <= MAX_SECTION_KEYS,
    "[templates] has more keys than a section may");

static const struct keydef channel_keys[] = {
    {"provider", T_ENUM, CH(provider), .names = provider_names, .flags = KF_REQ,
	.providers = P_ALL, .help = "who carries the channel"},
    {"webhook_url", T_URL, CH(webhook_url), .providers = P_ALL,
	.help = "the URL the provider calls, when a proxy rewrites it; "
		"default PUBLIC_URL/webhook/NAME"},
    {"api_base", T_BASEURL, CH(api_base), .providers = WA | TW | ASG,
	.help = "the provider's API"},
    {"phone_number_id", T_WORD, CH(phone_number_id), .providers = WA,
	.valid = valid_number_id,
	.must = "the numeric id Meta shows for the number",
	.help = "the id of the hotline's number"},
    {"account_sid", T_WORD, CH(account_sid), .flags = KF_PREQ, .providers = TW,
	.valid = valid_account_sid, .must = "AC and 32 hex digits",
	.help = "the Twilio account"},
    {"from", T_TEXT, CH(from), .providers = TW,
	.help = "the sending number (whatsapp:+... for WhatsApp)"},
    {"username", T_TEXT, CH(username), .providers = ASG,
	.help = "for sending, with api_base and password"},
    {"rate_per_second", T_COUNT, CH(rate_per_second), 1, 1000, .def = "5",
	.providers = P_ALL,
	.help = "sends a second at most; whatsapp_cloud: default 80"},
    {"alert_template", T_WORD, CH(alert_template), .providers = WA | TW,
	.valid = valid_template,
	.must = "the name of an approved template, 1 to 512 of a-z, 0-9 "
		"and _ (on a twilio channel also a Content SID, HX...)",
	.help = "the approved template alerts to heads are sent as"},
    {"sms_fallback", T_SMS_CHANNEL, CH(sms_fallback), .providers = WA | TW,
	.help = "an SMS channel for an alert WhatsApp cannot deliver"},
    {"forget_at_provider", T_BOOL, CH(forget_at_provider), .def = "yes",
	.providers = TW, .help = "delete each message at Twilio once stored"},
    {"app_secret", T_SECRET, CH(app_secret), .flags = KF_PREQ, .providers = WA,
	.help = "signs every webhook"},
    {"verify_token", T_SECRET, CH(verify_token), .flags = KF_PREQ,
	.providers = WA, .help = "the token typed into Meta's App Dashboard"},
    {"access_token", T_SECRET, CH(access_token), .providers = WA,
	.help = "for replies, alerts and media"},
    {"auth_token", T_SECRET, CH(auth_token), .flags = KF_PREQ, .providers = TW,
	.help = "the Twilio auth token"},
    {"signing_key", T_SECRET, CH(signing_key), .flags = KF_PREQ,
	.providers = ASG, .help = "the webhook's signing key"},
    {"password", T_SECRET, CH(password), .providers = ASG,
	.help = "for sending, with username"},
    {"secret", T_SECRET, CH(secret), .flags = KF_PREQ, .providers = SS,
	.help = "the shared secret"},
    {0},
};

static const struct keydef category_keys[] = {
    {"name", T_STR, CAT(name), .flags = KF_REQ,
	.help = "as citizens and heads read it"},
    {"keywords", T_LIST, CAT(keywords),
	.help = "what the router looks for; none: what matches no other"},
    {"also_notify", T_OPDS, CAT(also_notify),
	.help = "OPDs alerted on every such report"},
    {0},
};

static const struct keydef opd_keys[] = {
    {"name", T_STR, OPD(name), .flags = KF_REQ, .help = "the office's name"},
    {"keywords", T_LIST, OPD(keywords), .help = "matched like a category's"},
    {"regions", T_REGIONS, OPD(regions),
	.help = "the kecamatan it takes reports of; default all"},
    {"head", T_PHONE, OPD(head),
	.help = "the head's number, with head_channel"},
    {"head_channel", T_CHANNEL, OPD(head_channel),
	.help = "the channel that alerts the head"},
    {"deputy", T_PHONE, OPD(deputy),
	.help = "a second number alerted, with deputy_channel"},
    {"deputy_channel", T_CHANNEL, OPD(deputy_channel),
	.help = "the channel that alerts the deputy"},
    {"alert_text", T_ENUM, OPD(alert_text), .names = alert_texts, .def = "none",
	.help = "what of the report's text an alert carries"},
    {0},
};

static const struct keydef region_keys[] = {
    {"name", T_STR, REG(name), .flags = KF_REQ, .help = "the kecamatan"},
    {"kelurahan", T_LIST, REG(kelurahan), .flags = KF_REQ,
	.help = "its kelurahan"},
    {"points", T_POINTS, REG(points),
	.help = "where location pins map, each kelurahan once"},
    {0},
};

#define ITEMS(a, n, t)                                                         \
	offsetof(struct config, a), offsetof(struct config, n), sizeof(t)

const struct config_section config_sections[SEC_COUNT] = {
    [SEC_SERVER] = {"server", SEC_SERVER, server_keys, .arg = NULL},
    [SEC_KEYS] = {"keys", SEC_KEYS, keys_keys, .arg = NULL},
    [SEC_CUSTODIAN] = {"custodian", SEC_CUSTODIAN, custodian_keys, "NAME",
	ITEMS(keys.custodians, keys.ncustodians, struct config_custodian),
	.sparse = 0},
    [SEC_RETENTION] = {"retention", SEC_RETENTION, retention_keys, .arg = NULL},
    [SEC_ROUTING] = {"routing", SEC_ROUTING, routing_keys, .arg = NULL},
    [SEC_DISPATCH] = {"dispatch", SEC_DISPATCH, dispatch_keys, .arg = NULL},
    [SEC_CONVERSATION] = {"conversation", SEC_CONVERSATION, conversation_keys,
	.arg = NULL},
    [SEC_PRIVACY] = {"privacy", SEC_PRIVACY, privacy_keys, .arg = NULL},
    [SEC_SLA] = {"sla", SEC_SLA, sla_keys, .arg = NULL},
    [SEC_HOLIDAYS] = {"holidays", SEC_HOLIDAYS, holidays_keys, .arg = NULL},
    [SEC_DIGEST] = {"digest", SEC_DIGEST, digest_keys, .arg = NULL},
    [SEC_EVIDENCE] = {"evidence", SEC_EVIDENCE, evidence_keys, .arg = NULL},
    [SEC_TEMPLATES] = {"templates", SEC_TEMPLATES, template_keys, .sparse = 1},
    [SEC_CHANNEL] = {"channel", SEC_CHANNEL, channel_keys, "NAME",
	ITEMS(channels, nchannels, struct channel), .sparse = 0},
    [SEC_CATEGORY] = {"category", SEC_CATEGORY, category_keys, "ID",
	ITEMS(categories, ncategories, struct category), .sparse = 1},
    [SEC_OPD] = {"opd", SEC_OPD, opd_keys, "ID", ITEMS(opds, nopds, struct opd),
	.sparse = 1},
    [SEC_REGION] = {"region", SEC_REGION, region_keys, "ID",
	ITEMS(regions, nregions, struct region), .sparse = 1},
};

/* Each [KIND ID] element begins with its id (config_free() frees it). */
_Static_assert(offsetof(struct channel, name) == 0 &&
	offsetof(struct category, id) == 0 && offsetof(struct opd, id) == 0 &&
	offsetof(struct region, id) == 0 &&
	offsetof(struct config_custodian, name) == 0,
    "an element's id comes first");

/*
 * A name that refers to a section, checked once the whole file is read:
 * "KEY NAME names no [SECTION NAME]" ("KEY: NAME" for a list's item).
 */
struct ref {
	int line;
	enum key_type type; /* T_OPD, T_CHANNEL, T_SMS_CHANNEL, T_OPDS, ... */
	const char *key;
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
	void *base; /* the struct its keys' offsets are in */
	char secname[80];
	int secline;
	size_t idx;	       /* of the [KIND ID] among its kind */
	int *seen, *seen_file; /* of the section: key_line[kind], ... */
	int provider_set;

	/* line of each key of each section (0: not given), given as KEY_file;
	 * a [KIND ID]'s for the current one */
	int key_line[SEC_COUNT][MAX_SECTION_KEYS];
	int key_file[SEC_COUNT][MAX_SECTION_KEYS];
	int single_line[SEC_COUNT]; /* of each section without an id */
	int *lines[SEC_COUNT];	    /* first line of each [KIND ID] */
	int *point_lines;	    /* per point of the current region */
	int *holiday_lines;	    /* per holiday */
	struct ref *refs;
	size_t nrefs;
	int no_secrets; /* config_load_public(): secret files are not read */
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

/*
 * A decimal number in [min, max]; with units 1 a k or K suffix (x1024),
 * with 2 also m or M (x1024 x1024).
 */
static int
parse_number(
    const char *v, long long min, long long max, int units, long long *out)
{
	long long n = 0, mult = 1;
	const char *s = v;

	if (!isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		if (n > (LLONG_MAX - 9) / 10)
			return -1;
		n = n * 10 + (*s - '0');
	}
	if (units >= 1 && (*s == 'k' || *s == 'K'))
		mult = 1024, s++;
	else if (units >= 2 && (*s == 'm' || *s == 'M'))
		mult = 1024 * 1024, s++;
	if (*s != '\0' || n > LLONG_MAX / mult)
		return -1;
	n *= mult;
	if (n < min || n > max)
		return -1;
	*out = n;
	return 0;
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

/* listen = HOST:PORT, HOST an IPv4 address or [IPv6]. */
static int
parse_listen(const char *v, char **host, int *port)
{
	const char *colon = strrchr(v, ':');
	char addr[INET6_ADDRSTRLEN + 2], buf[sizeof(struct in6_addr)];
	size_t n;
	long long p;

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

/*
 * [retention]: a duration with a unit of s, m, h, d or y (365 days), at
 * least a second and at most max seconds, or "never" (0).
 */
static int
parse_retain(const char *v, long long max, long long *out)
{
	static const char units[] = "smhdy";
	static const long long secs[] = {1, 60, 3600, 86400, 365 * 86400LL};
	const char *u;
	long long n;
	char *end;

	if (strcmp(v, "never") == 0) {
		*out = 0;
		return 0;
	}
	if (!isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno != 0 || *end == '\0' || (u = strchr(units, *end)) == NULL ||
	    end[1] != '\0' || n < 1 || n > max / secs[u - units])
		return -1;
	*out = n * secs[u - units];
	return 0;
}

/*
 * [privacy] alert_delay: a duration, or a range of two ("2m-10m"), in
 * whole seconds up to max milliseconds.
 */
static int
parse_delay(const char *v, long long max, int *lo_s, int *hi_s)
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
	    a < 0 || b < a || b > max || a % 1000 != 0 || b % 1000 != 0)
		return -1;
	*lo_s = (int)(a / 1000);
	*hi_s = (int)(b / 1000);
	return 0;
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

/*
 * Append the comma-separated items of v to the NULL-terminated *list:
 * the index of the first new one, or -1.
 */
static long
append_list(struct parser *p, char ***list, const char *v)
{
	char *copy, *item, *next, *end, **nl;
	size_t n = 0, first;

	if (*list != NULL)
		while ((*list)[n] != NULL)
			n++;
	first = n;
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
	return (long)first;
oom:
	free(copy);
	config_error(p, p->lineno, "out of memory");
	return -1;
}

/* Note a name the current line refers to, for check_refs(). */
static void
add_ref(struct parser *p, const struct keydef *k, const char *name)
{
	struct ref *nr;

	if ((nr = realloc(p->refs, (p->nrefs + 1) * sizeof *nr)) == NULL) {
		config_error(p, p->lineno, "out of memory");
		return;
	}
	p->refs = nr;
	nr += p->nrefs++;
	nr->line = p->lineno;
	nr->type = k->type;
	nr->key = k->name;
	nr->owner = p->idx;
	snprintf(nr->name, sizeof nr->name, "%.40s", name);
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

void
config_format_number(enum key_type t, long long n, char *buf, size_t len)
{
	static const struct unit {
		const char *name;
		long long n;
	} ms[] = {{"h", 3600000}, {"m", 60000}, {"s", 1000}, {"ms", 1}},
	  secs[] = {{"y", 365 * 86400LL}, {"d", 86400}, {"h", 3600}, {"m", 60},
	      {"s", 1}},
	  bytes[] = {{"m", 1024 * 1024}, {"k", 1024}, {"", 1}};
	const struct unit *u;

	if (n == 0 && (t == T_MS || t == T_SECS || t == T_DELAY)) {
		snprintf(buf, len, "0s");
		return;
	}
	if (n == 0 && t == T_RETAIN) {
		snprintf(buf, len, "never");
		return;
	}
	if (t == T_MS || t == T_SECS || t == T_DELAY)
		u = ms;
	else if (t == T_RETAIN)
		u = secs;
	else if (t == T_BYTES || t == T_KBYTES)
		u = bytes + (t == T_KBYTES);
	else {
		snprintf(buf, len, "%lld", n);
		return;
	}
	while (n % u->n != 0)
		u++;
	snprintf(buf, len, "%lld%s", n / u->n, u->name);
}

/* What a key of a type takes, when its row says no more. */
static const char *const type_must[] = {
    [T_STR] = "text",
    [T_TEXT] = "printable text",
    [T_SECRET] = "printable text, secret; or KEY_file, a file of mode 0600",
    [T_URL] = "an absolute http:// or https:// URL "
	      "without fragment",
    [T_BASEURL] = "an absolute http:// or https:// URL "
		  "without query or fragment",
    [T_OPD] = "an OPD id",
    [T_CHANNEL] = "a channel name",
    [T_SMS_CHANNEL] = "the name of another channel, one "
		      "that sends SMS",
    [T_PHONE] = "a phone number (write +62 8..., 62 8... or "
		"08...)",
    [T_KEYFILE] = "the path of a file only its owner may "
		  "read",
    [T_LIST] = "a list",
    [T_OPDS] = "a list of OPD ids",
    [T_REGIONS] = "a list of region ids",
    [T_PHONES] = "a list of phone numbers",
    [T_DATES] = "a list of dates YYYY-MM-DD",
    [T_POINTS] = "a list of KELURAHAN LATITUDE LONGITUDE",
    [T_IPS] = "IP addresses or any",
    [T_BOOL] = "yes or no",
    [T_SLA] = "working days (3 wd) or a clock time, an "
	      "integer and ms, s, m, h or d (90s, 2h)",
    [T_TIME] = "a local time HH:MM, 00:00 to 23:59",
    [T_OFFSET] = "+HH:MM from -12:00 to +14:00 (+07:00), or "
		 "WIB, WITA or WIT",
    [T_LISTEN] = "HOST:PORT with an IP address and a port "
		 "0-65535 (127.0.0.1:8080, [::1]:8080)",
    [T_PUBKEY] = "the base64 of a 32-byte public key; or KEY_file",
    [T_SECKEY] = "the base64 of a 32-byte secret key; or KEY_file, a file "
		 "of mode 0600",
};

void
config_key_must(const struct keydef *k, char *buf, size_t len)
{
	char lo[32], hi[32];
	size_t i, n = 0;

	config_format_number(k->type, k->min, lo, sizeof lo);
	config_format_number(k->type, k->max, hi, sizeof hi);
	switch (k->type) {
	case T_WORD:
		snprintf(buf, len, "%s", k->must);
		break;
	case T_COUNT:
		snprintf(buf, len, "%s %s %s%s%s", lo,
		    k->max == k->min + 1 ? "or" : "to", hi,
		    k->unit != NULL ? " " : "", k->unit != NULL ? k->unit : "");
		break;
	case T_ENUM:
		buf[0] = '\0';
		for (i = 0; k->names[i] != NULL && n < len; i++)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
			    i == 0			  ? ""
				: k->names[i + 1] == NULL ? " or "
							  : ", ",
			    k->names[i]);
		break;
	case T_KBYTES:
	case T_BYTES:
		snprintf(buf, len, "bytes (or %s) from %s to %s",
		    k->type == T_BYTES ? "k or m" : "k", lo, hi);
		break;
	case T_REAL:
		snprintf(buf, len, "a number%s%s above %s, at most %s",
		    k->unit != NULL ? " of " : "",
		    k->unit != NULL ? k->unit : "", lo, hi);
		break;
	case T_MS:
		snprintf(buf, len,
		    "a duration from %s to %s, an integer and ms, s, m or h "
		    "(30s, 5m, 1h)",
		    lo, hi);
		break;
	case T_SECS:
		snprintf(buf, len,
		    "a duration in whole seconds from %s to %s (90s, 3m, 1h)",
		    lo, hi);
		break;
	case T_RETAIN:
		snprintf(buf, len,
		    "a duration (10s, 90d, 2y) up to %s, or never", hi);
		break;
	case T_DELAY:
		snprintf(buf, len,
		    "a duration or a range of two in whole seconds up to %s "
		    "(0, 5m, 2m-10m)",
		    hi);
		break;
	default:
		snprintf(buf, len, "%s", type_must[k->type]);
		break;
	}
}

/*
 * A name that refers to a section, an id of a-z, 0-9, _ and -: set, and
 * noted for check_refs().
 */
static void
set_ref(struct parser *p, const struct keydef *k, char **dst, const char *v)
{
	if (!valid_id(v)) {
		config_error(p, p->lineno, "%s '%.40s' is not %s", k->name, v,
		    k->type == T_OPD ? "an OPD id" : "a channel name");
		return;
	}
	if (set_str(p, dst, v, 0) == 0)
		add_ref(p, k, v);
}

/* A phone number, normalised; the message never quotes it. */
static void
set_phone(struct parser *p, const struct keydef *k, char **dst, const char *v)
{
	char num[PHONE_E164_MAX];

	if (phone_normalize(v, num, sizeof num) == -1)
		config_error(
		    p, p->lineno, "%s is not %s", k->name, type_must[T_PHONE]);
	else
		set_str(p, dst, num, 0);
}

/* The items a list value adds: each a reference, phone, address. */
static void
add_items(struct parser *p, const struct keydef *k, char ***list, const char *v)
{
	char num[PHONE_E164_MAX], must[64];
	long first = append_list(p, list, v);
	size_t n;

	for (n = (size_t)first; first != -1 && (*list)[n] != NULL; n++) {
		char **item = &(*list)[n];

		if (k->type == T_OPDS || k->type == T_REGIONS)
			add_ref(p, k, *item);
		else if (k->type == T_IPS && strcmp(*item, "any") != 0 &&
		    !valid_ip(*item)) {
			config_key_must(k, must, sizeof must);
			config_error(p, p->lineno, "%s '%.64s' must be %s",
			    k->name, *item, must);
		} else if (k->type != T_PHONES)
			continue;
		else if (phone_normalize(*item, num, sizeof num) == -1)
			config_error(p, p->lineno, "%s: item %zu is not %s",
			    k->name, n + 1, type_must[T_PHONE]);
		else if (set_str(p, item, num, 0) == -1)
			return;
	}
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

/* One YYYY-MM-DD of [holidays] dates. */
static void
add_date(struct parser *p, struct holidays *h, const char *item)
{
	size_t j;
	int day, *nd;

	if (deadline_parse_date(item, &day) == -1) {
		config_error(p, p->lineno,
		    "bad date %.32s in [holidays] dates: write "
		    "YYYY-MM-DD, a date of the calendar (2026-03-20)",
		    item);
		return;
	}
	for (j = 0; j < h->n && h->days[j] != day; j++)
		;
	if (j < h->n) {
		config_error(p, p->lineno,
		    "duplicate date %s in [holidays] dates (first at line %d)",
		    item, p->holiday_lines[j]);
		return;
	}
	if ((nd = realloc(h->days, (h->n + 1) * sizeof *nd)) == NULL)
		goto oom;
	h->days = nd;
	if ((nd = realloc(p->holiday_lines, (h->n + 1) * sizeof *nd)) == NULL)
		goto oom;
	p->holiday_lines = nd;
	h->days[h->n] = day;
	p->holiday_lines[h->n++] = p->lineno;
	return;
oom:
	config_error(p, p->lineno, "out of memory");
}

/* points = KELURAHAN LAT LON, ... and dates = ...: each as it comes. */
static void
add_parsed(struct parser *p, const struct keydef *k, void *dst, const char *v)
{
	char **items = NULL, *s;
	size_t i;

	if (append_list(p, &items, v) == -1)
		goto done;
	for (i = 0; items[i] != NULL; i++) {
		if (k->type == T_DATES) {
			add_date(p, dst, items[i]);
			continue;
		}
		for (s = items[i]; *s != '\0'; s++)
			if (isspace((unsigned char)*s))
				*s = ' ';
		add_point(p, p->base, items[i]);
	}
done:
	free_list(items);
}

/* A key's base64: into out, 1; or 0 when it is not CONFIG_KEY_BYTES. */
static int
base64_key(const char *v, unsigned char out[CONFIG_KEY_BYTES])
{
	size_t len = 0;
	const char *end = NULL;

	return sodium_base642bin(out, CONFIG_KEY_BYTES, v, strlen(v), NULL,
		   &len, &end, sodium_base64_VARIANT_ORIGINAL) == 0 &&
	    len == CONFIG_KEY_BYTES && end != NULL && *end == '\0';
}

static void
set_public(
    struct parser *p, const struct keydef *k, unsigned char *out, const char *v)
{
	unsigned char key[CONFIG_KEY_BYTES], acc = 0;
	size_t i;

	if (!base64_key(v, key)) {
		config_error(p, p->lineno,
		    "%s is not the base64 of a %d-byte public key (the "
		    "contents of a .pub file from hotline keygen)",
		    k->name, CONFIG_KEY_BYTES);
		return;
	}
	for (i = 0; i < sizeof key; i++)
		acc |= key[i];
	if (acc == 0) {
		config_error(p, p->lineno, "%s is all zeros", k->name);
		return;
	}
	memcpy(out, key, sizeof key);
}

/*
 * [evidence] key: the base64 of a 32-byte secret key, from hotline keygen
 * --evidence (best as key_file, a credential); its public half derived.
 */
static void
set_evidence_key(struct parser *p, const struct keydef *k, const char *v)
{
	struct config *cfg = p->cfg;
	unsigned char sk[CONFIG_KEY_BYTES];

	if (!base64_key(v, sk))
		config_error(p, p->lineno,
		    "%s is not the base64 of a %d-byte secret key (the "
		    "evidence.key of hotline keygen --evidence)",
		    k->name, CONFIG_KEY_BYTES);
	else {
		memcpy(cfg->evidence.secret_key, sk, sizeof sk);
		crypto_scalarmult_base(cfg->evidence.public_key, sk);
		cfg->evidence.enabled = 1;
	}
	sodium_memzero(sk, sizeof sk);
}

/*
 * [keys] mayor_key: the mayor's wrapped secret key, which the mayor's web
 * login unwraps for the session.  A path (relative to the config's
 * directory) to a regular file that only its owner may read.
 */
static void
set_keyfile(struct parser *p, const struct keydef *k, char **dst, const char *v)
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
		    p, p->lineno, "%s %s: %s", k->name, full, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		config_error(
		    p, p->lineno, "%s %s is not a regular file", k->name, full);
	else if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		config_error(p, p->lineno,
		    "%s %s is readable by group or others; chmod 600 it",
		    k->name, full);
	else {
		free(*dst);
		*dst = full;
		return;
	}
	free(full);
}

/*
 * A value that is one word of its type, into dst: 0, -1 when it is not
 * what k takes (the caller says so), -2 when an error was reported.
 */
static int
parse_scalar(struct parser *p, const struct keydef *k, const char *v, void *dst)
{
	struct config *cfg = p->cfg;
	struct sla_duration d;
	long long n;
	long ms;
	size_t i;

	switch (k->type) {
	case T_WORD:
	case T_URL:
	case T_BASEURL:
		if (k->type == T_WORD ? !k->valid(v)
				      : !valid_url(v, k->type == T_URL))
			return -1;
		if (set_str(p, dst, v, 0) == -1)
			return -2;
		if (k->type == T_BASEURL)
			strip_trailing_slashes(*(char **)dst);
		return 0;
	case T_LISTEN:
		return parse_listen(
		    v, &cfg->server.listen_host, &cfg->server.listen_port);
	case T_BOOL:
		if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
			return -1;
		*(int *)dst = strcmp(v, "yes") == 0;
		return 0;
	case T_ENUM:
		for (i = 0; k->names[i] != NULL; i++)
			if (strcmp(v, k->names[i]) == 0) {
				*(int *)dst = (int)i;
				return 0;
			}
		return -1;
	case T_COUNT:
	case T_KBYTES:
	case T_BYTES:
		if (parse_number(v, k->min, k->max, k->type - T_COUNT, &n) ==
		    -1)
			return -1;
		if (k->type == T_COUNT)
			*(int *)dst = (int)n;
		else if (k->type == T_KBYTES)
			*(size_t *)dst = (size_t)n;
		else
			*(long *)dst = (long)n;
		return 0;
	case T_REAL:
		return parse_real(v, (double)k->min, (double)k->max, 1, dst);
	case T_MS:
	case T_SECS:
		if (deadline_parse_ms(v, &ms) == -1 || ms < k->min ||
		    ms > k->max || (k->type == T_SECS && ms % 1000 != 0))
			return -1;
		if (k->type == T_MS)
			*(long *)dst = ms;
		else
			*(int *)dst = (int)(ms / 1000);
		return 0;
	case T_SLA:
		if (deadline_parse(v, &d) == -1)
			return -1;
		if (d.unit == SLA_WORKING_DAYS ? d.amount > SLA_MAX_WD
					       : d.amount > SLA_MAX_MS) {
			config_error(p, p->lineno,
			    "%s '%.32s' is longer than Perpres 76/2013 allows "
			    "(60 days): at most %d wd or 60d",
			    k->name, v, SLA_MAX_WD);
			return -2;
		}
		*(struct sla_duration *)dst = d;
		return 0;
	case T_RETAIN:
		return parse_retain(v, k->max, dst);
	case T_TIME:
		return deadline_parse_time(v, dst);
	case T_OFFSET:
		return deadline_parse_offset(v, dst);
	case T_DELAY:
		return parse_delay(v, k->max, &cfg->privacy.alert_delay_min,
		    &cfg->privacy.alert_delay_max);
	default:
		return -1;
	}
}

/* Set key k of the current section to v: 0, or -1 on an error. */
static int
set_value(struct parser *p, const struct keydef *k, const char *v)
{
	void *dst = (char *)p->base + k->off;
	char must[256];
	int rc;

	switch (k->type) {
	case T_STR:
	case T_TEXT:
	case T_SECRET:
		if (*v == '\0' || (k->type != T_STR && has_control(v))) {
			config_error(p, p->lineno, "%s is %s", k->name,
			    *v == '\0' ? "empty" : "not printable text");
			return -1;
		}
		return set_str(p, dst, v, k->type == T_SECRET);
	case T_OPD:
	case T_CHANNEL:
	case T_SMS_CHANNEL:
		set_ref(p, k, dst, v);
		return 0;
	case T_PHONE:
		set_phone(p, k, dst, v);
		return 0;
	case T_KEYFILE:
		set_keyfile(p, k, dst, v);
		return 0;
	case T_PUBKEY:
		set_public(p, k, dst, v);
		return 0;
	case T_SECKEY:
		set_evidence_key(p, k, v);
		return 0;
	case T_LIST:
	case T_OPDS:
	case T_REGIONS:
	case T_PHONES:
	case T_IPS:
		add_items(p, k, dst, v);
		return 0;
	case T_DATES:
	case T_POINTS:
		add_parsed(p, k, dst, v);
		return 0;
	default:
		if ((rc = parse_scalar(p, k, v, dst)) == -1) {
			config_key_must(k, must, sizeof must);
			config_error(p, p->lineno, "%s '%.64s' must be %s",
			    k->name, v, must);
		}
		return rc == 0 ? 0 : -1;
	}
}

/* KEY_file: 2 for a secret (the file's mode checked), 1 a public key. */
static int
file_kind(const struct keydef *k)
{
	return k->type == T_SECRET || k->type == T_SECKEY ? 2
							  : k->type == T_PUBKEY;
}

/* A list that may go on over indented lines (metrics_from may not). */
static int
continues(const struct keydef *k)
{
	return k->type >= T_LIST && k->type <= T_POINTS;
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
		if (file_kind(&keys[i]) && strlen(keys[i].name) == n - 5 &&
		    strncmp(keys[i].name, name, n - 5) == 0) {
			*is_file = 1;
			return &keys[i];
		}
	return NULL;
}

/* The line key name of a section was given at (seen: its lines), or 0. */
static int
line_of(const struct keydef *keys, const int *seen, const char *name)
{
	size_t i;

	for (i = 0; keys[i].name != NULL; i++)
		if (strcmp(keys[i].name, name) == 0)
			return seen[i];
	return 0;
}

/* Set the defaults of keys not given (of the providers in prov). */
static void
set_defaults(struct parser *p, const int *seen, unsigned prov)
{
	size_t i;

	for (i = 0; p->keys[i].name != NULL; i++)
		if (p->keys[i].def != NULL && (seen == NULL || seen[i] == 0) &&
		    (p->keys[i].providers == 0 ||
			(p->keys[i].providers & prov)))
			set_value(p, &p->keys[i], p->keys[i].def);
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
needs_together(struct parser *p, const char *a, const char *b)
{
	if ((line_of(p->keys, p->seen, a) != 0) !=
	    (line_of(p->keys, p->seen, b) != 0))
		config_error(p, p->secline, "[%s] needs %s and %s together",
		    p->secname, a, b);
}

/*
 * The checks that need the whole section: required, empty and foreign
 * keys, the defaults of a [KIND ID], and what goes with what.
 */
static void
end_section(struct parser *p)
{
	struct config *cfg = p->cfg;
	struct channel *c = p->base;
	unsigned prov = 0;
	size_t i;
	int line;

	if (p->keys == NULL)
		goto done;
	if (p->kind == SEC_CHANNEL && p->provider_set)
		prov = P(c->provider);
	for (i = 0; p->keys[i].name != NULL; i++) {
		const struct keydef *k = &p->keys[i];
		char **const *list = (char **const *)((char *)p->base + k->off);

		if (p->seen[i] == 0 &&
		    ((k->flags & KF_REQ) ||
			((k->flags & KF_PREQ) && (k->providers & prov))) &&
		    !(p->no_secrets && file_kind(k) == 2))
			config_error(p, p->secline, "[%s] needs %s%s",
			    p->secname, k->name,
			    prov ? " for this provider" : "");
		if (p->seen[i] != 0 && p->kind == SEC_CHANNEL && prov &&
		    !(k->providers & prov)) {
			config_error(p, p->seen[i],
			    "%s%s does not belong to a %s channel", k->name,
			    p->seen_file[i] ? "_file" : "",
			    provider_names[c->provider]);
			drop_refs(p, p->seen[i]);
		}
		if (p->seen[i] != 0 &&
		    (k->type == T_LIST || k->type == T_OPDS ||
			k->type == T_REGIONS) &&
		    (*list == NULL || (*list)[0] == NULL))
			config_error(
			    p, p->seen[i], "%s is an empty list", k->name);
	}
	if (config_sections[p->kind].arg != NULL)
		set_defaults(p, p->seen, p->kind == SEC_CHANNEL ? prov : P_ALL);
	switch (p->kind) {
	case SEC_CHANNEL:
		/*
		 * The Cloud API takes 80 messages a second a number: a
		 * city's acknowledgements keep up with a burst of reports.
		 */
		if (line_of(p->keys, p->seen, "rate_per_second") == 0 &&
		    prov == P(PROVIDER_WHATSAPP_CLOUD))
			c->rate_per_second = 80;
		if (c->alert_template != NULL &&
		    prov == P(PROVIDER_WHATSAPP_CLOUD) &&
		    is_sid(c->alert_template, "HX"))
			config_error(p,
			    line_of(p->keys, p->seen, "alert_template"),
			    "alert_template %s is a Twilio Content SID; a "
			    "whatsapp_cloud channel takes the template's name",
			    c->alert_template);
		break;
	case SEC_OPD:
		needs_together(p, "head", "head_channel");
		needs_together(p, "deputy", "deputy_channel");
		break;
	case SEC_REGION:
		check_points(p, p->base);
		break;
	case SEC_DIGEST:
		needs_together(p, "to", "channel");
		break;
	case SEC_CONVERSATION:
		line = line_of(p->keys, p->seen, "merge_max");
		if (cfg->conversation.merge_max <
		    cfg->conversation.merge_window)
			config_error(p,
			    line ? line
				 : line_of(p->keys, p->seen, "merge_window"),
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
	const struct config_section *s;
	char kind[16], id[ID_MAX + 2], *items, *elem;
	const char *rest;
	size_t i, kl, *n;

	end_section(p);
	p->provider_set = 0;
	p->secline = p->lineno;
	snprintf(p->secname, sizeof p->secname, "%.*s", 64, hdr);

	for (rest = hdr; *rest != '\0' && !isspace((unsigned char)*rest);
	     rest++)
		;
	kl = (size_t)(rest - hdr);
	while (isspace((unsigned char)*rest))
		rest++;
	snprintf(kind, sizeof kind, "%.*s", (int)(kl < 15 ? kl : 15), hdr);
	for (s = config_sections; s < config_sections + SEC_COUNT; s++)
		if (kl < 16 && strcmp(kind, s->name) == 0)
			break;
	if (s == config_sections + SEC_COUNT) {
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
	if (s->arg == NULL) {
		if (*rest != '\0') {
			config_error(p, p->lineno, "[%s] takes no name", kind);
			return;
		}
		if (p->single_line[s->kind] != 0) {
			config_error(p, p->lineno,
			    "duplicate section [%s] (first at line %d)", kind,
			    p->single_line[s->kind]);
			return;
		}
		p->single_line[s->kind] = p->lineno;
		elem = (char *)cfg;
		goto found;
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
	items = *(char **)((char *)cfg + s->items);
	n = (size_t *)((char *)cfg + s->count);
	for (i = 0; i < *n; i++) {
		const char *other = *(char **)(items + i * s->size);

		if (other != NULL && strcmp(other, id) == 0) {
			config_error(p, p->lineno,
			    "duplicate [%s %s] (first at line %d)", kind, id,
			    p->lines[s->kind][i]);
			return;
		}
	}
	if (s->kind == SEC_CUSTODIAN && strcmp(id, "mayor") == 0) {
		config_error(p, p->lineno,
		    "[custodian mayor] is [keys] mayor_public; give another "
		    "name");
		return;
	}
	if ((elem = add_item(p, (char *)cfg + s->items, n, s->size,
		 &p->lines[s->kind])) == NULL ||
	    set_str(p, (char **)elem, id, 0) == -1)
		return;
	memset(p->key_line[s->kind], 0, sizeof p->key_line[s->kind]);
	memset(p->key_file[s->kind], 0, sizeof p->key_file[s->kind]);
	if (s->kind == SEC_REGION) {
		free(p->point_lines);
		p->point_lines = NULL;
	}
found:
	p->kind = s->kind;
	p->keys = s->keys;
	p->base = elem;
	p->seen = p->key_line[s->kind];
	p->seen_file = p->key_file[s->kind];
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
	    (k = find_key(p->keys, name, &is_file)) == NULL || !continues(k) ||
	    is_file) {
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
		set_value(p, k, v);
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
	if (is_file && p->no_secrets && file_kind(k) == 2)
		return 1; /* a command that needs no secret reads none */
	if (is_file) {
		filed = read_value_file(p, k->name, value, file_kind(k) == 2);
		if (filed == NULL)
			return 1;
		v = filed;
	}
	if (set_value(p, k, v) == 0 && k == &channel_keys[0])
		p->provider_set = 1; /* a [channel]'s provider */
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

static int
has_opd(const struct config *cfg, const char *id)
{
	return config_opd(cfg, id) != NULL;
}

static int
has_region(const struct config *cfg, const char *id)
{
	size_t i;

	for (i = 0; i < cfg->nregions; i++)
		if (strcmp(cfg->regions[i].id, id) == 0)
			return 1;
	return 0;
}

/* Each name that refers to a section names one; sms_fallback an SMS one. */
static void
check_refs(struct parser *p)
{
	struct config *cfg = p->cfg;
	const struct channel *c = NULL;
	const char *section;
	size_t i;
	int found;

	for (i = 0; i < p->nrefs; i++) {
		const struct ref *r = &p->refs[i];

		if (r->type == T_OPD || r->type == T_OPDS) {
			section = "opd";
			found = has_opd(cfg, r->name);
		} else if (r->type == T_REGIONS) {
			section = "region";
			found = has_region(cfg, r->name);
		} else {
			section = "channel";
			found = (c = config_channel(cfg, r->name)) != NULL;
		}
		if (!found) {
			config_error(p, r->line, "%s%s %s names no [%s %s]",
			    r->key,
			    r->type == T_OPDS || r->type == T_REGIONS ? ":"
								      : "",
			    r->name, section, r->name);
			continue;
		}
		if (r->type != T_SMS_CHANNEL)
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
			config_error(p, p->lines[SEC_CUSTODIAN][i],
			    "[custodian %s] has the mayor's key (mayor_public)",
			    c->name);
		for (j = 0; j < i; j++)
			if (sodium_memcmp(c->public_key,
				cfg->keys.custodians[j].public_key,
				CONFIG_KEY_BYTES) == 0)
				config_error(p, p->lines[SEC_CUSTODIAN][i],
				    "[custodian %s] has the key of [custodian "
				    "%s]",
				    c->name, cfg->keys.custodians[j].name);
	}
	if (cfg->keys.ncustodians + 1 > CONFIG_MAX_CUSTODIANS)
		config_error(p, 1, "at most %d custodians (the mayor and %d)",
		    CONFIG_MAX_CUSTODIANS, CONFIG_MAX_CUSTODIANS - 1);
	if (cfg->keys.unseal_requires == 2 && cfg->keys.ncustodians == 0)
		config_error(p, p->single_line[SEC_KEYS],
		    "unseal_requires = 2 needs a second custodian: add a "
		    "[custodian NAME] (the Inspektur) with its public key");
}

/*
 * The triage OPD: [routing] triage (check_refs() sees it names an [opd]);
 * without it the OPD "inspektorat".  A file with no [opd] at all has
 * nothing to route to and leaves triage NULL (router_new() refuses such a
 * config).  integrity_opd and verifier are by default the triage OPD.
 */
static void
finish_routing(struct parser *p)
{
	struct config *cfg = p->cfg;
	int line =
	    p->single_line[SEC_ROUTING] != 0 ? p->single_line[SEC_ROUTING] : 1;

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

/* The line of a key of [sla], or of the other when not given. */
static int
sla_line(struct parser *p, const char *name, const char *other)
{
	int line = line_of(sla_keys, p->key_line[SEC_SLA], name);

	return line ? line : line_of(sla_keys, p->key_line[SEC_SLA], other);
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
	const struct sla_duration *ack = &cfg->sla.acknowledge,
				  *res = &cfg->sla.resolve,
				  *rem = &cfg->sla.remind_before, *d;
	char a[32], b[32];

	if (res->unit == ack->unit && res->amount < ack->amount) {
		deadline_format(res, a, sizeof a);
		deadline_format(ack, b, sizeof b);
		config_error(p, sla_line(p, "resolve", "acknowledge"),
		    "resolve (%s) is shorter than acknowledge (%s)", a, b);
	}
	for (d = ack; d != NULL; d = d == ack ? res : NULL) {
		if (d->unit != rem->unit || rem->amount < d->amount)
			continue;
		deadline_format(rem, a, sizeof a);
		deadline_format(d, b, sizeof b);
		config_error(p,
		    sla_line(p, "remind_before",
			d == ack ? "acknowledge" : "resolve"),
		    "remind_before (%s) must be shorter than %s (%s)", a,
		    d == ack ? "acknowledge" : "resolve", b);
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
	int *dispatch = p->key_line[SEC_DISPATCH], line;
	size_t i;

	end_section(p);
	if (p->single_line[SEC_SERVER] == 0)
		config_error(p, 1, "missing section [server]");
	if (p->single_line[SEC_KEYS] == 0)
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
			config_error(
			    p, p->lines[SEC_CHANNEL][i], "out of memory");
		}
	}
	finish_custodians(p);
	check_refs(p);
	finish_routing(p);
	finish_sla(p);
	if (cfg->holidays.n > 1)
		qsort(cfg->holidays.days, cfg->holidays.n,
		    sizeof *cfg->holidays.days, cmp_int);
	line = line_of(dispatch_keys, dispatch, "retry_max");
	if (cfg->dispatch.retry_max_ms < cfg->dispatch.retry_base_ms)
		config_error(p,
		    line ? line
			 : line_of(dispatch_keys, dispatch, "retry_base"),
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

	if ((p.cfg = calloc(1, sizeof *p.cfg)) == NULL ||
	    (p.cfg->path = strdup(path)) == NULL ||
	    (p.dir = strdup(strchr(path, '/') != NULL ? path : ".")) == NULL) {
		config_error(&p, 0, "out of memory");
		goto done;
	}
	/* the defaults of the sections without an id, there or not */
	p.base = p.cfg;
	for (i = 0; i < SEC_COUNT; i++) {
		p.keys = config_sections[i].keys;
		if (config_sections[i].arg == NULL)
			set_defaults(&p, NULL, P_ALL);
	}
	p.keys = NULL;
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
	for (i = 0; i < SEC_COUNT; i++)
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

/* Free what the keys of a section hold in base. */
static void
free_keys(const struct keydef *k, void *base)
{
	struct config *cfg = base; /* of T_LISTEN */
	struct region *r = base;   /* of T_POINTS */
	void *v;
	size_t j;

	for (; k->name != NULL; k++) {
		v = (char *)base + k->off;
		switch (k->type) {
		case T_SECRET:
			free_secret(*(char **)v);
			break;
		case T_LIST:
		case T_OPDS:
		case T_REGIONS:
		case T_PHONES:
		case T_IPS:
			free_list(*(char ***)v);
			break;
		case T_DATES:
			free(((struct holidays *)v)->days);
			break;
		case T_POINTS:
			for (j = 0; j < r->npoints; j++)
				free(r->points[j].kelurahan);
			free(r->points);
			break;
		case T_LISTEN:
			free(cfg->server.listen_host);
			break;
		case T_SECKEY:
			sodium_memzero(v, CONFIG_KEY_BYTES);
			break;
		default:
			if (k->type <= T_KEYFILE) /* the char * ones */
				free(*(char **)v);
			break;
		}
	}
}

void
config_free(struct config *cfg)
{
	const struct config_section *s;
	char *items;
	size_t i, n;

	if (cfg == NULL)
		return;
	for (s = config_sections; s < config_sections + SEC_COUNT; s++) {
		if (s->arg == NULL) {
			free_keys(s->keys, cfg);
			continue;
		}
		items = *(char **)((char *)cfg + s->items);
		n = *(size_t *)((char *)cfg + s->count);
		for (i = 0; i < n; i++) {
			free(*(char **)(items + i * s->size)); /* its id */
			free_keys(s->keys, items + i * s->size);
		}
		free(items);
	}
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
	if ((unsigned)provider > PROVIDER_SMSSYNC)
		return "unknown";
	return provider_names[provider];
}
