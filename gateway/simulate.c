/*
 * simulate: `hotline simulate --config F --channel NAME --from NUMBER
 * TEXT` posts one citizen message to the running server, built and signed
 * by the channel's adapter exactly as the provider would send it.  It is
 * how an operator tries a channel end to end without a phone.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "adapters/adapter.h"
#include "config/config.h"
#include "gateway/commands.h"
#include "lib/phone.h"

enum { OPT_CONFIG = 1, OPT_CHANNEL, OPT_FROM, OPT_URL };

static const struct option simulate_options[] = {
    {"config", required_argument, NULL, OPT_CONFIG},
    {"channel", required_argument, NULL, OPT_CHANNEL},
    {"from", required_argument, NULL, OPT_FROM},
    {"url", required_argument, NULL, OPT_URL},
    {NULL, 0, NULL, 0},
};

/* A provider-looking message id that is new every time. */
static void
new_message_id(enum provider p, char *buf, size_t len)
{
	unsigned char raw[16];
	char hex[33];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
	switch (p) {
	case PROVIDER_WHATSAPP_CLOUD:
		snprintf(buf, len, "wamid.SIM%s", hex);
		break;
	case PROVIDER_TWILIO:
		snprintf(buf, len, "SM%s", hex);
		break;
	default:
		snprintf(buf, len, "%s", hex);
		break;
	}
}

static size_t
keep_body(char *data, size_t size, size_t n, void *arg)
{
	FILE *out = arg;

	return fwrite(data, size, n, out);
}

int
cmd_simulate(int argc, char **argv)
{
	const char *cfgpath = NULL, *name = NULL, *from = NULL, *url = NULL;
	struct signed_request sreq = {0};
	struct simulated_message msg;
	struct curl_slist *hdrs = NULL;
	const struct channel *ch;
	const struct adapter *ad;
	struct config *cfg;
	char errs[8192], target[512], line[400], id[64], number[32];
	CURL *curl = NULL;
	long status = 0;
	int c, i, rc = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", simulate_options, NULL)) != -1)
		switch (c) {
		case OPT_CONFIG:
			cfgpath = optarg;
			break;
		case OPT_CHANNEL:
			name = optarg;
			break;
		case OPT_FROM:
			from = optarg;
			break;
		case OPT_URL:
			url = optarg;
			break;
		default:
			goto usage;
		}
	if (cfgpath == NULL || name == NULL || from == NULL ||
	    optind != argc - 1)
		goto usage;
	if ((cfg = config_load(cfgpath, errs, sizeof errs)) == NULL) {
		fputs(errs, stderr);
		return 1;
	}
	if ((ch = config_channel(cfg, name)) == NULL) {
		fprintf(
		    stderr, "hotline: no [channel %s] in %s\n", name, cfgpath);
		goto done;
	}
	if (phone_normalize(from, number, sizeof number) == -1) {
		fprintf(stderr, "hotline: --from is not a phone number\n");
		goto done;
	}
	if (url == NULL) {
		if (cfg->server.listen_port == 0) {
			fprintf(stderr,
			    "hotline: listen has port 0; give "
			    "--url http://HOST:PORT\n");
			goto done;
		}
		snprintf(target, sizeof target, "http://%s:%d/webhook/%s",
		    cfg->server.listen_host, cfg->server.listen_port, name);
	} else
		snprintf(target, sizeof target, "%s/webhook/%s", url, name);

	ad = adapter_for(ch->provider);
	new_message_id(ch->provider, id, sizeof id);
	msg.from = number;
	msg.text = argv[optind];
	msg.id = id;
	msg.now = time(NULL);
	if (ad->sign(ch, &msg, &sreq, errs, sizeof errs) == -1) {
		fprintf(stderr, "hotline: %s\n", errs);
		goto done;
	}
	snprintf(line, sizeof line, "Content-Type: %s", sreq.content_type);
	hdrs = curl_slist_append(hdrs, line);
	for (i = 0; i < 2; i++)
		if (sreq.header_name[i][0] != '\0') {
			snprintf(line, sizeof line, "%s: %s",
			    sreq.header_name[i], sreq.header_value[i]);
			hdrs = curl_slist_append(hdrs, line);
		}
	if ((curl = curl_easy_init()) == NULL)
		goto done;
	curl_easy_setopt(curl, CURLOPT_URL, target);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, sreq.body);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)sreq.body_len);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, stdout);
	if (curl_easy_perform(curl) != CURLE_OK) {
		fprintf(stderr, "hotline: cannot reach %s\n", target);
		goto done;
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	fprintf(stderr, "hotline: %s answered %ld\n", target, status);
	rc = status >= 200 && status < 300 ? 0 : 1;
done:
	curl_easy_cleanup(curl);
	curl_slist_free_all(hdrs);
	signed_request_free(&sreq);
	config_free(cfg);
	return rc;
usage:
	fprintf(stderr,
	    "usage: hotline simulate --config FILE --channel NAME "
	    "--from NUMBER [--url http://HOST:PORT] TEXT\n");
	return 2;
}
