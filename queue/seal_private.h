/*
 * seal_private: what queue/seal.c and queue/seal_keyfile.c share and
 * nothing else includes.
 */
#ifndef HOTLINE_SEAL_PRIVATE_H
#define HOTLINE_SEAL_PRIVATE_H

#include <stddef.h>

/* printf into err (nothing when err is NULL or errlen 0). */
void seal_seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
