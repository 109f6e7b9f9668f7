/*
 * loadgen: the closed-loop HTTP/1.1 load generator of `make bench`.
 *
 * THREADS threads each own their share of CONNECTIONS keep-alive
 * connections to a loopback server and drive them with epoll and
 * non-blocking sockets: every connection sends one request, waits for the
 * whole response, then sends the next. Each request is a signed WhatsApp
 * Cloud API text notification with a unique message id (so a deduplicating
 * server stores every one), a varied sender number and ~150 characters of
 * Indonesian text; X-Hub-Signature-256 is the HMAC-SHA256 of the body under
 * --secret, computed per request. Responses are parsed (status line,
 * Content-Length, chunked, Connection: close, which makes it reconnect).
 *
 * Requests completing during the --warmup seconds are not counted; the
 * --duration seconds after that are measured; then no new request is sent
 * and those in flight are awaited (bounded by the per-connection timeout)
 * so that the total_* figures cover every request sent. Prints "key: value"
 * lines: requests, ok, non_2xx, errors, seconds, req_per_s (2xx only),
 * p50_ms, p99_ms, max_ms (latency from send start to full response), one
 * status_NNN line per status seen, then totals over the whole run.
 * Refuses any host that is not loopback.
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>

#include "tests/bench/texts.h"

#define MAX_RESPONSE (1024 * 1024)
#define MAX_STATUS   600
#define NS	     1000000000ULL
#define RETRY_NS     (20 * 1000000ULL) /* pause after a failed attempt */

struct options {
	char host[256];
	int port;
	char path[512];
	char secret[256];
	int connections;
	int threads;
	double duration;
	double warmup;
	double timeout;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char host_header[300];
	uint32_t nonce;
	uint64_t t_warm; /* monotonic ns: end of warm-up */
	uint64_t t_end;	 /* end of the measured window */
	uint64_t t_stop; /* hard stop for requests still in flight */
	uint64_t timeout_ns;
};

enum cstate { C_IDLE, C_CONNECTING, C_SENDING, C_READING, C_DONE };

struct conn {
	int fd;
	enum cstate state;
	int want_out;  /* EPOLLOUT is registered */
	int sent_any;  /* some bytes of the current request were written */
	int in_flight; /* a request is outstanding (connect, send or read) */
	char *req;
	size_t req_len, req_off, req_cap;
	char *in;
	size_t in_len, in_cap;
	uint64_t t_send;   /* when the request's first byte went out */
	uint64_t deadline; /* connect + send + response must finish by then */
	uint64_t wake;	   /* C_IDLE: when to try again */
};

struct stats {
	/* the measured window */
	uint64_t responses, ok, non2xx, errors;
	uint64_t status[MAX_STATUS];
	uint32_t *lat_us;
	size_t lat_n, lat_cap;
	/* the whole run: warm-up, window and drain */
	uint64_t sent, total_ok, total_non2xx, total_errors, unanswered;
	uint64_t reconnects;
};

struct worker {
	int id;
	int nconn;
	const struct options *opt;
	struct conn *conns;
	int epfd;
	uint64_t seq;
	EVP_MAC_CTX *mac;
	char *body;
	size_t body_cap;
	struct stats st;
	int failed;
};

static const char *const names[] = {
    "Budi Santoso",
    "Siti Rahayu",
    "Agus Setiawan",
    "Dewi Lestari",
    "Eko Prasetyo",
    "Sri Wahyuni",
    "Joko Susilo",
    "Rina Kurniawati",
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec;
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: loadgen [--host 127.0.0.1] --port P "
	    "[--path /webhook/whatsapp]\n"
	    "               --secret S [--connections 64] [--threads 2] "
	    "[--duration 10]\n"
	    "               [--warmup 1] [--timeout 5]\n");
}

/* Accepts only loopback addresses: this tool must never load anyone's
 * server but our own. */
