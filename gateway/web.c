/*
 * web: routing, sessions and the rules of who sees what.
 *
 * Requests run on the server's pool threads and may block on the writer
 * (an audit row, an action) or on Argon2id (a login): the web views are
 * used by a handful of people, and the webhooks never wait behind them
 * for long.  Each request opens its own read-only connection.  Every form
 * carries the session's CSRF token (the login form a token bound to a
 * cookie of its own); a missing or wrong one is 403 and changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "adapters/form.h"
#include "gateway/session.h"
#include "gateway/loginguard.h"
#include "gateway/web.h"
#include "lib/log.h"
#include "queue/audit.h"
#include "queue/evidence.h"
#include "queue/accounts.h"
#include "queue/alerts.h"
#include "queue/conversation.h"
#include "queue/deadline.h"
#include "queue/heads.h"
#include "queue/indicators.h"
#include "queue/seal.h"
#include "web/mayor_view.h"
#include "web/opd_view.h"
#include "web/pages.h"
#include "web/report_view.h"

#define REASON_MAX	  500
#define SESSION_COOKIE	  "hl_session"
#define LOGIN_COOKIE	  "hl_login"
#define NOT_FOUND_MESSAGE "Laporan tidak ditemukan."
#define FORBIDDEN_MESSAGE "Halaman ini bukan untuk akun Anda."
#define BAD_TOKEN_MESSAGE                                                      \
	"Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba "   \
	"lagi."

const char *const web_headers[] = {
    "Content-Security-Policy",
    "default-src 'none'; style-src 'unsafe-inline'; img-src data: 'self'; "
    "media-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options",
    "nosniff",
    "X-Frame-Options",
    "DENY",
    "Cache-Control",
    "no-store",
    "Referrer-Policy",
    "no-referrer",
    NULL,
};

struct web {
	const struct config *cfg;
	struct writer *writer;
	const struct memkey *key;
	struct sessions *sessions;
	struct loginguard *guard; /* wrong passwords, by address and account */
	int secure;		  /* public_url is https: cookies are Secure */
};

struct web *
web_new(const struct config *cfg, struct writer *writer,
    const struct memkey *key, char *err, size_t errlen)
{
	struct web *w = calloc(1, sizeof *w);

	if (w == NULL ||
	    (w->sessions = sessions_new(cfg->server.session_idle)) == NULL ||
	    (w->guard = loginguard_new()) == NULL) {
		snprintf(err, errlen, "out of memory");
		web_free(w);
		return NULL;
	}
	w->cfg = cfg;
	w->writer = writer;
	w->key = key;
	w->secure = strncasecmp(cfg->server.public_url, "https:", 6) == 0;
	return w;
}

void
web_free(struct web *w)
{
	if (w == NULL)
		return;
	sessions_free(w->sessions);
	loginguard_free(w->guard);
	free(w);
}

void
web_tick(struct web *w, time_t now)
{
	sessions_expire(w->sessions, now);
}

int
web_owns(const char *path)
{
	return strcmp(path, "/") == 0 || strcmp(path, "/login") == 0 ||
	    strcmp(path, "/logout") == 0 || strcmp(path, "/mayor") == 0 ||
	    strcmp(path, "/mayor.csv") == 0 || strcmp(path, "/opd") == 0 ||
	    strncmp(path, "/reports/", 9) == 0;
}

/* The value of cookie name in a Cookie header, into out ("" if none). */
static void
cookie_value(const char *header, const char *name, char *out, size_t len)
{
	size_t n = strlen(name), k;
	const char *p = header;

	out[0] = '\0';
	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == ';')
			p++;
		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			p += n + 1;
			k = strcspn(p, ";");
			if (k < len) {
				memcpy(out, p, k);
				out[k] = '\0';
			}
			return;
		}
		p = strchr(p, ';');
	}
}

static void
set_cookie(struct web *w, struct web_response *r, const char *name,
    const char *value, const char *path, int max_age)
{
	char *slot = r->cookies[r->cookies[0][0] == '\0' ? 0 : 1];

	snprintf(slot, sizeof r->cookies[0],
	    "%s=%s; Path=%s; HttpOnly; SameSite=Strict%s%s", name, value, path,
	    w->secure ? "; Secure" : "", max_age == 0 ? "; Max-Age=0" : "");
}

static void
page(struct web_response *r, int status, char *body, size_t len)
{
	r->status = body != NULL ? status : 500;
	r->body = body;
	r->len = body != NULL ? len : 0;
	r->content_type = "text/html; charset=utf-8";
}

