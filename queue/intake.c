/*
 * intake: reading, routing and sealing one webhook's messages, then the
 * conversation's decisions.  The identity record is built on the stack,
 * sealed, and wiped by seal_identity(); a sender's number survives the
 * request only inside the sealed identity and, memkey-sealed, with the
 * receipt waiting to be hashed or a reply waiting to be sent.  Inline
 * channels keep the number in memory until the answer is built, and
 * intake_free() wipes it.  Content is sealed before its sender's state is
 * seen (the seal is the slow part, and must not run under the senders'
 * lock); a message that turns out to be a note of the open report throws
 * its seal away.  Texts are never copied: the rows and the worker's
 * commands point into the batch's heap-held texts, which the batch owns
 * and which outlive the intake; a command rewritten (a pasted receipt as
 * CEK) is the intake's own.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "adapters/send.h"
#include "queue/alerts.h"
#include "queue/deadline.h"
#include "queue/intake.h"
#include "queue/lifecycle.h"
#include "queue/seal.h"
#include "queue/templates.h"
#include "queue/watch.h"
#include "queue/report.h"

enum became { BECAME_NOTHING, BECAME_REPORT, BECAME_FOLLOWUP, BECAME_COMMAND };

#define ORDER(kind, i) ((size_t)(kind) << 8 | (i))
#define ORDER_KIND(o)  ((int)((o) >> 8))
#define ORDER_INDEX(o) ((o)&0xff)
#define SEALED_REPLY   4096 /* a sealed reply with its address */

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

/*
 * The fetch of message i's media (a photo, voice note, ...), sealed into
 * in->fetch[i], when it has any and evidence is kept ([evidence] key).
 */
static int
keeps_media(const struct intake_context *ctx, const struct inbound_message *m)
{
	return ctx->cfg->evidence.enabled && m->type == INBOUND_MEDIA &&
	    m->media_id[0] != '\0';
}

static void
media_fetch(const struct intake_context *ctx, struct intake *in, size_t i,
    const struct inbound_message *m, struct store_fetch *out)
{
	const char *forget = NULL;
	size_t k;

	out->sealed = NULL;
	out->sealed_len = 0;
	if (!keeps_media(ctx, m))
		return;

	if (in->fetch[i] == NULL &&
	    (in->fetch[i] = malloc(FETCHER_SEALED_MAX)) == NULL)
		return; /* the message stays; its media is not fetched */
	/* its provider copy is deleted once the media is fetched */
	for (k = 0; k < in->nforget; k++)
		if (in->forget_of[k] == i)
			forget = m->id;
	out->sealed_len = fetcher_seal(
	    ctx->key, m->media_id, sender_of(m), forget, in->fetch[i]);
	if (out->sealed_len == 0)
		return;
	out->sealed = in->fetch[i];
	for (k = 0; k < in->nforget; k++)
		if (in->forget_of[k] == i)
			in->forget_held[k] = 1;
}

/*
 * Media with no report open (a photo sent before the story): its fetch
 * waits in the sender's state for the report the next text files.  Its
 * provider copy is deleted once that wait is over, whatever came of it
 * (a fetch queued by then is done within the hour).
 */
static void
hold_media(struct intake *in, size_t i, const struct intake_context *ctx,
    const struct inbound_message *m, time_t until)
{
	unsigned char *sealed;
	size_t k, n;

	if (!keeps_media(ctx, m) ||
	    (sealed = malloc(FETCHER_SEALED_MAX)) == NULL)
		return;
	n = fetcher_seal(ctx->key, m->media_id, sender_of(m), NULL, sealed);
	if (n == 0 ||
	    senders_hold(ctx->senders, in->tags[i], sealed, n) == -1) {
		free(sealed); /* sealed: nothing in clear */
		return;
	}
	for (k = 0; k < in->nforget; k++)
		if (in->forget_of[k] == i)
			in->forget_after[k] = until + 3600;
}

static int
has_words(const char *text)
{
	for (; *text != '\0'; text++)
		if ((unsigned char)*text >= 0x80 ||
		    isalnum((unsigned char)*text))
			return 1;
	return 0;
}

