/*
 * bare_server: the baseline for `make bench`. A libmicrohttpd server set up
 * like hotline's gateway (internal polling thread, epoll, a pool of 2
 * threads) that reads the whole request body and answers 200 "ok" to every
 * request, doing no other work. Loading it with the same client as the
 * daemon shows what HTTP alone costs on this machine.
 *
 * usage: bare_server PORT   (0 picks a free port; the port in use is
 * printed on stdout as "port N"). Listens on 127.0.0.1 only and runs until
 * SIGTERM or SIGINT.
 */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

static const char ok_body[] = "ok";

/* A marker so that the first call for a request (headers only) can be told
 * apart from the following ones (body pieces, then the final call). */
static int request_seen;

static enum MHD_Result
handle(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;
	if (*con_cls == NULL) {
		*con_cls = &request_seen;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		/* Consume the body piece: the server "reads" it. */
		*upload_data_size = 0;
		return MHD_YES;
	}
	resp = MHD_create_response_from_buffer(
	    sizeof(ok_body) - 1, (void *)ok_body, MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	ret = MHD_queue_response(conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sin;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	sigset_t set;
	char *end;
	long port;
	int sig;

	if (argc != 2) {
		fprintf(stderr, "usage: bare_server PORT\n");
		return 2;
	}
	port = strtol(argv[1], &end, 10);
	if (*argv[1] == '\0' || *end != '\0' || port < 0 || port > 65535) {
		fprintf(stderr, "bare_server: bad port '%s'\n", argv[1]);
		return 2;
	}

	/* Block the signals before MHD starts its threads, so that they
	 * inherit the mask and only sigwait() below receives them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0) {
		fprintf(stderr, "bare_server: pthread_sigmask failed\n");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	d = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG,
	    (uint16_t)port, NULL, NULL, handle, NULL, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&sin, MHD_OPTION_THREAD_POOL_SIZE,
	    (unsigned int)2, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
	    MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "bare_server: cannot listen on 127.0.0.1:%ld\n",
		    port);
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (info == NULL || info->port == 0) {
		fprintf(stderr, "bare_server: cannot learn the bound port\n");
		MHD_stop_daemon(d);
		return 1;
	}
	printf("port %u\n", (unsigned int)info->port);
	fflush(stdout);

	if (sigwait(&set, &sig) != 0)
		sig = 0;
	MHD_stop_daemon(d);
	return 0;
}