static void
message(struct web *w, struct web_response *r, const struct html_user *u,
    int status, const char *title, const char *text)
{
	size_t len = 0;
	char *body = pages_message(w->cfg, u, title, text, &len);

	page(r, status, body, len);
}

static void
redirect(struct web_response *r, const char *to)
{
	r->status = 303;
	snprintf(r->location, sizeof r->location, "%s", to);
}

/* The page frame's view of a session. */
static void
user_of(struct web *w, const struct session_view *s, struct html_user *u)
{
	const struct opd *o = config_opd(w->cfg, s->account.opd);

	u->name = s->account.name;
	u->role = s->account.role;
	u->opd_name = o != NULL ? o->name : NULL;
	u->csrf = s->csrf;
}

static int
is_mayor(const struct session_view *s)
{
	return strcmp(s->account.role, "mayor") == 0;
}

/* A user of the verifying OPD, when [routing] verify is on. */
static int
is_verifier(const struct web *w, const struct session_view *s)
{
	return w->cfg->routing.verify && !is_mayor(s) &&
	    w->cfg->routing.verifier != NULL &&
	    strcmp(s->account.opd, w->cfg->routing.verifier) == 0;
}

static const char *
home_of(const struct session_view *s)
{
	return is_mayor(s) ? "/mayor" : "/opd";
}

/* An audit row, committed through the writer before anything follows. */
static int
write_audit(struct store *s, void *arg, char *err, size_t errlen)
{
	return audit_append(s, arg, err, errlen);
}

static int
audit(struct web *w, const char *actor, const char *action, const char *code,
    const char *reason)
{
	struct audit_entry e = {actor, action, code, reason, NULL};

	return writer_run(w->writer, write_audit, &e);
}

static struct store *
reader(struct web *w)
{
	char err[256];
	struct store *s;

	if ((s = store_open(w->cfg->server.database, STORE_READONLY, err,
		 sizeof err)) == NULL)
		log_msg(LOG_ERROR, "web_error",
		    "reason=\"cannot read the "
		    "database\"");
	return s;
}

static void
login_page(struct web *w, struct web_response *r, int status, const char *text)
{
	unsigned char raw[16];
	char token[33];
	size_t len = 0;
	char *body;

	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(token, sizeof token, raw, sizeof raw);
	set_cookie(w, r, LOGIN_COOKIE, token, "/login", -1);
	body = pages_login(w->cfg, token, text, &len);
	page(r, status, body, len);
}

/*
 * One log line per login attempt: the account as its audit row names it
 * (as typed, when it is a valid account name), the outcome (ok,
 * bad_password, which a name that is no account's gets alike, locked,
 * bad_token, incomplete, error); never the password.
 */
static void
log_login(const char *name, const char *outcome)
{
	log_msg(strcmp(outcome, "ok") == 0	? LOG_INFO
		: strcmp(outcome, "error") == 0 ? LOG_ERROR
						: LOG_WARN,
	    "login", "account=%s outcome=%s",
	    name != NULL && accounts_valid_name(name) ? name : "?", outcome);
}

static void
do_login(struct web *w, const struct web_request *q, const struct form *f,
    struct web_response *r)
{
	const char *name = form_get(f, "username"),
		   *password = form_get(f, "password"),
		   *token = form_get(f, "csrf");
	unsigned char tag[MEMKEY_TAG_BYTES], account[MEMKEY_TAG_BYTES];
	char expected[64], id[SESSION_ID_HEX], err[256], actor[64];
	time_t now;
	long wait, n;
	struct session_view view;
	struct account a;
	struct store *s;
	int rc;

