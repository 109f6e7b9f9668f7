/*
 * server: `hotline serve`.  The libmicrohttpd daemon with the webhook,
 * health and metrics routes, the writer thread behind it, and the orderly
 * drain on SIGTERM.
 */
#ifndef HOTLINE_SERVER_H
#define HOTLINE_SERVER_H

#include <stddef.h>

struct config;

/*
 * Serve until SIGTERM or SIGINT, then drain and return 0; -1 with err set
 * when the server cannot start.
 */
int server_run(const struct config *, char *err, size_t errlen);

#endif
