/*
 * config: the hotline configuration, parsed from an INI file with inih and
 * validated into a read-only snapshot.  Every error is reported as
 * "file:line: message"; an unknown section or key is an error.  Secrets may
 * be given as KEY_file = PATH (for systemd credentials); such a file is
 * refused when group- or world-readable.  Nothing here is changed after
 * config_load() returns.
 */
#ifndef HOTLINE_CONFIG_H
#define HOTLINE_CONFIG_H

#include <stddef.h>

#include "lib/calendar.h"
#include "lib/duration.h"

#define CONFIG_KEY_BYTES      32 /* an X25519 public key */
#define CONFIG_MAX_CUSTODIANS 8	 /* the mayor and 7 more */

enum provider {
	PROVIDER_WHATSAPP_CLOUD,
	PROVIDER_TWILIO,
	PROVIDER_ANDROID_SMS_GATEWAY,
	PROVIDER_SMSSYNC,
};

struct channel {
	char *name; /* [channel NAME] */
	enum provider provider;
	/*
	 * The full URL the provider calls, which is what Twilio signs:
	 * webhook_url when set (a proxy may rewrite the path), otherwise
	 * server.public_url + "/webhook/" + name.
	 */
	char *webhook_url;
	char *api_base;
	/* whatsapp_cloud */
	char *app_secret;
	char *verify_token;
	char *access_token;
	char *phone_number_id;
	/* twilio */
	char *account_sid;
	char *auth_token;
	char *from;
	/* android_sms_gateway */
	char *signing_key;
	char *username;
	char *password;
	/* smssync */
	char *secret;
	/* sending */
	int rate_per_second; /* messages a second at most (default 5) */
	/*
	 * Alerts to OPD heads (whatsapp_cloud and twilio channels only).
	 * alert_template: the approved WhatsApp template the alerts use (heads
	 * are usually outside the 24-hour window): its name, [a-z0-9_], or on
	 * a twilio channel a Content SID (HX and 32 hex digits).
	 * sms_fallback: a [channel] that sends SMS (android_sms_gateway,
	 * smssync, or twilio with an SMS from) to retry a failed alert on.
	 */
	char *alert_template;
	char *sms_fallback;
	/*
	 * twilio: after each message is stored, ask the provider to delete
	 * its copy (which names the sender); default yes.
	 */
	int forget_at_provider;
};

struct category {
	char *id;
	char *name;
	char **keywords; /* NULL-terminated */
	/*
	 * OPD ids alerted on every report of this category besides the OPD
	 * it is routed to (the Inspektorat for reports about an OPD's own
	 * staff), NULL-terminated; NULL: none.
	 */
	char **also_notify;
};

/* What an alert to an OPD head carries of the report's text. */
enum alert_text {
	ALERT_TEXT_NONE,    /* nothing (the default) */
	ALERT_TEXT_EXCERPT, /* a redacted excerpt: numbers and NIKs masked */
};

struct opd {
	char *id;
	char *name;
	char **keywords;      /* NULL-terminated */
	char *head;	      /* E.164 number of the OPD head */
	char *head_channel;   /* a [channel NAME] */
	char *deputy;	      /* a second destination (optional), E.164 */
	char *deputy_channel; /* its [channel NAME] */
	enum alert_text alert_text;
	char **regions; /* region ids it is scoped to; NULL: all */
};

/* A kelurahan's point on the map, for WhatsApp location pins. */
struct point {
	char *kelurahan; /* as written in the region's kelurahan list */
	double latitude, longitude;
};

struct region {
	char *id; /* a kecamatan */
	char *name;
	char **kelurahan;     /* NULL-terminated */
	struct point *points; /* points = NAME LAT LON, ... (optional) */
	size_t npoints;
};

/*
 * The citizen-facing texts, overridable in [templates]; NULL means the
 * built-in Indonesian default (queue/templates.c).  The key of each is
 * config_template_names[i].
 */