	cookie_value(q->cookie, LOGIN_COOKIE, expected, sizeof expected);
	if (token == NULL || expected[0] == '\0' ||
	    strlen(token) != strlen(expected) ||
	    sodium_memcmp(token, expected, strlen(expected)) != 0) {
		log_login(name, "bad_token");
		login_page(w, r, 403, BAD_TOKEN_MESSAGE);
		return;
	}
	if (name == NULL || password == NULL) {
		log_login(name, "incomplete");
		login_page(w, r, 400, "Isi nama pengguna dan kata sandi.");
		return;
	}
	/* wrong passwords slow down their address and their account */
	memkey_tag(
	    w->key, "web-login", q->client != NULL ? q->client : "", tag);
	memkey_tag(w->key, "web-account", name, account);
	now = time(NULL);
	wait = loginguard_wait(w->guard, tag, now);
	if ((n = loginguard_wait(w->guard, account, now)) > wait)
		wait = n;
	if (wait > 0) {
		char text[128];

		snprintf(text, sizeof text,
		    "Terlalu banyak kata sandi yang salah. Coba lagi dalam "
		    "%ld detik.",
		    wait);
		log_login(name, "locked");
		login_page(w, r, 429, text);
		return;
	}
	if ((s = reader(w)) == NULL) {
		log_login(name, "error");
		login_page(w, r, 503, "Coba lagi sebentar lagi.");
		return;
	}
	rc = accounts_check(s, name, password, &a, err, sizeof err);
	store_close(s);
	if (rc != 0) {
		snprintf(actor, sizeof actor, "web:%s",
		    accounts_valid_name(name) ? name : "?");
		audit(w, actor, "login_failed", NULL, NULL);
		log_login(name, rc == 1 ? "bad_password" : "error");
		if (rc == 1) {
			loginguard_failed(w->guard, tag, now);
			loginguard_failed(w->guard, account, now);
		}
		login_page(w, r, rc == -1 ? 500 : 401,
		    "Nama pengguna atau kata sandi salah.");
		return;
	}
	loginguard_succeeded(w->guard, account);
	snprintf(actor, sizeof actor, "web:%s", a.name);
	if (audit(w, actor, "login", NULL, NULL) == -1) {
		log_login(a.name, "error");
		login_page(w, r, 503, "Coba lagi sebentar lagi.");
		return;
	}
	log_login(a.name, "ok");
	/* the login proves the account; the key's passphrase is asked apart */
	sessions_open(w->sessions, &a, NULL, time(NULL), id, &view);
	set_cookie(w, r, SESSION_COOKIE, id, "/", -1);
	set_cookie(w, r, LOGIN_COOKIE, "", "/login", 0);
	sodium_memzero(id, sizeof id);
	redirect(r, home_of(&view));
}

static void
mayor_view(struct web *w, const struct form *qf, const struct html_user *u,
    struct web_response *r, int csv)
{
	struct indicator_filter f;
	struct indicators *ind = NULL;
	struct store *s;
	char err[256], *body = NULL;
	size_t len = 0;

	if (indicators_filter_parse(&f, w->cfg, form_get(qf, "from"),
		form_get(qf, "to"), form_get(qf, "opd"),
		form_get(qf, "kecamatan"), form_get(qf, "category"), err,
		sizeof err) == -1) {
		message(w, r, u, 400, "Saringan tidak sah", err);
		return;
	}
	if ((s = reader(w)) == NULL) {
		message(w, r, u, 503, "Tidak tersedia", "Coba lagi nanti.");
		return;
	}
	if (csv) {
		if (indicators_csv(
			s, w->cfg, &f, &body, &len, err, sizeof err) == 0) {
			r->status = 200;
			r->body = body;
			r->len = len;
			r->content_type = "text/csv; charset=utf-8";
		} else
			message(w, r, u, 500, "Galat", "Ekspor gagal.");
	} else if (indicators_compute(
		       s, w->cfg, &f, time(NULL), &ind, err, sizeof err) == 0) {
		body = mayor_view_render(ind, w->cfg, &f, u, 0, &len);
		page(r, 200, body, len);
	} else
		message(
		    w, r, u, 500, "Galat", "Indikator tidak dapat dihitung.");
	indicators_free(ind);
	store_close(s);
}

/* The report page for a session, with an optional notice or identity. */
static void
report_page(struct web *w, const struct session_view *sv,
    const struct html_user *u, const char *code, const char *notice,
    const struct identity *shown, int status, struct web_response *r)
{
	struct report_view v;
	struct store *s;
	char err[256], *body = NULL;
	size_t len = 0;
	int rc;

	memset(&v, 0, sizeof v);
	v.user = u;
	v.only_opd = is_mayor(sv) ? NULL : sv->account.opd;
	v.can_unseal = is_mayor(sv) && w->cfg->keys.mayor_key != NULL &&
	    w->cfg->keys.unseal_requires == 1;
	v.ask_passphrase = !sv->has_key;
	v.can_act = !is_mayor(sv);
	v.can_close = is_mayor(sv);
	v.can_route = !is_mayor(sv) && w->cfg->routing.triage != NULL &&
	    strcmp(sv->account.opd, w->cfg->routing.triage) == 0;
	v.can_verify = is_verifier(w, sv);
	/*
	 * The mayor reads the whole text; an OPD reads it masked; with
	 * verification on, an OPD but the verifier reads only the summary.
	 */
	v.full_text = is_mayor(sv);
	v.summary_only =
	    w->cfg->routing.verify && !is_mayor(sv) && !v.can_verify;
	v.notice = notice;
	v.shown = shown;
	if ((s = reader(w)) == NULL) {
		message(w, r, u, 503, "Tidak tersedia", "Coba lagi nanti.");
		return;
	}
	rc = report_view_render(
	    s, w->cfg, code, &v, &body, &len, err, sizeof err);
	store_close(s);
	if (rc == 1)
		message(w, r, u, 404, "Tidak ditemukan", NOT_FOUND_MESSAGE);
	else if (rc == -1)
		message(w, r, u, 500, "Galat", "Laporan tidak dapat dibaca.");
	else
		page(r, status, body, len);
}

