/*
 * config_keys: the keys of the config file as one table, a row a key, which
 * config/config.c parses with, config_print writes back (check --print)
 * and config_describe() lists for the man page.  A row gives the key's
 * name, its type (what it takes and how it is written), where its value
 * lives, its range, its default (as the file would say it, read by the
 * same parser) and a line of help.  Internal to config/.
 */
#ifndef HOTLINE_CONFIG_KEYS_H
#define HOTLINE_CONFIG_KEYS_H

#include <stddef.h>

#include "config/config.h"

/* The sections, in the order check --print writes them. */
enum kind {
	SEC_SERVER,
	SEC_KEYS,
	SEC_CUSTODIAN,
	SEC_RETENTION,
	SEC_ROUTING,
	SEC_DISPATCH,
	SEC_CONVERSATION,
	SEC_PRIVACY,
	SEC_SLA,
	SEC_HOLIDAYS,
	SEC_DIGEST,
	SEC_EVIDENCE,
	SEC_TEMPLATES,
	SEC_CHANNEL,
	SEC_CATEGORY,
	SEC_OPD,
	SEC_REGION,
	SEC_COUNT,
	SEC_NONE = SEC_COUNT, /* the parser: before the first section */
	SEC_SKIP,	      /* a section already reported as wrong */
};

/*
 * What a key takes, and where: a char * unless said otherwise.  min and
 * max bound the numbers, in the unit stored (milliseconds for T_MS,
 * T_SECS and T_DELAY, seconds for T_RETAIN, bytes for the sizes).
 */
enum key_type {
	T_STR,	       /* text, not empty */
	T_TEXT,	       /* printable text, not empty */
	T_SECRET,      /* T_TEXT, or KEY_file (mode 0600); never shown */
	T_WORD,	       /* text that .valid accepts, else "must be .must" */
	T_URL,	       /* http(s), a query allowed, kept as given */
	T_BASEURL,     /* http(s), no query, trailing slashes cut */
	T_OPD,	       /* the id of an [opd] */
	T_CHANNEL,     /* the name of a [channel] */
	T_SMS_CHANNEL, /* the name of another [channel] that sends SMS */
	T_PHONE,       /* a phone number, kept in E.164 */
	T_KEYFILE,     /* a path to a file only its owner may read */
	/* comma lists, T_LIST to T_IPS in this order (the parser and
	 * config_print test the range): char **, NULL-terminated, but
	 * T_DATES and T_POINTS; all but T_IPS go on over indented lines */
	T_LIST,	   /* of words */
	T_OPDS,	   /* of [opd] ids */
	T_REGIONS, /* of [region] ids */
	T_PHONES,  /* of phone numbers */
	T_DATES,   /* YYYY-MM-DD: struct holidays */
	T_POINTS,  /* KELURAHAN LAT LON: the struct region's points */
	T_IPS,	   /* of IP addresses or "any", on one line */
	/* an int unless said otherwise */
	T_BOOL,	  /* yes or no */
	T_ENUM,	  /* one of .names, its index */
	T_COUNT,  /* an integer in [min, max] */
	T_KBYTES, /* bytes, or with k: a size_t */
	T_BYTES,  /* bytes, or with k or m: a long */
	T_REAL,	  /* a double above min, at most max */
	T_MS,	  /* a duration, [dispatch] style: a long of milliseconds */
	T_SECS,	  /* such a duration in whole seconds: an int of seconds */
	T_SLA,	  /* working days or a clock time: struct sla_duration */
	T_RETAIN, /* a duration up to years, or never (0): a long long of s */
	T_TIME,	  /* HH:MM: minutes after midnight */
	T_OFFSET, /* a UTC offset or WIB, WITA, WIT: seconds east of UTC */
	T_DELAY,  /* [privacy] alert_delay, a duration or a range of two */
	T_LISTEN, /* [server] listen, HOST:PORT */
	T_PUBKEY, /* base64 of a public key (unsigned char[32]) or KEY_file */
	T_SECKEY, /* [evidence] key: the secret key, or KEY_file */
};

#define KF_REQ	0x01 /* required in its section */
#define KF_PREQ 0x02 /* [channel]: required for the providers that take it */

#define P(x) (1u << (x))
#define P_ALL                                                                  \
	(P(PROVIDER_WHATSAPP_CLOUD) | P(PROVIDER_TWILIO) |                     \
	    P(PROVIDER_ANDROID_SMS_GATEWAY) | P(PROVIDER_SMSSYNC))

struct keydef {
	const char *name;
	enum key_type type;
	size_t off;	    /* of the value in its section's struct */
	long long min, max; /* the range of a number */
	const char *def;    /* the default, as the file says it; NULL: none */
	const char *help;   /* one line, for config_describe() */
	unsigned flags;	    /* KF_ */
	unsigned providers; /* [channel]: those that take the key */
	const char *unit;   /* T_COUNT, T_REAL: of the number, in messages */
	const char *const *names;    /* T_ENUM: the values, NULL-terminated */
	int (*valid)(const char *v); /* T_WORD: 1 when v will do */
	const char *must;	     /* T_WORD: what valid() takes */
};

/*
 * A section: its keys (up to a row without a name) and, for [KIND ARG]
 * sections, the array of struct config they fill (at items, its length
 * at count, each element size bytes that begin with the char * ARG).
 */
struct config_section {
	const char *name;
	enum kind kind;
	const struct keydef *keys;
	const char *arg; /* "NAME" or "ID"; NULL: no name, at most once */
	size_t items, count, size;
	int sparse; /* check --print leaves out what is not set */
};

extern const struct config_section config_sections[SEC_COUNT];

/*
 * n, a value of type t, as the file says it: a duration in the largest
 * unit that divides it, a size in m or k when it divides, else a count.
 */
void config_format_number(enum key_type t, long long n, char *buf, size_t len);
/* What k takes, as its errors say after "must be": "1 to 65536". */
void config_key_must(const struct keydef *k, char *buf, size_t len);

#endif
