/*
 * server: `hotline serve`.  The libmicrohttpd daemon with the webhook,
 * health and metrics routes, the writer thread behind it, and the orderly
 * drain on SIGTERM.
 */
#ifndef HOTLINE_SERVER_H
#define HOTLINE_SERVER_H

#include <stddef.h>

struct config;
struct memkey;

#define SERVER_RELOAD 1 /* server_run(): SIGHUP, and the config loads */

/*
 * Serve until SIGTERM or SIGINT, then drain and return 0; -1 with err set
 * when the server cannot start.  On SIGHUP, when the config file (read
 * again) is valid, drain the same way and return SERVER_RELOAD, handing
 * back in *key the process's secrets: the caller serves the new config
 * with them (a clean restart that loses nothing queued, whatever holds the
 * keys).  *key NULL: draw or read them; the caller frees what it gets.
 */
int server_run(
    const struct config *, struct memkey **key, char *err, size_t errlen);

#endif