/* Opening an identity: the sealed record and where to put it. */
struct opening {
	const struct config *cfg;
	const unsigned char *uid;
	const struct sealed_identity *sealed;
	const struct custody_sealed *shares;
	struct identity *out;
	char err[256];
};

static int
open_identity(const unsigned char *sk, void *arg)
{
	struct opening *o = arg;
	struct custody_key k;

	memset(&k, 0, sizeof k);
	snprintf(k.name, sizeof k.name, "mayor");
	memcpy(k.public_key, o->cfg->keys.mayor_public, sizeof k.public_key);
	k.secret_key = (unsigned char *)sk;
	return custody_unseal(
	    o->sealed, o->shares, o->uid, &k, 1, o->out, o->err, sizeof o->err);
}

/* One request as the handlers see it. */
struct ctx {
	struct web *w;
	const struct web_request *q;
	struct web_response *r;
	struct form body, query;
	char sid[SESSION_ID_HEX + 8]; /* the session cookie, "" if none */
	struct session_view sv;
	struct html_user u;
	int logged_in;
};

/*
 * The mayor's key for this session, unwrapped with the passphrase the
 * unseal form asked for (wiped at once).  The login password may not be
 * it: the stored login hash would be a cheaper way to guess it.  0, or -1
 * with the page answered.
 */
static int
unlock_session_key(struct ctx *c, const char *code)
{
	struct web *w = c->w;
	char *pass = (char *)form_get(&c->body, "passphrase"), err[256];
	unsigned char tag[MEMKEY_TAG_BYTES], *sk = NULL;
	struct account a;
	struct store *s;
	time_t now = time(NULL);
	int same = 0;

	if (pass == NULL || *pass == '\0') {
		report_page(w, &c->sv, &c->u, code,
		    "Isi frasa sandi kunci Wali Kota.", NULL, 400, c->r);
		return -1;
	}
	memkey_tag(w->key, "web-key", c->sv.account.name, tag);
	if (loginguard_wait(w->guard, tag, now) > 0) {
		sodium_memzero(pass, strlen(pass));
		message(w, c->r, &c->u, 429, "Tunggu sebentar",
		    "Terlalu banyak frasa sandi yang salah. Coba lagi nanti.");
		return -1;
	}
	if ((s = reader(w)) != NULL) {
		same = accounts_check(s, c->sv.account.name, pass, &a, err,
			   sizeof err) == 0;
		store_close(s);
	}
	if (!same)
		sk = seal_unlock_key(w->cfg->keys.mayor_key, pass,
		    w->cfg->keys.mayor_public, err, sizeof err);
	sodium_memzero(pass, strlen(pass));
	if (same) {
		report_page(w, &c->sv, &c->u, code,
		    "Frasa sandi kunci tidak boleh sama dengan kata sandi "
		    "masuk. Ganti kata sandi masuk (hotline user passwd).",
		    NULL, 403, c->r);
		return -1;
	}
	if (sk == NULL) {
		loginguard_failed(w->guard, tag, now);
		log_msg(LOG_WARN, "mayor_key_locked",
		    "reason=\"the passphrase does not open mayor_key\"");
		report_page(w, &c->sv, &c->u, code,
		    "Frasa sandi kunci salah; identitas tidak dibuka.", NULL,
		    403, c->r);
		return -1;
	}
	loginguard_succeeded(w->guard, tag);
	return sessions_set_key(w->sessions, c->sid, now, sk);
}