static void
route_text(const struct intake_context *ctx, const char *text,
    const struct inbound_message *m, int answer, struct route *route)
{
	struct route_location loc = {0};

	if (m->has_location) {
		loc.has_point = 1;
		loc.latitude = m->latitude;
		loc.longitude = m->longitude;
		loc.name = m->label;
	}
	(answer ? router_route_answer : router_route)(
	    ctx->router, text, m->has_location ? &loc : NULL, route);
}

/*
 * A keyed hash of a text's letters and digits, lowercased: the same words
 * sent twice, whatever the spacing and punctuation.
 */
static void
text_hash(const struct intake_context *ctx, const char *text,
    unsigned char out[MEMKEY_TAG_BYTES])
{
	crypto_generichash_state st;
	unsigned char key[crypto_generichash_KEYBYTES];
	char buf[256];
	size_t n = 0;

	/* the key: the memkey's tag of a fixed name, new at every start */
	memkey_tag(ctx->key, "", "same text", key);
	crypto_generichash_init(&st, key, MEMKEY_TAG_BYTES, MEMKEY_TAG_BYTES);
	for (; *text != '\0'; text++) {
		unsigned char c = (unsigned char)*text;

		if (c < 0x80 && !isalnum(c))
			continue;
		buf[n++] = (char)(c < 0x80 ? tolower(c) : c);
		if (n == sizeof buf) {
			crypto_generichash_update(&st, (unsigned char *)buf, n);
			n = 0;
		}
	}
	crypto_generichash_update(&st, (unsigned char *)buf, n);
	crypto_generichash_final(&st, out, MEMKEY_TAG_BYTES);
	sodium_memzero(buf, sizeof buf);
	sodium_memzero(key, sizeof key);
}

