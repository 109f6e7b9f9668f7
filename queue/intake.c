/*
 * intake: from normalised inbound events to sealed, hashed rows.  The
 * identity record is built on the stack, sealed, and wiped by
 * seal_identity(); nothing that names the sender leaves this function
 * except inside the sealed blob.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "queue/intake.h"
#include "queue/seal.h"

static const char *
type_name(enum inbound_type t)
{
	switch (t) {
	case INBOUND_LOCATION:
		return "location";
	case INBOUND_MEDIA:
		return "media";
	case INBOUND_REPLY:
		return "reply";
	case INBOUND_TEXT:
	default:
		return "text";
	}
}

static int
prepare_report(struct store_report *r, const struct config *cfg,
    const struct channel *ch, const struct inbound_message *m,
    const unsigned char *dedupe_key, time_t now, char *err, size_t errlen)
{
	struct identity id;
	int rc;

	memset(&id, 0, sizeof id);
	snprintf(id.channel, sizeof id.channel, "%s", ch->name);
	snprintf(id.sender, sizeof id.sender, "%s", m->sender);
	snprintf(id.user_id, sizeof id.user_id, "%s", m->user_id);
	snprintf(
	    id.profile_name, sizeof id.profile_name, "%s", m->profile_name);
	snprintf(id.provider_id, sizeof id.provider_id, "%s", m->id);
	id.received_at = now;

	randombytes_buf(r->uid, sizeof r->uid);
	store_new_code(cfg->server.report_prefix, r->code);
	r->channel = ch->name;
	r->type = type_name(m->type);
	r->text = m->text;
	r->has_location = m->has_location;
	r->latitude = m->latitude;
	r->longitude = m->longitude;
	r->media_type = m->media_type[0] != '\0' ? m->media_type : NULL;
	r->received_at = now;
	store_hash_id(dedupe_key, ch->name, m->id, r->dedupe);
	rc = seal_identity(
	    &id, r->uid, cfg->keys.mayor_public, &r->sealed, err, errlen);
	sodium_memzero(&id, sizeof id);
	return rc;
}

int
intake_prepare(struct intake *in, const struct config *cfg,
    const struct channel *ch, const struct inbound_batch *batch,
    const unsigned char *dedupe_key, time_t now, char *err, size_t errlen)
{
	size_t i;

	memset(&in->job, 0, sizeof in->job);
	for (i = 0; i < batch->nmessages; i++)
		if (prepare_report(&in->reports[i], cfg, ch,
			&batch->messages[i], dedupe_key, now, err,
			errlen) == -1)
			return -1;
	for (i = 0; i < batch->nstatuses; i++) {
		struct store_status *s = &in->statuses[i];
		const struct inbound_status *is = &batch->statuses[i];

		s->channel = ch->name;
		store_hash_id(dedupe_key, ch->name, is->id, s->message);
		s->status = is->status;
		s->error_code = is->error_code;
		s->at = is->at != 0 ? is->at : now;
	}
	in->job.reports = in->reports;
	in->job.nreports = batch->nmessages;
	in->job.statuses = in->statuses;
	in->job.nstatuses = batch->nstatuses;
	return 0;
}