static void
do_unseal(struct ctx *c, const char *code)
{
	struct web *w = c->w;
	const char *reason = form_get(&c->body, "reason");
	unsigned char uid[SEAL_REPORT_ID_BYTES];
	struct sealed_identity *sealed = NULL;
	struct custody_sealed *shares = NULL;
	struct identity *id = NULL;
	struct opening *o = NULL;
	struct audit_entry e;
	struct store *s = NULL;
	char err[256], actor[64], outcome[300];
	int rc, opened;

	if (w->cfg->keys.mayor_key == NULL ||
	    w->cfg->keys.unseal_requires != 1) {
		message(w, c->r, &c->u, 403, "Tidak dari peramban",
		    w->cfg->keys.unseal_requires != 1
			? "Membuka identitas perlu kunci dua kustodian; "
			  "gunakan hotline unseal dengan kedua kunci."
			: "Kunci Wali Kota tidak dipasang di server; gunakan "
			  "hotline unseal di komputer Wali Kota.");
		return;
	}
	if (reason == NULL || conversation_is_empty(reason)) {
		report_page(w, &c->sv, &c->u, code, "Alasan wajib diisi.", NULL,
		    400, c->r);
		return;
	}
	if (strlen(reason) > REASON_MAX) {
		report_page(w, &c->sv, &c->u, code, "Alasan terlalu panjang.",
		    NULL, 400, c->r);
		return;
	}
	if (!c->sv.has_key && unlock_session_key(c, code) == -1)
		return;
	if ((sealed = sodium_malloc(sizeof *sealed)) == NULL ||
	    (shares = malloc(sizeof *shares)) == NULL ||
	    (o = calloc(1, sizeof *o)) == NULL ||
	    (id = sodium_malloc(sizeof *id)) == NULL ||
	    (s = reader(w)) == NULL) {
		message(
		    w, c->r, &c->u, 503, "Tidak tersedia", "Coba lagi nanti.");
		goto done;
	}
	if ((rc = store_find_identity(
		 s, code, uid, sealed, shares, err, sizeof err)) != 0) {
		if (rc == 1)
			message(w, c->r, &c->u, 404, "Tidak ditemukan",
			    NOT_FOUND_MESSAGE);
		else
			message(w, c->r, &c->u, 500, "Galat",
			    "Laporan tidak terbaca.");
		goto done;
	}
	/* The audit row is committed before anything is decrypted. */
	snprintf(actor, sizeof actor, "web:%s", c->sv.account.name);
	e.actor = actor;
	e.action = "unseal";
	e.report_code = code;
	e.reason = reason;
	e.custodian = "mayor";
	if (writer_run(w->writer, write_audit, &e) == -1) {
		message(w, c->r, &c->u, 503, "Tidak tersedia",
		    "Log audit tidak dapat ditulis; identitas tidak dibuka.");
		goto done;
	}
	memset(id, 0, sizeof *id);
	o->cfg = w->cfg;
	o->uid = uid;
	o->sealed = sealed;
	o->shares = shares;
	o->out = id;
	opened = sessions_with_key(
	    w->sessions, c->sid, time(NULL), open_identity, o);
	snprintf(outcome, sizeof outcome, "%s%s",
	    opened == 0 ? "opened" : "failed: ",
	    opened == 0	      ? ""
		: opened == 1 ? "destroyed under [retention] identity_after"
			      : o->err);
	/* and its outcome after */
	e.action = "unseal_result";
	e.reason = outcome;
	if (writer_run(w->writer, write_audit, &e) == -1)
		log_msg(LOG_ERROR, "audit_error",
		    "reason=\"an unseal's outcome was not written\"");
	if (opened != 0) {
		message(w, c->r, &c->u, opened == 1 ? 410 : 500,
		    opened == 1 ? "Identitas sudah dihapus" : "Galat",
		    opened == 1 ? "Identitas pelapor ini sudah dihapus sesuai "
				  "masa retensi; tidak ada yang dapat "
				  "membukanya lagi."
				: "Identitas tidak dapat dibuka.");
		goto done;
	}
	/* the audit row names the report; the journal only that it happened */
	log_msg(LOG_WARN, "unsealed", "actor=%s", actor);
	report_page(w, &c->sv, &c->u, code, NULL, id, 200, c->r);
done:
	if (o != NULL)
		sodium_memzero(o->err, sizeof o->err);
	free(o);
	free(shares);
	sodium_free(id);
	sodium_free(sealed);
	store_close(s);
}

/*
 * A head's action, or the triage team's forwarding (target set), decided
 * and written in one transaction of the writer.
 */
struct change_job {
	const struct config *cfg;
	const char *opd, *actor, *code, *note, *target;
	enum report_action action;
	int close;  /* the mayor closes a resolved report */
	int verify; /* the verifier forwards (target) or dismisses */
	const char *summary;
	char *reply;
	int changed;
};