static int
fill_route(char **json, const struct route *route, char *err, size_t errlen)
{
	if ((*json = router_json(route)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/*
 * When a report that came (or was added to) at now may be announced to its
 * OPD: after the merge window, and a random [privacy] alert_delay later,
 * so that the alert's moment does not point at the citizen.  0: at once.
 */
static long
alert_delay(const struct config *cfg)
{
	int lo = cfg->privacy.alert_delay_min,
	    hi = cfg->privacy.alert_delay_max;

	return lo +
	    (hi > lo ? (long)randombytes_uniform((uint32_t)(hi - lo + 1)) : 0);
}

/* window_until: when the merge window closes, 0 without one. */
static time_t
alert_time(const struct config *cfg, time_t now, time_t window_until)
{
	long wait = alert_delay(cfg);

	if (window_until == 0 && wait == 0)
		return 0;
	return (window_until > 0 ? window_until : now) + wait;
}

/* The job's last writes: the requests to delete the provider's copies. */
static int
queue_forgets(struct store *s, void *arg, char *err, size_t errlen)
{
	const struct intake *in = arg;
	struct store_outbound o;
	size_t k;

	memset(&o, 0, sizeof o);
	o.kind = "forget";
	o.channel = in->forget_channel;
	for (k = 0; k < in->nforget; k++) {
		if (in->forget_held[k])
			continue;
		o.sealed = in->forget[k];
		o.sealed_len = in->forget_len[k];
		o.not_before_ms = (long long)in->forget_after[k] * 1000;
		if (store_insert_outbound(
			s, &o, (long long)time(NULL) * 1000, err, errlen) == -1)
			return -1;
	}
	return 0;
}

/*
 * On a channel with forget_at_provider, every message's provider id is
 * sealed for a "forget" row: the copy that names the sender is deleted at
 * the provider once the message is committed here.
 */
static int
seal_forgets(struct intake *in, const struct intake_context *ctx,
    const struct channel *ch, const struct inbound_batch *batch, char *err,
    size_t errlen)
{
	size_t i;

	in->nforget = 0;
	if (!ch->forget_at_provider)
		return 0;
	for (i = 0; i < batch->nmessages; i++) {
		const char *id = batch->messages[i].id;
		size_t n;

		if (id[0] == '\0')
			continue;
		if ((n = conversation_seal_message(ctx->key, "", id,
			 in->forget[in->nforget],
			 sizeof in->forget[in->nforget])) == 0) {
			snprintf(err, errlen, "sealing a message id failed");
			return -1;
		}
		in->forget_of[in->nforget] = i;
		in->forget_held[in->nforget] = 0;
		in->forget_after[in->nforget] = 0;
		in->forget_len[in->nforget++] = n;
	}
	in->forget_channel = ch->name;
	in->job.apply = in->nforget > 0 ? queue_forgets : NULL;
	in->job.apply_arg = in;
	return 0;
}

/*
 * Seal a report's identity: under a key derived from the current epoch's
 * (which the store keeps sealed to the custodians), or without epochs
 * under a key of its own sealed to the mayor.  0 or -1.
 */
static int
seal_report(const struct intake_context *ctx, const struct identity *id,
    struct store_report *r, time_t now, char *err, size_t errlen)
{
	unsigned char key[SEAL_KEY_BYTES];
	struct epoch_seal *e;
	int rc;

	if (ctx->epochs == NULL)
		return seal_identity(id, r->uid, ctx->cfg->keys.mayor_public,
		    &r->sealed, err, errlen);
	if (epochs_report_key(ctx->epochs, r->uid, now, key, &e) == -1) {
		snprintf(err, errlen, "sealing an epoch key failed");
		return -1;
	}
	rc = seal_identity_with_key(id, r->uid, key, &r->sealed, err, errlen);
	sodium_memzero(key, sizeof key);
	if (rc != 0) {
		epochs_release(ctx->epochs, e);
		return -1;
	}
	r->sealed.epoch = e->id;
	r->epoch = e;
	return 0;
}

/* Seal a possible new report: its identity, routing and receipt. */
static int
prepare_report(struct intake *in, size_t i, const struct intake_context *ctx,
    const struct channel *ch, const struct inbound_message *m,
    const struct route *route, time_t now, char *err, size_t errlen)
{
	struct store_report *r = &in->candidates[i];
	char digits[RECEIPT_DIGITS + 1];
	struct identity id;
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

	if (fill_route(&in->routing[i], route, err, errlen) == -1)
		return -1;
	randombytes_buf(r->uid, sizeof r->uid);
	store_new_code(ctx->cfg->server.report_prefix, r->code);
	r->channel = ch->name;
	r->type = type_name(m->type);
	r->text = m->text;
	r->has_location = m->has_location;
	/* about 100 m: where the citizen stood is not kept */
	r->latitude = round(m->latitude * 1000) / 1000;
	r->longitude = round(m->longitude * 1000) / 1000;
	r->media_type = m->media_type[0] != '\0' ? m->media_type : NULL;
	media_fetch(ctx, in, i, m, &r->fetch);
	r->received_at = now;
	r->status =
	    report_status_name(route->triage ? REPORT_TRIAGE : REPORT_ROUTED);
	/* verification first: the verifier reads it before any OPD */
	if (ctx->cfg->routing.verify)
		r->status = report_status_name(REPORT_VERIFYING);
	r->category = route->category ? route->category->id : NULL;
	r->opd = ctx->cfg->routing.verify ? ctx->cfg->routing.verifier
	    : route->opd		  ? route->opd->id
					  : NULL;
	r->subject = route->subject ? route->subject->id : NULL;
	r->accused = accused_kind_name(route->accused.kind);
	r->kecamatan = route->kecamatan ? route->kecamatan->id : NULL;
	r->kelurahan = route->kelurahan;
	r->routing = in->routing[i];
	watch_deadlines(ctx->cfg, now, &r->ack_due, &r->resolve_due);
	/* its OPD is alerted once the merge window has closed, and later */
	r->watch_at = alert_time(ctx->cfg, now,
	    ctx->cfg->conversation.merge_window > 0
		? now + ctx->cfg->conversation.merge_window
		: 0);
	store_hash_id(ctx->dedupe_key, ch->name, m->id, r->dedupe);

	in->ask_place[i] = route->kecamatan == NULL && route->kelurahan == NULL;
	receipt_new(digits, in->receipts[i]);
	if (!in->inline_replies)
		flags |= PENDING_ACK_BY_OUTBOX;
	if (in->ask_place[i])
		flags |= PENDING_ASK_PLACE;
	r->pending_len = conversation_seal_pending(ctx->key, digits, flags,
	    in->inline_replies ? "" : sender_of(m), r->pending);
	sodium_memzero(digits, sizeof digits);
	if (r->pending_len == 0) {
		snprintf(err, errlen, "sender address too long");
		return -1;
	}
	rc = seal_report(ctx, &id, r, now, err, errlen);
	sodium_memzero(&id, sizeof id);
	return rc;
}

/* "3 hari kerja", "2 jam": a deadline in the words of a reply. */
static void
sla_words(const struct sla_duration *d, char *buf, size_t len)
{
	long s = d->amount / 1000;

	if (d->unit == SLA_WORKING_DAYS)
		snprintf(buf, len, "%ld hari kerja", d->amount);
	else if (s >= 86400 && s % 86400 == 0)
		snprintf(buf, len, "%ld hari", s / 86400);
	else if (s >= 3600)
		snprintf(buf, len, "%ld jam", (s + 3599) / 3600);
	else
		snprintf(buf, len, "%ld menit", (s + 59) / 60);
}

/* Render a citizen's reply. */
static char *
render_reply(const struct config *cfg, enum template_id id, const char *code)
{
	char ack[32], resolve[32], contact[160];
	const struct template_var vars[] = {
	    {"code", code != NULL ? code : ""},
	    {"city", cfg->server.city},
	    {"acknowledge", ack},
	    {"resolve", resolve},
	    {"contact", contact},
	};

	sla_words(&cfg->sla.acknowledge, ack, sizeof ack);
	sla_words(&cfg->sla.resolve, resolve, sizeof resolve);
	if (cfg->conversation.info_contact != NULL)
		snprintf(contact, sizeof contact, "%s",
		    cfg->conversation.info_contact);
	else
		snprintf(contact, sizeof contact,
		    "layanan informasi (PPID) Pemerintah %s", cfg->server.city);
	return templates_render(cfg, id, vars, sizeof vars / sizeof vars[0]);
}

/* A reply to message i: sealed for the outbox, or kept for inline. */
static int
followup_reply(struct intake *in, size_t k, const struct intake_context *ctx,
    const struct channel *ch, const struct inbound_message *m,
    enum template_id id, const char *code, char *err, size_t errlen)
{
	struct store_followup *f = &in->followups[k];
	char *text;

	if ((text = render_reply(ctx->cfg, id, code)) == NULL) {
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
	if ((in->sealed[k] = malloc(SEALED_REPLY)) == NULL) {
		free(text);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	f->reply.sealed = in->sealed[k];
	f->reply.sealed_len = conversation_seal_message(
	    ctx->key, sender_of(m), text, in->sealed[k], SEALED_REPLY);
	sodium_memzero(text, strlen(text));
	free(text);
	if (f->reply.sealed_len == 0) {
		snprintf(err, errlen, "reply too long");
		return -1;
	}
	return 0;
}

/*
 * A command for the worker: CEK and TAMBAH as written, a pasted receipt
 * as CEK, a story with a receipt in it as TAMBAH without the receipt.
 * Returns 0, or -1 when out of memory.
 */
static int
add_command(
    struct intake *in, size_t i, const struct inbound_message *m, size_t *nc)
{
	struct inbound_message *c = &in->task.messages[*nc];
	const struct intent_reading *r = &in->readings[i];

	size_t n = strlen(m->text) + RECEIPT_DIGITS + 16;
	char *text = NULL;

	*c = *m; /* a shallow copy: its text is the batch's */
	if ((r->intent == INTENT_RECEIPT ||
		(r->intent == INTENT_CONTENT && r->has_receipt)) &&
	    (text = malloc(n)) == NULL)
		return -1;
	if (r->intent == INTENT_RECEIPT)
		snprintf(text, n, "CEK %s", r->digits);
	else if (r->intent == INTENT_CONTENT && r->has_receipt)
		snprintf(text, n, "TAMBAH %s %.*s %s", r->digits,
		    (int)r->receipt_start, m->text, m->text + r->receipt_end);
	if (text != NULL)
		c->text = in->commands[i] = text;
	in->order[i] = ORDER(BECAME_COMMAND, (*nc)++);
	return 0;
}

int
intake_prepare(struct intake *in, const struct intake_context *ctx,
    const struct channel *ch, const struct inbound_batch *batch, time_t now,
    char *err, size_t errlen)
{
	struct route *route = NULL;
	size_t i, nc = 0;
	int rc;

	memset(&in->job, 0, sizeof in->job);
	in->nforget = 0;
	in->epochs = ctx->epochs;
	memset(&in->task, 0, sizeof in->task);
	memset(in->routing, 0, sizeof in->routing);
	memset(in->rerouting, 0, sizeof in->rerouting);
	memset(in->followup_text, 0, sizeof in->followup_text);
	memset(in->sealed, 0, sizeof in->sealed);
	memset(in->commands, 0, sizeof in->commands);
	memset(in->fetch, 0, sizeof in->fetch);
	memset(in->prepared, 0, sizeof in->prepared);
	memset(in->intents, 0, sizeof in->intents);
	memset(in->readings, 0, batch->nmessages * sizeof in->readings[0]);
	in->batch = batch;
	in->inline_replies = sender_for(ch->provider)->inline_answer != NULL;
	in->nmessages = batch->nmessages;
	if (batch->nmessages > 0 &&
	    ((in->task.messages = calloc(
		  batch->nmessages, sizeof *in->task.messages)) == NULL ||
		(route = malloc(sizeof *route)) == NULL))
		goto nomem;
	/* first: a media message's own is held for its fetch */
	if (seal_forgets(in, ctx, ch, batch, err, errlen) == -1)
		goto fail;
	for (i = 0; i < batch->nmessages; i++) {
		const struct inbound_message *m = &batch->messages[i];
		struct intent_reading *r = &in->readings[i];

		in->order[i] = ORDER(BECAME_NOTHING, 0);
		snprintf(in->to[i], sizeof in->to[i], "%s",
		    in->inline_replies ? sender_of(m) : "");
		memkey_tag(ctx->key, ch->name, sender_of(m), in->tags[i]);
		/*
		 * Staff (OPD heads, the digest's recipient) never open
		 * reports: everything they send is a command.
		 */
		if (alerts_is_staff(ctx->cfg, ch->name, m->sender)) {
			r->intent = INTENT_COMMAND;
			if (add_command(in, i, m, &nc) == -1)
				goto nomem;
			continue;
		}
		route_text(ctx, m->text, m, 0, route);
		intent_read(ctx->router, ctx->cfg->server.report_prefix,
		    m->text, route, r);
		in->intents[r->intent]++;
		if (r->intent == INTENT_RECEIPT ||
		    (r->intent == INTENT_COMMAND && !r->staff_command) ||
		    (r->intent == INTENT_CONTENT && r->has_receipt)) {
			rc = add_command(in, i, m, &nc);
			intent_wipe(r);
			if (rc == -1)
				goto nomem;
			continue;
		}
		/* a pin answers "where?" or joins a report: never one */
		if (r->intent != INTENT_CONTENT || !has_words(m->text) ||
		    m->type == INBOUND_LOCATION)
			continue;
		text_hash(ctx, m->text, in->hashes[i]);
		if (prepare_report(
			in, i, ctx, ch, m, route, now, err, errlen) == -1)
			goto fail;
		in->prepared[i] = 1;
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
	in->job.statuses = in->statuses;
	in->job.nstatuses = batch->nstatuses;
	in->task.channel = ch;
	in->task.inline_replies = in->inline_replies;
	in->task.nmessages = nc;
	free(route);
	return 0;
nomem:
	snprintf(err, errlen, "out of memory");
fail:
	free(route);
	return -1;
}

/*
 * A note of the sender's open report: its text joins the words the
 * report is routed on (a place answer as the place it names), and the
 * report is routed again.
 */
static int
prepare_note(struct intake *in, size_t i, struct store_followup *f,
    const struct intake_context *ctx, const struct inbound_message *m,
    const struct dialogue_turn *turn, const struct dialogue_state *st,
    char *err, size_t errlen)
{
	const char *before = senders_text(ctx->senders, in->tags[i]);
	struct route *route;
	char *words = NULL;
	const char *added = m->text;
	char place[160];
	size_t n;

	if ((route = malloc(sizeof *route)) == NULL)
		goto nomem;
	f->target_code = in->targets[i];
	snprintf(in->targets[i], sizeof in->targets[i], "%s", st->code);
	f->note_kind = turn->note_kind;
	media_fetch(ctx, in, i, m, &f->fetch);
	f->text = m->text[0] != '\0' ? m->text
	    : m->has_location	     ? "(lokasi)"
				     : m->media_type;
	if (turn->place) {
		/* the place as the answer names it, bare names included */
		route_text(ctx, m->text, m, 1, route);
		f->kecamatan = route->kecamatan ? route->kecamatan->id : NULL;
		f->kelurahan = route->kelurahan;
		snprintf(place, sizeof place, "%s %s",
		    route->kelurahan ? "kelurahan" : "kecamatan",
		    route->kelurahan	   ? route->kelurahan
			: route->kecamatan ? route->kecamatan->name
					   : "");
		added = place;
	}
	if (before[0] == '\0') {
		/*
		 * The window has closed (a late answer to "where?"): the
		 * report keeps its routing and gets only the place it lacks.
		 */
		free(route);
		return 0;
	}
	n = strlen(before) + 1 + strlen(added) + 1;
	if ((words = malloc(n)) == NULL)
		goto nomem;
	snprintf(words, n, "%s\n%s", before, added);
	route_text(ctx, words, m, 0, route);
	if (fill_route(&in->rerouting[i], route, err, errlen) == -1)
		goto fail;
	f->route.set = 1;
	f->route.status =
	    report_status_name(route->triage ? REPORT_TRIAGE : REPORT_ROUTED);
	f->route.category = route->category ? route->category->id : NULL;
	f->route.opd = route->opd ? route->opd->id : NULL;
	f->route.subject = route->subject ? route->subject->id : NULL;
	f->route.accused = accused_kind_name(route->accused.kind);
	f->route.kecamatan = route->kecamatan ? route->kecamatan->id : NULL;
	f->route.kelurahan = route->kelurahan;
	f->route.routing = in->rerouting[i];
	if (ctx->cfg->conversation.merge_window > 0)
		f->watch_at =
		    alert_time(ctx->cfg, st->window_until, st->window_until);
	senders_set_text(ctx->senders, in->tags[i], words);
	sodium_memzero(words, strlen(words));
	free(words);
	free(route);
	return 0;
nomem:
	snprintf(err, errlen, "out of memory");
fail:
	free(words);
	free(route);
	return -1;
}

int
intake_decide(struct intake *in, const struct intake_context *ctx,
    const struct channel *ch, time_t now, char *err, size_t errlen)
{
	const struct inbound_batch *batch = in->batch;
	struct dialogue_input input;
	struct dialogue_turn turn;
	struct route answer;
	size_t i, nr = 0, nf = 0;

	for (i = 0; i < batch->nmessages; i++) {
		const struct inbound_message *m = &batch->messages[i];
		struct dialogue_state *st;
		struct store_followup *f;

		if (ORDER_KIND(in->order[i]) == BECAME_COMMAND)
			continue;
		st = senders_find(ctx->senders, in->tags[i], now);
		memset(&input, 0, sizeof input);
		input.reading = &in->readings[i];
		input.pin = m->type == INBOUND_LOCATION;
		input.media = m->media_type[0] != '\0' && !has_words(m->text);
		memcpy(input.text_hash, in->hashes[i], MEMKEY_TAG_BYTES);
		if (st->place != PLACE_NONE && now < st->place_until) {
			route_text(ctx, m->text, m, 1, &answer);
			input.answers_place = answer.kecamatan != NULL ||
			    answer.kelurahan != NULL;
		}
		dialogue_turn(ctx->cfg, st, &input, now, &turn);
		if (turn.hold)
			hold_media(in, i, ctx, m, st->held_until);
		if (turn.action == DIALOGUE_FILE) {
			if (!in->prepared[i])
				continue; /* cannot happen: content is sealed */
			in->reports[nr] = in->candidates[i];
			in->reports[nr].held = in->held[nr];
			in->reports[nr].nheld = senders_take_held(
			    ctx->senders, in->tags[i], now, in->held[nr]);
			in->job.nreports = nr + 1; /* for intake_free */
			snprintf(in->drawn[i], sizeof in->drawn[i], "%s",
			    in->reports[nr].code);
			dialogue_filed(ctx->cfg, st, in->reports[nr].code,
			    in->hashes[i], in->ask_place[i], now);
			senders_set_text(ctx->senders, in->tags[i], m->text);
			in->order[i] = ORDER(BECAME_REPORT, nr++);
			continue;
		}
		if (turn.action != DIALOGUE_NOTE &&
		    turn.action != DIALOGUE_REPLY)
			continue; /* nothing: spam, a second hello */
		f = &in->followups[nf];
		memset(f, 0, sizeof *f);
		f->channel = ch->name;
		store_hash_id(ctx->dedupe_key, ch->name, m->id, f->dedupe);
		in->job.nfollowups = nf + 1; /* for intake_free on failure */
		if (turn.action == DIALOGUE_NOTE &&
		    prepare_note(in, i, f, ctx, m, &turn, st, err, errlen) ==
			-1)
			return -1;
		if (turn.reply != TEMPLATE_COUNT &&
		    followup_reply(in, nf, ctx, ch, m, turn.reply, turn.code,
			err, errlen) == -1)
			return -1;
		in->order[i] = ORDER(BECAME_FOLLOWUP, nf++);
	}
	in->job.reports = in->reports;
	in->job.nreports = nr;
	in->job.followups = in->followups;
	in->job.nfollowups = nf;
	return 0;
}

char *
intake_finish(struct intake *in, const struct intake_context *ctx,
    const struct channel *ch, const char **content_type)
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
			if (strcmp(in->drawn[i], in->reports[k].code) != 0)
				senders_recode(ctx->senders, in->tags[i],
				    in->drawn[i], in->reports[k].code);
			if (in->inline_replies)
				text = acks[i] = conversation_ack(ctx->cfg,
				    in->reports[k].code, in->receipts[i],
				    in->reports[k].opd, in->ask_place[i]);
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

void
intake_failed(struct intake *in, const struct intake_context *ctx)
{
	size_t i;

	for (i = 0; i < in->nmessages; i++)
		if (ORDER_KIND(in->order[i]) == BECAME_REPORT)
			senders_forget(ctx->senders, in->tags[i], in->drawn[i]);
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
	size_t i, k;

	for (i = 0; i < INBOUND_MAX_EVENTS; i++) {
		free(in->routing[i]);
		free(in->rerouting[i]);
		wipe_free(in->followup_text[i]);
		wipe_free(in->task.replies[i]);
		wipe_free(in->commands[i]);
		free(in->fetch[i]); /* sealed: nothing in clear */
		if (in->sealed[i] != NULL) {
			sodium_memzero(in->sealed[i], SEALED_REPLY);
			free(in->sealed[i]);
		}
	}
	for (i = 0; i < in->nmessages; i++)
		if (in->prepared[i]) {
			epochs_release(in->epochs, in->candidates[i].epoch);
			sodium_memzero(&in->candidates[i].sealed,
			    sizeof in->candidates[i].sealed);
		}
	for (i = 0; i < in->job.nreports; i++) {
		sodium_memzero(
		    &in->reports[i].sealed, sizeof in->reports[i].sealed);
		for (k = 0; k < in->reports[i].nheld; k++)
			free((void *)in->held[i][k].sealed); /* sealed */
	}
	if (in->task.messages != NULL) {
		/*
		 * The copies' identities; their texts are the batch's, which
		 * wipes and frees them: only the pointers are cleared here.
		 */
		sodium_memzero(in->task.messages,
		    in->nmessages * sizeof *in->task.messages);
		free(in->task.messages);
	}
	for (i = 0; i < in->nmessages; i++)
		intent_wipe(&in->readings[i]);
	sodium_memzero(in->receipts, sizeof in->receipts);
	sodium_memzero(in->forget, in->nforget * sizeof in->forget[0]);
	sodium_memzero(in->to, in->nmessages * sizeof in->to[0]);
	sodium_memzero(in->tags, in->nmessages * sizeof in->tags[0]);
}
