/*
 * intake: classifying, routing and sealing one webhook's messages.  The
 * identity record is built on the stack, sealed, and wiped by
 * seal_identity(); a sender's number survives the request only inside the
 * sealed identity and, memkey-sealed, with the receipt waiting to be
 * hashed.  Inline channels keep the number in memory until the answer is
 * built, and intake_free() wipes it.  Texts are never copied: the rows and
 * the worker's commands point into the batch's heap-held texts, which the
 * batch owns and outlives the intake.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "adapters/send.h"
#include "queue/alerts.h"
#include "queue/intake.h"
#include "queue/lifecycle.h"
#include "queue/seal.h"
#include "queue/templates.h"
#include "queue/watch.h"

enum became { BECAME_REPORT = 1, BECAME_FOLLOWUP, BECAME_COMMAND };

#define ORDER(kind, i) ((size_t)(kind) << 8 | (i))
#define ORDER_KIND(o)  ((int)((o) >> 8))
#define ORDER_INDEX(o) ((o)&0xff)

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

static const char *
sender_of(const struct inbound_message *m)
{
	return m->sender[0] != '\0' ? m->sender : m->user_id;
}

static void
route_message(const struct intake_context *ctx, const struct inbound_message *m,
    struct route *route)
{
	struct route_location loc = {0};

	if (m->has_location) {
		loc.has_point = 1;
		loc.latitude = m->latitude;
		loc.longitude = m->longitude;
	}
	router_route(
	    ctx->router, m->text, m->has_location ? &loc : NULL, route);
}

static int
prepare_report(struct intake *in, size_t k, const struct intake_context *ctx,
    const struct channel *ch, const struct inbound_message *m, time_t now,
    char *err, size_t errlen)
{
	struct store_report *r = &in->reports[k];
	char digits[RECEIPT_DIGITS + 1];
	struct identity id;
	struct route route;
	int rc, flags = 0;

	memset(r, 0, sizeof *r);
	memset(&id, 0, sizeof id);
	snprintf(id.channel, sizeof id.channel, "%s", ch->name);
	snprintf(id.sender, sizeof id.sender, "%s", m->sender);
	snprintf(id.user_id, sizeof id.user_id, "%s", m->user_id);
	snprintf(
	    id.profile_name, sizeof id.profile_name, "%s", m->profile_name);
	snprintf(id.provider_id, sizeof id.provider_id, "%s", m->id);
	id.received_at = now;

	route_message(ctx, m, &route);
	if ((in->routing[k] = router_json(&route)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	randombytes_buf(r->uid, sizeof r->uid);
	store_new_code(ctx->cfg->server.report_prefix, r->code);
	r->channel = ch->name;
	r->type = type_name(m->type);
	r->text = m->text;
	r->has_location = m->has_location;
	r->latitude = m->latitude;
	r->longitude = m->longitude;
	r->media_type = m->media_type[0] != '\0' ? m->media_type : NULL;
	r->received_at = now;
	r->status = route.triage ? "triage" : "routed";
	r->category = route.category ? route.category->id : NULL;
	r->opd = route.opd ? route.opd->id : NULL;
	r->kecamatan = route.kecamatan ? route.kecamatan->id : NULL;
	r->kelurahan = route.kelurahan;
	r->routing = in->routing[k];
	watch_deadlines(ctx->cfg, now, &r->ack_due, &r->resolve_due);
	store_hash_id(ctx->dedupe_key, ch->name, m->id, r->dedupe);

	in->ask_place[k] = route.kecamatan == NULL && route.kelurahan == NULL;
	receipt_new(digits, in->receipts[k]);
	if (!in->inline_replies)
		flags |= PENDING_ACK_BY_OUTBOX;
	if (in->ask_place[k])
		flags |= PENDING_ASK_PLACE;
	r->pending_len = conversation_seal_pending(ctx->key, digits, flags,
	    in->inline_replies ? "" : sender_of(m), r->pending);
	sodium_memzero(digits, sizeof digits);
	if (r->pending_len == 0) {
		snprintf(err, errlen, "sender address too long");
		return -1;
	}
	rc = seal_identity(
	    &id, r->uid, ctx->cfg->keys.mayor_public, &r->sealed, err, errlen);
	sodium_memzero(&id, sizeof id);
	return rc;
}

/* A reply to a follow-up: sealed for the outbox, or kept for inline. */
static int
followup_reply(struct intake *in, size_t k, const struct intake_context *ctx,
    const struct channel *ch, const struct inbound_message *m,
    enum template_id id, const char *code, unsigned char *sealed,
    size_t sealedlen, char *err, size_t errlen)
{
	struct store_followup *f = &in->followups[k];
	const struct template_var vars[] = {
	    {"code", code},
	    {"city", ctx->cfg->server.city},
	};
	char *text;

	if ((text = templates_render(ctx->cfg, id, vars, 2)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	f->reply.kind = config_template_names[id];
	f->reply.channel = ch->name;
	if (in->inline_replies) {
		f->reply.status = "sent";
		in->followup_text[k] = text;
		return 0;
	}
	f->reply.status = "queued";
	f->reply.sealed = sealed;
	f->reply.sealed_len = conversation_seal_message(
	    ctx->key, sender_of(m), text, sealed, sealedlen);
	free(text);
	if (f->reply.sealed_len == 0) {
		snprintf(err, errlen, "reply too long");
		return -1;
	}
	return 0;
}

int
intake_prepare(struct intake *in, const struct intake_context *ctx,
    const struct channel *ch, const struct inbound_batch *batch, time_t now,
    char *err, size_t errlen)
{
	/* Outbox replies to follow-ups, sealed: one buffer per follow-up. */
	static const size_t sealed_size = 4096;
	unsigned char is_command[INBOUND_MAX_EVENTS] = {0};
	struct head_command head;
	struct command cmd;
	struct route route;
	size_t i, nr = 0, nf = 0, nc = 0;
	char code[STORE_CODE_MAX];

	memset(&in->job, 0, sizeof in->job);
	memset(&in->task, 0, sizeof in->task);
	memset(in->routing, 0, sizeof in->routing);
	memset(in->followup_text, 0, sizeof in->followup_text);
	in->inline_replies = sender_for(ch->provider)->inline_answer != NULL;
	in->nmessages = batch->nmessages;
	/*
	 * Read each message for a command once; the receipt is not kept.
	 * Staff (OPD heads, the digest's recipient) never open reports:
	 * everything they send goes to the worker as a command.
	 */
	for (i = 0; i < batch->nmessages; i++) {
		is_command[i] = conversation_parse(batch->messages[i].text,
				    &cmd) != COMMAND_NONE ||
		    alerts_is_staff(ctx->cfg, batch->messages[i].sender);
		nc += is_command[i];
	}
	sodium_memzero(&cmd, sizeof cmd);
	if (nc > 0 &&
	    (in->task.messages = calloc(nc, sizeof *in->task.messages)) == NULL)
		goto nomem;
	nc = 0;
	for (i = 0; i < batch->nmessages; i++) {
		const struct inbound_message *m = &batch->messages[i];
		struct store_followup *f = &in->followups[nf];
		unsigned char *sealed;

		snprintf(in->to[i], sizeof in->to[i], "%s",
		    in->inline_replies ? sender_of(m) : "");
		memkey_tag(ctx->key, ch->name, sender_of(m), in->tags[i]);
		if (is_command[i]) {
			/* A shallow copy: its text is the batch's. */
			in->task.messages[nc] = *m;
			in->order[i] = ORDER(BECAME_COMMAND, nc++);
			/* for intake_free on failure */
			in->task.nmessages = nc;
			continue;
		}
		memset(f, 0, sizeof *f);
		snprintf(code, sizeof code, "-");
		if (lifecycle_parse_command(m->text,
			ctx->cfg->server.report_prefix, &head) != HEAD_NONE) {
			/* A head's command from a citizen: a neutral answer. */
		} else if (!conversation_is_empty(m->text) || m->has_location ||
		    m->media_type[0] != '\0') {
			if (!awaiting_take(ctx->awaiting, in->tags[i], now,
				&f->target, code)) {
				if (prepare_report(in, nr, ctx, ch, m, now, err,
					errlen) == -1)
					return -1;
				in->order[i] = ORDER(BECAME_REPORT, nr++);
				continue;
			}
			/* The place a waiting report asked for. */
			memset(&f->reply, 0, sizeof f->reply);
			f->note_kind = "place";
			route_message(ctx, m, &route);
			f->kecamatan =
			    route.kecamatan ? route.kecamatan->id : NULL;
			f->kelurahan = route.kelurahan;
		}
		f->channel = ch->name;
		f->text = m->text;
		store_hash_id(ctx->dedupe_key, ch->name, m->id, f->dedupe);
		if ((sealed = malloc(sealed_size)) == NULL)
			goto nomem;
		in->followup_text[nf] = NULL;
		if (followup_reply(in, nf, ctx, ch, m,
			f->target > 0		     ? TEMPLATE_PLACE_ADDED
			    : head.kind != HEAD_NONE ? TEMPLATE_STAFF_ONLY
						     : TEMPLATE_EMPTY,
			code, sealed, sealed_size, err, errlen) == -1) {
			free(sealed);
			return -1;
		}
		if (in->inline_replies) {
			free(sealed);
			f->reply.sealed = NULL;
		}
		in->order[i] = ORDER(BECAME_FOLLOWUP, nf++);
		in->job.nfollowups = nf; /* for intake_free on failure */
	}
	for (i = 0; i < batch->nstatuses; i++) {
		struct store_status *s = &in->statuses[i];
		const struct inbound_status *is = &batch->statuses[i];

		s->channel = ch->name;
		store_hash_id(ctx->dedupe_key, ch->name, is->id, s->message);
		s->status = is->status;
		s->error_code = is->error_code;
		s->at = is->at != 0 ? is->at : now;
	}
	in->job.reports = in->reports;
	in->job.nreports = nr;
	in->job.followups = in->followups;
	in->job.nfollowups = nf;
	in->job.statuses = in->statuses;
	in->job.nstatuses = batch->nstatuses;
	in->task.channel = ch;
	in->task.inline_replies = in->inline_replies;
	in->task.nmessages = nc;
	return 0;
nomem:
	snprintf(err, errlen, "out of memory");
	return -1;
}

char *
intake_finish(struct intake *in, const struct intake_context *ctx,
    const struct channel *ch, const char **content_type, time_t now)
{
	const struct sender *s = sender_for(ch->provider);
	struct inline_reply replies[INBOUND_MAX_EVENTS];
	char *acks[INBOUND_MAX_EVENTS] = {0}, *answer = NULL;
	size_t i, n = 0, k;

	for (i = 0; i < in->nmessages; i++) {
		const char *text = NULL;

		k = ORDER_INDEX(in->order[i]);
		switch (ORDER_KIND(in->order[i])) {
		case BECAME_REPORT:
			if (in->reports[k].duplicate)
				break;
			if (in->ask_place[k])
				awaiting_put(ctx->awaiting, in->tags[i],
				    in->reports[k].id, in->reports[k].code,
				    now);
			if (in->inline_replies)
				text = acks[i] = conversation_ack(ctx->cfg,
				    in->reports[k].code, in->receipts[k],
				    in->reports[k].opd, in->ask_place[k]);
			break;
		case BECAME_FOLLOWUP:
			if (!in->followups[k].duplicate)
				text = in->followup_text[k];
			break;
		case BECAME_COMMAND:
			text = in->task.replies[k];
			break;
		}
		if (text != NULL) {
			replies[n].to = in->to[i];
			replies[n].text = text;
			n++;
		}
	}
	if (in->inline_replies)
		answer = s->inline_answer(ch, replies, n, content_type);
	for (i = 0; i < in->nmessages; i++)
		if (acks[i] != NULL) {
			sodium_memzero(acks[i], strlen(acks[i]));
			free(acks[i]);
		}
	return answer;
}

static void
wipe_free(char *s)
{
	if (s != NULL) {
		sodium_memzero(s, strlen(s));
		free(s);
	}
}

void
intake_free(struct intake *in)
{
	size_t i;

	for (i = 0; i < INBOUND_MAX_EVENTS; i++) {
		free(in->routing[i]);
		wipe_free(in->followup_text[i]);
		wipe_free(in->task.replies[i]);
	}
	for (i = 0; i < in->job.nfollowups; i++)
		if (in->followups[i].reply.sealed != NULL)
			free((void *)in->followups[i].reply.sealed);
	if (in->task.messages != NULL) {
		/*
		 * The copies' identities; their texts are the batch's, which
		 * wipes and frees them: only the pointers are cleared here.
		 */
		sodium_memzero(in->task.messages,
		    in->task.nmessages * sizeof *in->task.messages);
		free(in->task.messages);
	}
	sodium_memzero(in->receipts, in->nmessages * sizeof in->receipts[0]);
	sodium_memzero(in->to, in->nmessages * sizeof in->to[0]);
	sodium_memzero(in->tags, in->nmessages * sizeof in->tags[0]);
}