static int
write_change(struct store *s, void *arg, char *err, size_t errlen)
{
	struct change_job *a = arg;

	free(a->reply);
	a->reply = a->verify
	    ? heads_verify(s, a->cfg, a->actor, a->code, a->target, a->summary,
		  a->note, time(NULL), &a->changed, err, errlen)
	    : a->close ? heads_close(s, a->cfg, a->actor, a->code, time(NULL),
			     &a->changed, err, errlen)
	    : a->target != NULL
	    ? heads_route(s, a->cfg, a->opd, a->actor, a->code, a->target,
		  a->note, time(NULL), &a->changed, err, errlen)
	    : heads_act(s, a->cfg, a->opd, a->actor, a->action, a->code,
		  a->note, time(NULL), &a->changed, err, errlen);
	return a->reply != NULL ? 0 : -1;
}

/* Write a change of the session's user; then show the report again. */
static void
change(struct ctx *c, const char *code, struct change_job *a)
{
	char actor[64], to[128];

	snprintf(actor, sizeof actor, "web:%s", c->sv.account.name);
	a->cfg = c->w->cfg;
	a->opd = c->sv.account.opd;
	a->actor = actor;
	a->code = code;
	a->note = form_get(&c->body, "note");
	if (writer_run(c->w->writer, write_change, a) == -1) {
		message(c->w, c->r, &c->u, 503, "Tidak tersedia",
		    "Belum tersimpan; coba lagi.");
	} else if (a->changed) {
		/*
		 * after a POST, a GET: reloading repeats nothing.  A report
		 * the verifier decided on is no longer its: back to its queue.
		 */
		snprintf(to, sizeof to, "/reports/%s", code);
		redirect(c->r, a->verify ? "/opd" : to);
	} else
		report_page(
		    c->w, &c->sv, &c->u, code, a->reply, NULL, 409, c->r);
	free(a->reply);
}

static void
do_action(struct ctx *c, const char *code)
{
	static const struct {
		const char *name;
		enum report_action action;
	} actions[] = {
	    {"acknowledge", ACTION_ACKNOWLEDGE},
	    {"progress", ACTION_PROGRESS},
	    {"resolve", ACTION_RESOLVE},
	    {"reject", ACTION_REJECT},
	};
	const char *name = form_get(&c->body, "action");
	struct change_job a;
	size_t i;

	for (i = 0; name != NULL && i < sizeof actions / sizeof actions[0]; i++)
		if (strcmp(actions[i].name, name) == 0)
			break;
	if (name == NULL || i == sizeof actions / sizeof actions[0]) {
		report_page(c->w, &c->sv, &c->u, code, "Pilih tindakan.", NULL,
		    400, c->r);
		return;
	}
	memset(&a, 0, sizeof a);
	a.action = actions[i].action;
	change(c, code, &a);
}

static void
do_close(struct ctx *c, const char *code)
{
	struct change_job a;

	memset(&a, 0, sizeof a);
	a.close = 1;
	change(c, code, &a);
}

static void
do_route(struct ctx *c, const char *code)
{
	struct change_job a;
	const char *target = form_get(&c->body, "opd");

	memset(&a, 0, sizeof a);
	a.target = target != NULL ? target : "";
	change(c, code, &a);
}

/* The verifier forwards a report with its summary, or dismisses it. */
static void
do_verify(struct ctx *c, const char *code)
{
	const char *decision = form_get(&c->body, "decision");
	struct change_job a;

	memset(&a, 0, sizeof a);
	a.verify = 1;
	a.summary = form_get(&c->body, "summary");
	if (decision != NULL && strcmp(decision, "forward") == 0) {
		a.target = form_get(&c->body, "opd");
		if (a.target == NULL)
			a.target = "";
	} else if (decision == NULL || strcmp(decision, "dismiss") != 0) {
		report_page(c->w, &c->sv, &c->u, code, "Pilih tindakan.", NULL,
		    400, c->r);
		return;
	}
	change(c, code, &a);
}

/* A report code from the path: the configured prefix, letters, digits. */
static int
code_ok(const char *code)
{
	size_t n = strlen(code);

	return n > 0 && n < STORE_CODE_MAX &&
	    strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == n;
}

/*
 * GET /reports/CODE/evidence/N: an attachment, decrypted with the evidence
 * key into memory for this one answer (wiped once sent, never cached), to
 * whoever may see the report's page.  A document downloads.
 */