enum template_id {
	TEMPLATE_ACK,		   /* new report: code, receipt, what next */
	TEMPLATE_ASK_PLACE,	   /* place missing: which kelurahan? */
	TEMPLATE_PLACE_ADDED,	   /* the place was added to the report */
	TEMPLATE_STATUS,	   /* CEK: category, OPD, status, last update */
	TEMPLATE_UNKNOWN_RECEIPT,  /* CEK or TAMBAH with an unknown receipt */
	TEMPLATE_ADDED,		   /* TAMBAH accepted */
	TEMPLATE_TOO_MANY_TRIES,   /* receipt attempts rate limited */
	TEMPLATE_EMPTY,		   /* a message with no words in it */
	TEMPLATE_RESOLVED,	   /* CEK of a resolved report: the outcome */
	TEMPLATE_STAFF_ONLY,	   /* a head's command from another number */
	TEMPLATE_WELCOME,	   /* an opener: greeting and how to report */
	TEMPLATE_THANKS,	   /* thanks after a receipt: once per report */
	TEMPLATE_ANSWER_OFFICIAL,  /* is this the official number? */
	TEMPLATE_ANSWER_HOW,	   /* how do I report? */
	TEMPLATE_ANSWER_SAFE,	   /* is my identity safe? */
	TEMPLATE_ANSWER_DURATION,  /* how long does it take? */
	TEMPLATE_ANSWER_PHOTO,	   /* can I send photos? */
	TEMPLATE_ANSWER_OTHER,	   /* any other question */
	TEMPLATE_NO_NUMBER,	   /* a bare NIK or phone number */
	TEMPLATE_CODE_NOT_RECEIPT, /* a report code where the receipt belongs */
	TEMPLATE_MERGED,	   /* a message added to the open report */
	TEMPLATE_DUPLICATE,	   /* the same text again within 24 h */
	TEMPLATE_ASK_PLACE_AGAIN,  /* the place question, the second and last
				      time */
	TEMPLATE_NO_PLACE,	   /* the reporter declines to name the place */
	TEMPLATE_NEXT_REPORT, /* "ada lagi": the next message is a new report */
	/* to OPD heads and the mayor (staff) */
	TEMPLATE_ALERT,		    /* a new report for the OPD */
	TEMPLATE_REMINDER,	    /* a deadline is near */
	TEMPLATE_ESCALATION,	    /* a deadline passed */
	TEMPLATE_DIGEST,	    /* the daily counts */
	TEMPLATE_HEAD_ACKNOWLEDGED, /* TERIMA done */
	TEMPLATE_HEAD_PROGRESS,	    /* PROSES done */
	TEMPLATE_HEAD_RESOLVED,	    /* SELESAI done */
	TEMPLATE_HEAD_REJECTED,	    /* TOLAK done */
	TEMPLATE_HEAD_REFUSED,	    /* the status does not allow it */
	TEMPLATE_HEAD_UNKNOWN,	    /* no such code among the OPD's reports */
	TEMPLATE_HEAD_NEEDS_NOTE,   /* PROSES, SELESAI, TOLAK without a note */
	TEMPLATE_HEAD_USAGE,	    /* anything else from a head */
	TEMPLATE_HEAD_FORWARDED,    /* TERUSKAN done */
	TEMPLATE_HEAD_TARGET,	    /* TERUSKAN without a known OPD */
	TEMPLATE_EVIDENCE_REFUSED,  /* a photo, file, ... not kept: why */
	TEMPLATE_COUNT
};
extern const char *const config_template_names[TEMPLATE_COUNT];

/* A custodian besides the mayor ([custodian NAME]). */
struct config_custodian {
	char *name;
	unsigned char public_key[CONFIG_KEY_BYTES];
};