static int
resolve_loopback(struct options *o)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&o->addr;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&o->addr;
	const char *h = o->host;
	struct in_addr a4;
	struct in6_addr a6;

	memset(&o->addr, 0, sizeof(o->addr));
	if (strcasecmp(h, "localhost") == 0)
		h = "127.0.0.1";
	if (inet_pton(AF_INET, h, &a4) == 1) {
		if ((ntohl(a4.s_addr) >> 24) != 127)
			return -1;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)o->port);
		sin->sin_addr = a4;
		o->addrlen = sizeof(*sin);
		snprintf(o->host_header, sizeof(o->host_header), "%s:%d", h,
		    o->port);
		return 0;
	}
	if (inet_pton(AF_INET6, h, &a6) == 1) {
		if (!IN6_IS_ADDR_LOOPBACK(&a6) &&
		    !(IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127))
			return -1;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)o->port);
		sin6->sin6_addr = a6;
		o->addrlen = sizeof(*sin6);
		snprintf(o->host_header, sizeof(o->host_header), "[%s]:%d", h,
		    o->port);
		return 0;
	}
	return -1;
}

static int
parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
	    {"host", required_argument, NULL, 'h'},
	    {"port", required_argument, NULL, 'p'},
	    {"path", required_argument, NULL, 'P'},
	    {"secret", required_argument, NULL, 's'},
	    {"connections", required_argument, NULL, 'c'},
	    {"threads", required_argument, NULL, 't'},
	    {"duration", required_argument, NULL, 'd'},
	    {"warmup", required_argument, NULL, 'w'},
	    {"timeout", required_argument, NULL, 'T'},
	    {NULL, 0, NULL, 0},
	};
	double v;
	int ch;

	memset(o, 0, sizeof(*o));
	snprintf(o->host, sizeof(o->host), "127.0.0.1");
	snprintf(o->path, sizeof(o->path), "/webhook/whatsapp");
	o->connections = 64;
	o->threads = 2;
	o->duration = 10;
	o->warmup = 1;
	o->timeout = 5;
	o->port = -1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			if (strlen(optarg) >= sizeof(o->host))
				return -1;
			snprintf(o->host, sizeof(o->host), "%s", optarg);
			break;
		case 'p':
			if (parse_double(optarg, 1, 65535, &v) != 0)
				return -1;
			o->port = (int)v;
			break;
		case 'P':
			if (optarg[0] != '/' ||
			    strlen(optarg) >= sizeof(o->path))
				return -1;
			snprintf(o->path, sizeof(o->path), "%s", optarg);
			break;
		case 's':
			if (strlen(optarg) >= sizeof(o->secret))
				return -1;
			snprintf(o->secret, sizeof(o->secret), "%s", optarg);
			break;
		case 'c':
			if (parse_double(optarg, 1, 10000, &v) != 0)
				return -1;
			o->connections = (int)v;
			break;
		case 't':
			if (parse_double(optarg, 1, 64, &v) != 0)
				return -1;
			o->threads = (int)v;
			break;
		case 'd':
			if (parse_double(optarg, 0.1, 3600, &o->duration) != 0)
				return -1;
			break;
		case 'w':
			if (parse_double(optarg, 0, 600, &o->warmup) != 0)
				return -1;
			break;
		case 'T':
			if (parse_double(optarg, 0.1, 60, &o->timeout) != 0)
				return -1;
			break;
		default:
			return -1;
		}
	}
	if (optind != argc || o->port < 0 || o->secret[0] == '\0')
		return -1;
	if (o->threads > o->connections)
		o->threads = o->connections;
	o->timeout_ns = (uint64_t)(o->timeout * (double)NS);
	return 0;
}

static int
grow(char **buf, size_t *cap, size_t need)
{
	size_t n = *cap ? *cap : 1024;
	char *p;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	p = realloc(*buf, n);
	if (p == NULL)
		return -1;
	*buf = p;
	*cap = n;
	return 0;
}

