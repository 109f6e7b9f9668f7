/*
 * fixtures: the credentials, URLs and signatures of the signed provider
 * payloads in tests/fixtures/ (see tests/fixtures/PROVENANCE.md, where
 * they are recorded and how to recompute them), and a channel for each
 * provider that accepts them.  Shared by the unit tests
 * (tests/unit/testlib.h) and the fuzz targets (tests/fuzz/fuzzlib.h),
 * which are built apart from each other: hence a header only.
 */
#ifndef HOTLINE_TESTS_FIXTURES_H
#define HOTLINE_TESTS_FIXTURES_H

#include <string.h>

#include "config/config.h"

/* The reporter of every fixture, and the text of the SMS fixtures. */
#define FIXTURE_REPORTER	"+6281234567890"
#define FIXTURE_REPORTER_DIGITS "6281234567890"
#define FIXTURE_SMS_TEXT                                                       \
	"PUNGLI di kantor kelurahan Bandar Lor, diminta bayar 50rb untuk "     \
	"surat pengantar KTP"
/* The time the fixtures were signed at (X-Timestamp of the capcom6 one). */
#define FIXTURE_NOW 1795314600

/* Twilio: twilio_inbound.form and twilio_whatsapp_inbound.form. */
#define FIXTURE_TWILIO_TOKEN   "a1b2c3d4e5f60718293a4b5c6d7e8f90"
#define FIXTURE_TWILIO_ACCOUNT "AC9a8b7c6d5e4f30211203a4b5c6d7e8f9"
#define FIXTURE_TWILIO_SMS_URL "https://lapor.pemkot.example/hooks/twilio/sms"
#define FIXTURE_TWILIO_SMS_SIG "NwaeQfqPjgvrfF1f54AXYhu5WDQ="
#define FIXTURE_TWILIO_WA_URL                                                  \
	"https://lapor.pemkot.example/hooks/twilio/whatsapp"
#define FIXTURE_TWILIO_WA_SIG "n6D/L/QibecLSdh4Q19lEkQ4RFw="
#define FIXTURE_TWILIO_FROM   "+6281100002222"

/* Meta WhatsApp Cloud API: whatsapp_*.json. */
#define FIXTURE_WA_APP_SECRET	"0a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define FIXTURE_WA_VERIFY_TOKEN "verify-token-for-tests"
#define FIXTURE_WA_PHONE_ID	"115522334455667"
#define FIXTURE_WA_URL		"https://lapor.pemkot.example/hooks/whatsapp"
#define FIXTURE_WA_TEXT_SIG                                                    \
	"sha256="                                                              \
	"9c4af49cc728c0bef92896c1be7f3302f5618b497783ccabd94fdd8c3abea57d"

/* SMS Gateway for Android: android_sms_gateway_received.json. */
#define FIXTURE_ASG_KEY "asg-signing-key-for-tests"
#define FIXTURE_ASG_TS	"1795314600"
#define FIXTURE_ASG_SIG                                                        \
	"71192ab0d68a64f4bc14991fffbb95981e621f6c8923166cc5e8709e83ef1ac9"

/* SMSSync: smssync_inbound.form. */
#define FIXTURE_SMSSYNC_SECRET "smssync-shared-secret-for-tests"
#define FIXTURE_SMSSYNC_URL    "https://lapor.pemkot.example/hooks/smssync"

/*
 * A channel of provider p holding the fixtures' credentials: Twilio's is
 * the SMS number's (FIXTURE_TWILIO_SMS_URL).  Change a field to test
 * another configuration.
 */
static inline struct channel
fixture_channel(enum provider p)
{
	struct channel c;

	memset(&c, 0, sizeof(c));
	c.provider = p;
	switch (p) {
	case PROVIDER_WHATSAPP_CLOUD:
		c.name = "wa";
		c.app_secret = FIXTURE_WA_APP_SECRET;
		c.verify_token = FIXTURE_WA_VERIFY_TOKEN;
		c.phone_number_id = FIXTURE_WA_PHONE_ID;
		break;
	case PROVIDER_TWILIO:
		c.name = "twilio-sms";
		c.webhook_url = FIXTURE_TWILIO_SMS_URL;
		c.auth_token = FIXTURE_TWILIO_TOKEN;
		c.account_sid = FIXTURE_TWILIO_ACCOUNT;
		c.from = FIXTURE_TWILIO_FROM;
		break;
	case PROVIDER_ANDROID_SMS_GATEWAY:
		c.name = "sms";
		c.signing_key = FIXTURE_ASG_KEY;
		break;
	case PROVIDER_SMSSYNC:
		c.name = "sms";
		c.webhook_url = FIXTURE_SMSSYNC_URL;
		c.secret = FIXTURE_SMSSYNC_SECRET;
		break;
	}
	return c;
}

#endif
