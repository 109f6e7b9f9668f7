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

#define CONFIG_KEY_BYTES 32 /* an X25519 public key */

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
};

struct category {
	char *id;
	char *name;
	char **keywords; /* NULL-terminated */
};

struct opd {
	char *id;
	char *name;
	char **keywords;    /* NULL-terminated */
	char *head;	    /* E.164 number of the OPD head */
	char *head_channel; /* a [channel NAME] */
};

struct region {
	char *id; /* a kecamatan */
	char *name;
	char **kelurahan; /* NULL-terminated */
};

struct config {
	char *path;
	struct {
		char *listen_host; /* listen = HOST:PORT */
		int listen_port;   /* 0: any free port */
		char *public_url;  /* no trailing slash */
		char *database;
		char *city;
		char *report_prefix; /* e.g. KDR */
		size_t max_body;     /* bytes */
		int max_connections;
		int request_timeout;  /* seconds */
		int threads;	      /* libmicrohttpd pool size */
		int flood_per_minute; /* reports a sender may open a minute */
	} server;
	struct {
		unsigned char mayor_public[CONFIG_KEY_BYTES];
	} keys;
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
void config_free(struct config *);

const struct channel *config_channel(const struct config *, const char *name);
const char *config_provider_name(enum provider);

#endif