static void
hex(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static EVP_MAC_CTX *
mac_new(const char *secret)
{
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx = NULL;
	EVP_MAC *mac;

	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (mac == NULL)
		return NULL;
	ctx = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac);
	if (ctx == NULL)
		return NULL;
	params[0] = OSSL_PARAM_construct_utf8_string(
	    OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!EVP_MAC_init(
		ctx, (const unsigned char *)secret, strlen(secret), params)) {
		EVP_MAC_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* HMAC-SHA256 of data as 64 hex digits, reusing the context's key. */
static int
mac_hex(EVP_MAC_CTX *ctx, const char *data, size_t len, char out[65])
{
	unsigned char md[32];
	size_t mdlen = 0;

	if (!EVP_MAC_init(ctx, NULL, 0, NULL) ||
	    !EVP_MAC_update(ctx, (const unsigned char *)data, len) ||
	    !EVP_MAC_final(ctx, md, &mdlen, sizeof(md)) || mdlen != 32)
		return -1;
	hex(md, 32, out);
	return 0;
}

/* Builds the next request (a fresh body, its signature, the headers) into
 * c->req. */
static int
build_request(struct worker *w, struct conn *c)
{
	const struct options *o = w->opt;
	uint64_t seq = w->seq++;
	unsigned long long phone;
	char sig[65];
	int blen, hlen;

	phone = (seq * 7919ULL + (uint64_t)w->id * 1000003ULL + o->nonce) %
	    100000000ULL;
	for (;;) {
		blen = snprintf(w->body, w->body_cap,
		    "{\"object\":\"whatsapp_business_account\",\"entry\":[{"
		    "\"id\":\"1098765432109876\",\"changes\":[{\"value\":{"
		    "\"messaging_product\":\"whatsapp\",\"metadata\":{"
		    "\"display_phone_number\":\"6281100003333\","
		    "\"phone_number_id\":\"115522334455667\"},"
		    "\"contacts\":[{\"profile\":{\"name\":\"%s\"},"
		    "\"wa_id\":\"62812%08llu\"}],"
		    "\"messages\":[{\"from\":\"62812%08llu\","
		    "\"id\":\"wamid.BENCH%08x.%d.%llu\","
		    "\"timestamp\":\"%lld\",\"type\":\"text\","
		    "\"text\":{\"body\":\"%s\"}}]},"
		    "\"field\":\"messages\"}]}]}",
		    names[seq % (sizeof(names) / sizeof(names[0]))], phone,
		    phone, o->nonce, w->id, (unsigned long long)seq,
		    (long long)time(NULL), bench_texts[seq % BENCH_NTEXTS]);
		if (blen < 0)
			return -1;
		if ((size_t)blen < w->body_cap)
			break;
		if (grow(&w->body, &w->body_cap, (size_t)blen + 1) != 0)
			return -1;
	}
	if (mac_hex(w->mac, w->body, (size_t)blen, sig) != 0)
		return -1;
	for (;;) {
		hlen = snprintf(c->req, c->req_cap,
		    "POST %s HTTP/1.1\r\n"
		    "Host: %s\r\n"
		    "User-Agent: hotline-loadgen\r\n"
		    "Content-Type: application/json\r\n"
		    "X-Hub-Signature-256: sha256=%s\r\n"
		    "Content-Length: %d\r\n"
		    "\r\n",
		    o->path, o->host_header, sig, blen);
		if (hlen < 0)
			return -1;
		if ((size_t)hlen + (size_t)blen < c->req_cap)
			break;
		if (grow(&c->req, &c->req_cap,
			(size_t)hlen + (size_t)blen + 1) != 0)
			return -1;
	}
	memcpy(c->req + hlen, w->body, (size_t)blen);
	c->req_len = (size_t)hlen + (size_t)blen;
	c->req_off = 0;
	return 0;
}

static void
set_events(struct worker *w, struct conn *c, int want_out)
{
	struct epoll_event ev;

	if (c->want_out == want_out)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | (want_out ? EPOLLOUT : 0);
	ev.data.ptr = c;
	epoll_ctl(w->epfd, EPOLL_CTL_MOD, c->fd, &ev);
	c->want_out = want_out;
}

static void
conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->want_out = 0;
	c->in_len = 0;
}

/* Which part of the run a moment falls in: 0 warm-up, 1 measured, 2 after. */
static int
phase(const struct options *o, uint64_t t)
{
	if (t < o->t_warm)
		return 0;
	if (t < o->t_end)
		return 1;
	return 2;
}

static void
count_error(struct worker *w, struct conn *c, uint64_t t)
{
	w->st.total_errors++;
	if (phase(w->opt, t) == 1)
		w->st.errors++;
	if (c->sent_any)
		w->st.unanswered++;
	c->in_flight = 0;
	c->sent_any = 0;
	conn_close(c);
	c->state = C_IDLE;
	c->wake = t + RETRY_NS;
}

static void
record(struct worker *w, int status, uint64_t t_send, uint64_t t)
{
	struct stats *st = &w->st;
	uint64_t us = (t - t_send) / 1000;
	uint32_t *p;
	size_t n;

	if (status >= 200 && status < 300)
		st->total_ok++;
	else
		st->total_non2xx++;
	if (phase(w->opt, t) != 1)
		return;
	st->responses++;
	if (status >= 200 && status < 300)
		st->ok++;
	else
		st->non2xx++;
	if (status >= 0 && status < MAX_STATUS)
		st->status[status]++;
	if (st->lat_n == st->lat_cap) {
		n = st->lat_cap ? st->lat_cap * 2 : 65536;
		p = realloc(st->lat_us, n * sizeof(*p));
		if (p == NULL)
			return;
		st->lat_us = p;
		st->lat_cap = n;
	}
	st->lat_us[st->lat_n++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

/* Case-insensitive: does the comma list in v[0..n) hold token tok? */
static int
has_token(const char *v, size_t n, const char *tok)
{
	size_t tl = strlen(tok), i = 0, s, e;

	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (e - s == tl && strncasecmp(v + s, tok, tl) == 0)
			return 1;
	}
	return 0;
}

/*
 * Parses the response in buf[0..len). Returns 1 when it is complete (its
 * length in *used, status in *status, *close_after set when the connection
 * must be closed afterwards), 0 when more bytes are needed, -1 when it is
 * malformed. eof: the peer closed, so a body without length ends here.
 */
static int
parse_response(const char *buf, size_t len, int eof, size_t *used, int *status,
    int *close_after)
{
	const char *hend, *p, *line, *colon, *v;
	long long clen = -1;
	int chunked = 0, http10, code;
	size_t hlen, vlen, off, sz;
	char *end;

	hend = memmem(buf, len, "\r\n\r\n", 4);
	if (hend == NULL)
		return len > 65536 ? -1 : 0;
	hlen = (size_t)(hend - buf) + 4;
	if (len < 12 || memcmp(buf, "HTTP/1.", 7) != 0 || buf[8] != ' ' ||
	    buf[9] < '1' || buf[9] > '5' || buf[10] < '0' || buf[10] > '9' ||
	    buf[11] < '0' || buf[11] > '9')
		return -1;
	http10 = buf[7] == '0';
	code = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
	*close_after = http10;
	p = (const char *)memchr(buf, '\n', hlen) + 1;
	while (p < hend) {
		line = p;
		p = memchr(line, '\n', (size_t)(hend + 2 - line));
		if (p == NULL)
			return -1;
		p++;
		colon = memchr(line, ':', (size_t)(p - line));
		if (colon == NULL)
			return -1;
		v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		vlen = (size_t)(p - v);
		while (vlen > 0 &&
		    (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' ||
			v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
			vlen--;
		if ((size_t)(colon - line) == 14 &&
		    strncasecmp(line, "Content-Length", 14) == 0) {
			if (vlen == 0 || vlen > 12)
				return -1;
			for (clen = 0, off = 0; off < vlen; off++) {
				if (v[off] < '0' || v[off] > '9')
					return -1;
				clen = clen * 10 + (v[off] - '0');
			}
		} else if ((size_t)(colon - line) == 17 &&
		    strncasecmp(line, "Transfer-Encoding", 17) == 0) {
			chunked = has_token(v, vlen, "chunked");
		} else if ((size_t)(colon - line) == 10 &&
		    strncasecmp(line, "Connection", 10) == 0) {
			if (has_token(v, vlen, "close"))
				*close_after = 1;
			else if (has_token(v, vlen, "keep-alive"))
				*close_after = 0;
		}
	}
	*status = code;
	if (code < 200 || code == 204 || code == 304) {
		/* 1xx is interim (the caller drops it); these have no body. */
		*used = hlen;
		return 1;
	}
	if (chunked) {
		off = hlen;
		for (;;) {
			p = memmem(buf + off, len - off, "\r\n", 2);
			if (p == NULL)
				return len - off > 1024 ? -1 : 0;
			if (!isxdigit((unsigned char)buf[off]))
				return -1;
			sz = strtoul(buf + off, &end, 16);
			if (end > p || sz > MAX_RESPONSE)
				return -1;
			off = (size_t)(p - buf) + 2;
			if (sz == 0)
				break;
			if (len - off < sz + 2)
				return 0;
			if (memcmp(buf + off + sz, "\r\n", 2) != 0)
				return -1;
			off += sz + 2;
		}
		/* trailers, up to an empty line */
		for (;;) {
			p = memmem(buf + off, len - off, "\r\n", 2);
			if (p == NULL)
				return 0;
			if (p == buf + off) {
				*used = off + 2;
				return 1;
			}
			off = (size_t)(p - buf) + 2;
		}
	}
	if (clen >= 0) {
		if (len - hlen < (size_t)clen)
			return 0;
		*used = hlen + (size_t)clen;
		return 1;
	}
	/* no length: the body runs to the end of the connection */
	*close_after = 1;
	if (!eof)
		return 0;
	*used = len;
	return 1;
}

static void start_request(struct worker *w, struct conn *c, uint64_t t);

static void
do_write(struct worker *w, struct conn *c)
{
	ssize_t n;

	while (c->req_off < c->req_len) {
		if (!c->sent_any)
			c->t_send = now_ns();
		n = send(c->fd, c->req + c->req_off, c->req_len - c->req_off,
		    MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				set_events(w, c, 1);
				return;
			}
			count_error(w, c, now_ns());
			return;
		}
		if (!c->sent_any)
			w->st.sent++;
		c->sent_any = 1;
		c->req_off += (size_t)n;
	}
	c->state = C_READING;
	set_events(w, c, 0);
}

static void
do_connect(struct worker *w, struct conn *c)
{
	struct epoll_event ev;
	int one = 1;

	c->fd = socket(w->opt->addr.ss_family,
	    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		count_error(w, c, now_ns());
		return;
	}
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLOUT;
	ev.data.ptr = c;
	if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, c->fd, &ev) != 0) {
		count_error(w, c, now_ns());
		return;
	}
	c->want_out = 1;
	w->st.reconnects++;
	if (connect(c->fd, (struct sockaddr *)&w->opt->addr, w->opt->addrlen) ==
	    0) {
		c->state = C_SENDING;
		do_write(w, c);
		return;
	}
	if (errno != EINPROGRESS) {
		count_error(w, c, now_ns());
		return;
	}
	c->state = C_CONNECTING;
}

static void
start_request(struct worker *w, struct conn *c, uint64_t t)
{
	if (t >= w->opt->t_end) {
		conn_close(c);
		c->state = C_DONE;
		return;
	}
	if (build_request(w, c) != 0) {
		fprintf(stderr, "loadgen: cannot build a request\n");
		w->failed = 1;
		conn_close(c);
		c->state = C_DONE;
		return;
	}
	c->in_flight = 1;
	c->sent_any = 0;
	c->in_len = 0;
	c->deadline = t + w->opt->timeout_ns;
	if (c->fd < 0) {
		do_connect(w, c);
		return;
	}
	c->state = C_SENDING;
	do_write(w, c);
}

static void
on_readable(struct worker *w, struct conn *c)
{
	int status = 0, close_after = 0, eof = 0, r;
	size_t used = 0;
	uint64_t t;
	ssize_t n;

	if (grow(&c->in, &c->in_cap, c->in_len + 4096) != 0) {
		count_error(w, c, now_ns());
		return;
	}
	n = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return;
		count_error(w, c, now_ns());
		return;
	}
	if (n == 0)
		eof = 1;
	c->in_len += (size_t)n;
	if (c->state != C_READING) {
		/* bytes or a close while no response is due */
		if (c->in_flight) {
			count_error(w, c, now_ns());
		} else {
			conn_close(c);
		}
		return;
	}
	for (;;) {
		r = parse_response(
		    c->in, c->in_len, eof, &used, &status, &close_after);
		if (r == 1 && status < 200) {
			memmove(c->in, c->in + used, c->in_len - used);
			c->in_len -= used;
			continue;
		}
		break;
	}
	t = now_ns();
	if (r < 0 || (r == 0 && eof) || c->in_len > MAX_RESPONSE ||
	    (r == 1 && used != c->in_len)) {
		count_error(w, c, t);
		return;
	}
	if (r == 0)
		return;
	record(w, status, c->t_send, t);
	c->in_flight = 0;
	c->sent_any = 0;
	c->in_len = 0;
	if (close_after || eof)
		conn_close(c);
	start_request(w, c, t);
}