struct config {
	char *path;
	struct {
		char *listen_host; /* listen = HOST:PORT */
		int listen_port;   /* 0: any free port */
		char *public_url;  /* no trailing slash */
		char *database;
		/* tmpfs for keys that must outlive a crash, never a reboot;
		 * NULL: $RUNTIME_DIRECTORY, or memory only */
		char *runtime_dir;
		/* the reverse proxy whose X-Forwarded-For names the client */
		char *trusted_proxy;
		/* who may read /metrics: IP addresses, or "any"; NULL:
		 * loopback only */
		char **metrics_from;
		char *city;
		char *report_prefix; /* e.g. KDR */
		size_t max_body;     /* bytes, default 512k */
		int max_connections;
		int request_timeout; /* seconds a connection may be idle */
		int max_connections_per_ip; /* 0: no limit (behind a proxy) */
		int read_timeout; /* seconds to read a request, headers and body
				   */
		int threads;	  /* libmicrohttpd pool size */
		int log_level; /* 0 debug, 1 info (default), 2 warn, 3 error */
		int flood_per_minute; /* reports a sender may open a minute */
		int session_idle;     /* seconds a web session may be idle */
	} server;
	struct {
		unsigned char mayor_public[CONFIG_KEY_BYTES];
		/* the wrapped secret key the mayor's web login opens, or NULL
		 */
		char *mayor_key;
		int demo; /* [keys] demo = yes: its key may be public */
		int unseal_requires; /* custodians an unseal takes: 1 or 2 */
		/* [custodian NAME]: those besides the mayor */
		struct config_custodian *custodians;
		size_t ncustodians;
		int epoch; /* seconds an epoch key lives at most (1s) */
	} keys;
	struct {
		char *triage;		/* [routing] triage: an OPD id */
		double max_distance_km; /* location pin to kelurahan point */
		/* who handles what accuses an office's leadership (an OPD
		 * id; by default triage), and what concerns the mayor's own
		 * office (NULL: integrity_opd) */
		char *integrity_opd, *about_mayor;
		int staff_to_integrity; /* staff_accusations = integrity */
		int verify;		/* every report to the verifier first */
		char *verifier;		/* an OPD id; by default triage */
	} routing;
	struct {
		long retry_base_ms; /* first retry after this (default 30s) */
		long retry_max_ms;  /* backoff cap (default 1h) */
		int max_attempts;   /* then the row is dead (default 8) */
		long timeout_ms;    /* one HTTP request (default 30s) */
	} dispatch;
	/*
	 * [sla]: the deadlines of a routed report, each at most 60 days
	 * (Perpres 76/2013) or 40 working days.  Working days are counted in
	 * local time (utc_offset) without weekends and holidays; see
	 * queue/deadline.h for the rule.
	 */
	struct {
		struct sla_duration acknowledge;   /* default 3 wd */
		struct sla_duration resolve;	   /* default 10 wd */
		struct sla_duration remind_before; /* default 1 wd */
		/* an OPD id; default inspektorat when it exists, else NULL */
		char *escalate_to;
		int utc_offset; /* seconds east of UTC; default +07:00 (WIB) */
	} sla;
	/* [conversation]: how a sender's messages make reports */
	struct {
		int merge_window;   /* seconds a report takes notes (3m) */
		int merge_max;	    /* seconds at most from the first (15m) */
		int place_wait;	    /* seconds the place question waits (30m) */
		char *info_contact; /* where other questions are sent */
	} conversation;
	/*
	 * [privacy]: a report's first alert waits a random time in
	 * [alert_delay_min, alert_delay_max] seconds (2m-10m), so that its
	 * moment does not point at the citizen who just left the counter.
	 */
	struct {
		int alert_delay_min, alert_delay_max;
	} privacy;
	struct holidays holidays; /* [holidays] dates, ascending, each once */
	/*
	 * [retention]: seconds after a report closed that its identity is
	 * destroyed (default 2 years) and its text blanked (0: never)
	 */
	struct {
		long long identity_after, text_after;
	} retention;
	/*
	 * [evidence]: photos, videos, voice notes and documents the citizen
	 * sends, fetched and kept encrypted under the evidence key (its
	 * secret from key or key_file; none: evidence is not fetched)
	 */
	struct {
		int enabled;
		unsigned char public_key[CONFIG_KEY_BYTES];
		unsigned char secret_key[CONFIG_KEY_BYTES]; /* wiped at free */
		long max_bytes; /* per item (16 MiB) */
		int max_items;	/* per report (10) */
	} evidence;
	/* [digest]: the daily counts to the mayor; to NULL: none sent */
	struct {
		char *to;	/* E.164 */
		char **also_to; /* E.164 each (the Inspektur), or NULL */
		char *channel;	/* a [channel NAME] */
		int at_minutes; /* local time, minutes after 00:00 (07:00) */
	} digest;
	char *templates[TEMPLATE_COUNT];
	struct channel *channels;
	size_t nchannels;
	struct category *categories;
	size_t ncategories;
	struct opd *opds;
	size_t nopds;
	struct region *regions;
	size_t nregions;
};

/*
 * Parse and validate PATH.  On success return the config; on failure
 * return NULL and write every error, one "file:line: message" a line, to
 * errs (truncated to errlen).
 */
struct config *config_load(const char *path, char *errs, size_t errlen);
/*
 * config_load() for a command that needs no secret (reports, outbox,
 * audit, backup, user, route, check --syntax): secrets given as KEY_file
 * are not read (left unset) and not required, and an unreadable
 * mayor_key is left unset, so it runs where only the service may read
 * the credentials.
 */
struct config *config_load_public(const char *path, char *errs, size_t errlen);
void config_free(struct config *);

const struct channel *config_channel(const struct config *, const char *name);
/* The [opd] with this id, or NULL (also for a NULL id). */
const struct opd *config_opd(const struct config *, const char *id);

/*
 * Is mayor_public a key whose secret is known or lost (the repository's
 * demo key, the example's placeholder)?  What it is, or NULL.  `check`
 * and `serve` refuse such a key unless [keys] demo = yes.
 */
const char *config_public_secret(const struct config *);
/* The name of an [opd], [category] or [region] id; NULL when none. */
const char *config_opd_name(const struct config *, const char *id);
const char *config_category_name(const struct config *, const char *id);
const char *config_region_name(const struct config *, const char *id);
const char *config_provider_name(enum provider);

#endif
