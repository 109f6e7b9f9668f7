/*
 * router_bench: the cost of queue/router.c on realistic reports.  Loads
 * config/demo.conf, reads the texts (and location pins) of
 * tests/router_corpus.tsv and adds the six texts loadgen sends, then
 * routes them over and over and prints the microseconds per
 * router_route() and per router_json(), the median of a few repeats, for
 * the loadgen texts alone and for all of them.  Prints figures, asserts
 * nothing.
 *
 * usage: build/bench/router_bench [ROUNDS]   (from the repository root;
 * ROUNDS, default 2000, is the routes of each text in one repeat)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "queue/router.h"
#include "tests/bench/texts.h"
#include "tests/corpus.h"

#define REPEATS	  5
#define MAX_TEXTS 256

/* One report to route: its text and, when it has one, its pin. */
struct input {
	const char *text;
	struct route_location loc;
	int has_loc;
};

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The corpus's reports appended to in[]; the new count. */
static size_t
read_corpus(const char *path, char **data, struct input *in, size_t n)
{
	FILE *f = fopen(path, "r");
	char *line, *next, *tab, *loc;
	long len;
	int col;

	*data = NULL;
	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 ||
	    (*data = malloc((size_t)len + 1)) == NULL ||
	    fread(*data, 1, (size_t)len, f) != (size_t)len) {
		fprintf(stderr, "router_bench: cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	(*data)[len] = '\0';
	for (line = *data; *line != '\0' && n < MAX_TEXTS; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (line[0] == '#' || line[0] == '\0')
			continue;
		/* text, category, opd, kecamatan, kelurahan, location */
		for (loc = line, col = 0; col < 5 && loc != NULL; col++)
			if ((loc = strchr(loc, '\t')) != NULL)
				loc++;
		if ((tab = strchr(line, '\t')) != NULL)
			*tab = '\0';
		memset(&in[n], 0, sizeof in[n]);
		in[n].text = line;
		if (loc != NULL && *loc != '\0') {
			corpus_parse_location(loc, &in[n].loc);
			in[n].has_loc = 1;
		}
		n++;
	}
	return n;
}

/* Median µs per router_route() of in[0..n), ROUNDS routes of each. */
static double
time_route(const struct router *r, const struct input *in, size_t n, int rounds)
{
	double t[REPEATS], t0;
	struct route rt;
	size_t i;
	int k, rep;

	for (rep = 0; rep < REPEATS; rep++) {
		t0 = now_us();
		for (k = 0; k < rounds; k++)
			for (i = 0; i < n; i++)
				router_route(r, in[i].text,
				    in[i].has_loc ? &in[i].loc : NULL, &rt);
		t[rep] = (now_us() - t0) / ((double)rounds * (double)n);
	}
	qsort(t, REPEATS, sizeof t[0], cmp_double);
	return t[REPEATS / 2];
}

/* Median µs per router_json() (and free) of the routes of in[0..n). */
static double
time_json(const struct router *r, const struct input *in, size_t n, int rounds)
{
	static struct route rt[MAX_TEXTS];
	double t[REPEATS], t0;
	size_t i;
	int k, rep;

	for (i = 0; i < n; i++)
		router_route(
		    r, in[i].text, in[i].has_loc ? &in[i].loc : NULL, &rt[i]);
	for (rep = 0; rep < REPEATS; rep++) {
		t0 = now_us();
		for (k = 0; k < rounds; k++)
			for (i = 0; i < n; i++)
				free(router_json(&rt[i]));
		t[rep] = (now_us() - t0) / ((double)rounds * (double)n);
	}
	qsort(t, REPEATS, sizeof t[0], cmp_double);
	return t[REPEATS / 2];
}

int
main(int argc, char **argv)
{
	static struct input in[MAX_TEXTS];
	struct config *cfg;
	struct router *r;
	char errs[4096], *data;
	size_t n = 0, i, chars = 0;
	int rounds = argc > 1 ? atoi(argv[1]) : 2000;

	if (rounds <= 0)
		rounds = 2000;
	if ((cfg = config_load("config/demo.conf", errs, sizeof errs)) ==
	    NULL) {
		fprintf(stderr, "router_bench: %s", errs);
		return 1;
	}
	if ((r = router_new(cfg, errs, sizeof errs)) == NULL) {
		fprintf(stderr, "router_bench: router_new: %s\n", errs);
		return 1;
	}
	for (i = 0; i < BENCH_NTEXTS; i++) {
		memset(&in[n], 0, sizeof in[n]);
		in[n++].text = bench_texts[i];
	}
	n = read_corpus("tests/router_corpus.tsv", &data, in, n);
	for (i = 0; i < n; i++)
		chars += strlen(in[i].text);
	printf("texts: %zu (6 loadgen + %zu corpus), %.0f chars on average\n",
	    n, n - 6, (double)chars / (double)n);
	printf("rounds: %d, median of %d repeats\n", rounds, REPEATS);
	time_route(r, in, n, rounds / 20 + 1); /* warm-up: caches, clock */
	printf("route_us_loadgen: %.2f\n", time_route(r, in, 6, rounds));
	printf("route_us_all: %.2f\n", time_route(r, in, n, rounds / 4 + 1));
	printf("json_us_loadgen: %.2f\n", time_json(r, in, 6, rounds));
	printf("json_us_all: %.2f\n", time_json(r, in, n, rounds / 4 + 1));
	router_free(r);
	config_free(cfg);
	free(data);
	return 0;
}
