/*
 * version: prints "hotline X.Y.Z", then one line a library: the version
 * that the library itself reports at run time where it can (the shared
 * object the dynamic linker loaded, which a security update may have
 * replaced since the build), else the version it was built against,
 * marked "(built with)".  HOTLINE_VERSION comes from the VERSION file
 * alone, through the Makefile; debian/changelog must agree with it
 * (tests/e2e/test_package.sh checks).
 */
#include <stdio.h>

#include <curl/curl.h>
#include <jansson.h>
#include <microhttpd.h>
#include <openssl/crypto.h>
#include <sodium.h>
#include <sqlite3.h>

#include "gateway/version.h"

#ifndef HOTLINE_VERSION
#error "HOTLINE_VERSION is not defined: build with the Makefile"
#endif
#ifndef HOTLINE_INIH_VERSION
#define HOTLINE_INIH_VERSION "unknown"
#endif
#ifndef HOTLINE_LIBSYSTEMD_VERSION
#define HOTLINE_LIBSYSTEMD_VERSION "unknown"
#endif

int
cmd_version(int argc, char **argv)
{
	const curl_version_info_data *curl;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: hotline version\n");
		return 2;
	}
	curl = curl_version_info(CURLVERSION_NOW);
	printf("hotline %s\n", HOTLINE_VERSION);
	printf("libmicrohttpd %s\n", MHD_get_version());
	printf("SQLite %s\n", sqlite3_libversion());
	printf("libsodium %s\n", sodium_version_string());
	printf("libcurl %s (%s)\n", curl->version,
	    curl->ssl_version != NULL ? curl->ssl_version : "no TLS");
	printf("jansson %s\n", jansson_version_str());
	printf("OpenSSL %s\n", OpenSSL_version(OPENSSL_VERSION_STRING));
	/* inih and libsystemd have no function that tells */
	printf("inih %s (built with)\n", HOTLINE_INIH_VERSION);
	printf("libsystemd %s (built with)\n", HOTLINE_LIBSYSTEMD_VERSION);
	return fflush(stdout) == EOF || ferror(stdout) ? 1 : 0;
}