static void
evidence_item(struct ctx *c, const char *code, const char *n)
{
	struct web *w = c->w;
	struct store_report_page page;
	unsigned char sealed[EVIDENCE_SEALED_KEY_BYTES], *blob = NULL,
							 *plain = NULL;
	char kind[32], mime[64], err[256], *end;
	struct store *s;
	size_t len = 0, plen = 0;
	long seq = strtol(n, &end, 10);
	int rc, visible;

	if (*n == '\0' || *end != '\0' || seq < 1 || seq > 1000 ||
	    !w->cfg->evidence.enabled || (s = reader(w)) == NULL) {
		message(
		    w, c->r, &c->u, 404, "Tidak ditemukan", NOT_FOUND_MESSAGE);
		return;
	}
	/* who may see the report's page may see its evidence: no one else */
	rc = store_report_page(s, code, &page, err, sizeof err);
	visible = rc == 0 &&
	    (is_mayor(&c->sv) ? strcmp(page.accused, "mayor") != 0
			      : strcmp(page.c.opd, c->sv.account.opd) == 0);
	if (rc == 0)
		store_report_page_free(&page);
	if (visible)
		rc = store_attachment_data(s, code, (int)seq, &blob, &len,
		    sealed, sizeof sealed, kind, sizeof kind, mime, sizeof mime,
		    err, sizeof err);
	store_close(s);
	if (!visible || rc != 0 ||
	    evidence_open(blob, len, sealed, w->cfg->evidence.public_key,
		w->cfg->evidence.secret_key, &plain, &plen) == -1 ||
	    (c->r->body = malloc(plen > 0 ? plen : 1)) == NULL) {
		free(blob);
		if (plain != NULL)
			sodium_free(plain);
		message(w, c->r, &c->u, visible && rc == -1 ? 500 : 404,
		    "Tidak ditemukan", "Bukti tidak ditemukan.");
		return;
	}
	memcpy(c->r->body, plain, plen);
	c->r->len = plen;
	sodium_free(plain);
	free(blob);
	c->r->status = 200;
	/* the static MIME string of the type: the buffer is gone after */
	c->r->content_type = evidence_type_of(mime) != NULL
	    ? evidence_type_of(mime)->mime
	    : "application/octet-stream";
	if (strcmp(kind, "document") == 0)
		c->r->disposition = "attachment";
}

static void
route_reports(struct ctx *c, const char *rest, int post)
{
	char code[STORE_CODE_MAX + 16];
	const char *slash = strchr(rest, '/');
	size_t n = slash != NULL ? (size_t)(slash - rest) : strlen(rest);

	if (n >= sizeof code) {
		message(c->w, c->r, &c->u, 404, "Tidak ditemukan",
		    NOT_FOUND_MESSAGE);
		return;
	}
	memcpy(code, rest, n);
	code[n] = '\0';
	if (!code_ok(code)) {
		message(c->w, c->r, &c->u, 404, "Tidak ditemukan",
		    NOT_FOUND_MESSAGE);
		return;
	}
	if (!post && slash == NULL)
		report_page(c->w, &c->sv, &c->u, code, NULL, NULL, 200, c->r);
	else if (!post && slash != NULL &&
	    strncmp(slash, "/evidence/", 10) == 0)
		evidence_item(c, code, slash + 10);
	else if (post && slash != NULL && strcmp(slash, "/unseal") == 0 &&
	    is_mayor(&c->sv))
		do_unseal(c, code);
	else if (post && slash != NULL && strcmp(slash, "/action") == 0 &&
	    !is_mayor(&c->sv))
		do_action(c, code);
	else if (post && slash != NULL && strcmp(slash, "/route") == 0 &&
	    !is_mayor(&c->sv))
		do_route(c, code);
	else if (post && slash != NULL && strcmp(slash, "/close") == 0 &&
	    is_mayor(&c->sv))
		do_close(c, code);
	else if (post && slash != NULL && strcmp(slash, "/verify") == 0 &&
	    is_verifier(c->w, &c->sv))
		do_verify(c, code);
	else if (post && slash != NULL &&
	    (strcmp(slash, "/unseal") == 0 || strcmp(slash, "/action") == 0 ||
		strcmp(slash, "/route") == 0 || strcmp(slash, "/close") == 0 ||
		strcmp(slash, "/verify") == 0))
		message(c->w, c->r, &c->u, 403, "Dilarang", FORBIDDEN_MESSAGE);
	else
		message(c->w, c->r, &c->u, post ? 405 : 404, "Tidak ditemukan",
		    NOT_FOUND_MESSAGE);
}