static void
on_writable(struct worker *w, struct conn *c)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (c->state == C_CONNECTING) {
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 ||
		    err != 0) {
			count_error(w, c, now_ns());
			return;
		}
		c->state = C_SENDING;
	}
	if (c->state == C_SENDING)
		do_write(w, c);
	else
		set_events(w, c, 0);
}

/* Times out stuck requests and restarts connections that were pausing.
 * Returns how many connections still have work. */
static int
sweep(struct worker *w, uint64_t t)
{
	struct conn *c;
	int i, live = 0;

	for (i = 0; i < w->nconn; i++) {
		c = &w->conns[i];
		if (c->in_flight && t >= c->deadline)
			count_error(w, c, t);
		if (c->state == C_IDLE && t >= c->wake)
			start_request(w, c, t);
		if (c->state != C_DONE)
			live++;
	}
	return live;
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct epoll_event evs[256];
	struct conn *c;
	uint64_t t, last_sweep = 0;
	int i, n, live = 1;

	w->epfd = epoll_create1(EPOLL_CLOEXEC);
	w->mac = mac_new(w->opt->secret);
	w->conns = calloc((size_t)w->nconn, sizeof(*w->conns));
	if (w->epfd < 0 || w->mac == NULL || w->conns == NULL ||
	    grow(&w->body, &w->body_cap, 2048) != 0) {
		w->failed = 1;
		return NULL;
	}
	t = now_ns();
	for (i = 0; i < w->nconn; i++) {
		w->conns[i].fd = -1;
		w->conns[i].state = C_IDLE;
		w->conns[i].wake = t;
	}
	while (live > 0 && !w->failed) {
		n = epoll_wait(w->epfd, evs, 256, 10);
		if (n < 0 && errno != EINTR)
			break;
		for (i = 0; i < n; i++) {
			c = evs[i].data.ptr;
			if (c->fd < 0)
				continue;
			if (evs[i].events & (EPOLLOUT | EPOLLERR))
				on_writable(w, c);
			if (c->fd >= 0 &&
			    (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
				on_readable(w, c);
		}
		t = now_ns();
		if (t - last_sweep >= 10000000ULL || n <= 0) {
			last_sweep = t;
			live = sweep(w, t);
		}
		if (t >= w->opt->t_stop)
			break;
	}
	/* Whatever is still out at the hard stop gets no answer. */
	for (i = 0; i < w->nconn; i++) {
		c = &w->conns[i];
		if (c->in_flight && c->sent_any)
			w->st.unanswered++;
		conn_close(c);
		free(c->req);
		free(c->in);
	}
	free(w->conns);
	w->conns = NULL;
	close(w->epfd);
	EVP_MAC_CTX_free(w->mac);
	free(w->body);
	return NULL;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static double
percentile_ms(const uint32_t *v, size_t n, double p)
{
	size_t k;

	if (n == 0)
		return 0;
	k = (size_t)(p * (double)n + 0.999999);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1] / 1000.0;
}

/* Checks the reused-context MAC against OpenSSL's one-shot HMAC(). */
static int
mac_selftest(const char *secret)
{
	static const char msg[] = "{\"object\":\"whatsapp_business_account\"}";
	unsigned char md[32];
	unsigned int mdlen = 0;
	char a[65], b[65];
	EVP_MAC_CTX *ctx;
	int i, ok = 1;

	ctx = mac_new(secret);
	if (ctx == NULL)
		return -1;
	if (HMAC(EVP_sha256(), secret, (int)strlen(secret),
		(const unsigned char *)msg, sizeof(msg) - 1, md,
		&mdlen) == NULL ||
	    mdlen != 32)
		ok = 0;
	hex(md, 32, b);
	for (i = 0; ok && i < 2; i++)
		if (mac_hex(ctx, msg, sizeof(msg) - 1, a) != 0 ||
		    strcmp(a, b) != 0)
			ok = 0;
	EVP_MAC_CTX_free(ctx);
	return ok ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct options opt;
	struct worker *ws;
	struct stats tot;
	pthread_t *tids;
	uint32_t *lat;
	size_t nlat = 0;
	uint64_t t0;
	int i, s, failed = 0;
	double secs;

	if (parse_options(argc, argv, &opt) != 0) {
		usage();
		return 2;
	}
	if (resolve_loopback(&opt) != 0) {
		fprintf(stderr,
		    "loadgen: refusing host '%s': loopback addresses only\n",
		    opt.host);
		return 2;
	}
	if (mac_selftest(opt.secret) != 0) {
		fprintf(stderr, "loadgen: HMAC-SHA256 self-test failed\n");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	opt.nonce = (uint32_t)getpid() ^ (uint32_t)time(NULL) * 2654435761U;

	ws = calloc((size_t)opt.threads, sizeof(*ws));
	tids = calloc((size_t)opt.threads, sizeof(*tids));
	if (ws == NULL || tids == NULL)
		return 1;
	t0 = now_ns();
	opt.t_warm = t0 + (uint64_t)(opt.warmup * (double)NS);
	opt.t_end = opt.t_warm + (uint64_t)(opt.duration * (double)NS);
	opt.t_stop = opt.t_end + opt.timeout_ns + NS / 10;
	for (i = 0; i < opt.threads; i++) {
		ws[i].id = i;
		ws[i].opt = &opt;
		ws[i].nconn = opt.connections / opt.threads +
		    (i < opt.connections % opt.threads);
		if (pthread_create(&tids[i], NULL, worker_main, &ws[i]) != 0) {
			fprintf(stderr, "loadgen: cannot start a thread\n");
			return 1;
		}
	}
	memset(&tot, 0, sizeof(tot));
	for (i = 0; i < opt.threads; i++) {
		pthread_join(tids[i], NULL);
		failed |= ws[i].failed;
		tot.responses += ws[i].st.responses;
		tot.ok += ws[i].st.ok;
		tot.non2xx += ws[i].st.non2xx;
		tot.errors += ws[i].st.errors;
		tot.sent += ws[i].st.sent;
		tot.total_ok += ws[i].st.total_ok;
		tot.total_non2xx += ws[i].st.total_non2xx;
		tot.total_errors += ws[i].st.total_errors;
		tot.unanswered += ws[i].st.unanswered;
		tot.reconnects += ws[i].st.reconnects;
		for (s = 0; s < MAX_STATUS; s++)
			tot.status[s] += ws[i].st.status[s];
		nlat += ws[i].st.lat_n;
	}
	lat = malloc((nlat ? nlat : 1) * sizeof(*lat));
	if (lat == NULL)
		return 1;
	nlat = 0;
	for (i = 0; i < opt.threads; i++) {
		if (ws[i].st.lat_n > 0)
			memcpy(lat + nlat, ws[i].st.lat_us,
			    ws[i].st.lat_n * sizeof(*lat));
		nlat += ws[i].st.lat_n;
		free(ws[i].st.lat_us);
	}
	qsort(lat, nlat, sizeof(*lat), cmp_u32);
	secs = opt.duration;

	printf("requests: %llu\n", (unsigned long long)tot.responses);
	printf("ok: %llu\n", (unsigned long long)tot.ok);
	printf("non_2xx: %llu\n", (unsigned long long)tot.non2xx);
	printf("errors: %llu\n", (unsigned long long)tot.errors);
	printf("seconds: %.3f\n", secs);
	printf("req_per_s: %.1f\n", (double)tot.ok / secs);
	printf("p50_ms: %.3f\n", percentile_ms(lat, nlat, 0.50));
	printf("p99_ms: %.3f\n", percentile_ms(lat, nlat, 0.99));
	printf("max_ms: %.3f\n", nlat ? lat[nlat - 1] / 1000.0 : 0.0);
	for (s = 0; s < MAX_STATUS; s++)
		if (tot.status[s] > 0)
			printf("status_%d: %llu\n", s,
			    (unsigned long long)tot.status[s]);
	printf("connections: %d\n", opt.connections);
	printf("threads: %d\n", opt.threads);
	printf("total_sent: %llu\n", (unsigned long long)tot.sent);
	printf("total_ok: %llu\n", (unsigned long long)tot.total_ok);
	printf("total_non_2xx: %llu\n", (unsigned long long)tot.total_non2xx);
	printf("total_errors: %llu\n", (unsigned long long)tot.total_errors);
	printf("unanswered: %llu\n", (unsigned long long)tot.unanswered);
	printf("connects: %llu\n", (unsigned long long)tot.reconnects);
	free(lat);
	free(ws);
	free(tids);
	return failed ? 1 : 0;
}