static void
opd_page(struct ctx *c)
{
	struct store *s;
	char err[256], *body = NULL;
	size_t len = 0;

	if ((s = reader(c->w)) == NULL) {
		message(c->w, c->r, &c->u, 503, "Tidak tersedia",
		    "Coba lagi nanti.");
		return;
	}
	if (opd_view_render(s, c->w->cfg, c->sv.account.opd, &c->u, time(NULL),
		&body, &len, err, sizeof err) == 0)
		page(c->r, 200, body, len);
	else
		message(c->w, c->r, &c->u, 500, "Galat",
		    "Halaman tidak dapat dibuat.");
	store_close(s);
}

/* Everything behind a login. */
static void
route_session(struct ctx *c, int post)
{
	const char *path = c->q->path;

	if (post && !sessions_csrf_ok(&c->sv, form_get(&c->body, "csrf"))) {
		message(c->w, c->r, &c->u, 403, "Dilarang", BAD_TOKEN_MESSAGE);
		return;
	}
	if (strcmp(path, "/logout") == 0 && post) {
		sessions_close(c->w->sessions, c->sid);
		set_cookie(c->w, c->r, SESSION_COOKIE, "", "/", 0);
		redirect(c->r, "/login");
	} else if (strcmp(path, "/") == 0 || strcmp(path, "/login") == 0)
		redirect(c->r, home_of(&c->sv));
	else if ((strcmp(path, "/mayor") == 0 ||
		     strcmp(path, "/mayor.csv") == 0) &&
	    !post) {
		if (is_mayor(&c->sv))
			mayor_view(c->w, &c->query, &c->u, c->r,
			    strcmp(path, "/mayor.csv") == 0);
		else
			message(c->w, c->r, &c->u, 403, "Dilarang",
			    FORBIDDEN_MESSAGE);
	} else if (strcmp(path, "/opd") == 0 && !post) {
		if (is_mayor(&c->sv))
			redirect(c->r, "/mayor");
		else
			opd_page(c);
	} else if (strncmp(path, "/reports/", 9) == 0)
		route_reports(c, path + 9, post);
	else
		message(c->w, c->r, &c->u, 405, "Tidak diizinkan",
		    "Metode ini tidak dipakai di sini.");
}

void
web_handle(struct web *w, const struct web_request *q, struct web_response *r)
{
	struct ctx *c = calloc(1, sizeof *c);
	int post = strcmp(q->method, "POST") == 0;
	char err[128];

	memset(r, 0, sizeof *r);
	if (c == NULL) {
		r->status = 500;
		return;
	}
	c->w = w;
	c->q = q;
	c->r = r;
	if (!post && strcmp(q->method, "GET") != 0 &&
	    strcmp(q->method, "HEAD") != 0) {
		message(w, r, NULL, 405, "Tidak diizinkan",
		    "Metode ini tidak dipakai di sini.");
		goto done;
	}
	if ((post &&
		(q->content_type == NULL ||
		    strncasecmp(q->content_type,
			"application/x-www-form-urlencoded", 33) != 0)) ||
	    form_parse(&c->body, post && q->body != NULL ? q->body : "",
		post ? q->len : 0, err, sizeof err) == -1 ||
	    form_parse(&c->query, q->query != NULL ? q->query : "",
		q->query != NULL ? strlen(q->query) : 0, err,
		sizeof err) == -1) {
		message(w, r, NULL, 400, "Permintaan tidak sah",
		    "Formulir tidak dapat dibaca.");
		goto done;
	}
	cookie_value(q->cookie, SESSION_COOKIE, c->sid, sizeof c->sid);
	c->logged_in = c->sid[0] != '\0' &&
	    sessions_find(w->sessions, c->sid, time(NULL), &c->sv) == 0;
	if (c->logged_in)
		user_of(w, &c->sv, &c->u);
	if (c->logged_in)
		route_session(c, post);
	else if (strcmp(q->path, "/login") == 0 && post)
		do_login(w, q, &c->body, r);
	else if (strcmp(q->path, "/login") == 0)
		login_page(w, r, 200, NULL);
	else if (post)
		message(
		    w, r, NULL, 403, "Dilarang", "Sesi berakhir. Masuk lagi.");
	else
		redirect(r, "/login");
done:
	form_free(&c->body);
	form_free(&c->query);
	sodium_memzero(c, sizeof *c);
	free(c);
}
