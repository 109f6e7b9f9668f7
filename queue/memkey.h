/*
 * memkey: secrets that live only in this process's memory (sodium_malloc:
 * guard pages, never swapped, never in a core dump), drawn fresh at every
 * start.  They protect what must wait briefly but must never be kept: a
 * citizen's number waiting in the outbox, a receipt waiting for its slow
 * hash, and the tags that link two messages of one sender.  A restart
 * forgets them, and everything sealed under them becomes unreadable: such
 * rows are dropped, never sent in clear.
 */
#ifndef HOTLINE_MEMKEY_H
#define HOTLINE_MEMKEY_H

#include <stddef.h>

#include <sodium.h>

#define MEMKEY_EPOCH_BYTES 8
#define MEMKEY_OVERHEAD                                                        \
	(MEMKEY_EPOCH_BYTES + crypto_secretbox_NONCEBYTES +                    \
	    crypto_secretbox_MACBYTES)
#define MEMKEY_TAG_BYTES 16

struct memkey;

struct memkey *memkey_new(void);

/*
 * The keys kept in the file path, in a runtime directory on tmpfs
 * (systemd's RuntimeDirectory): read when the file is there, else drawn
 * and written (mode 600).  So what one process sealed (a receipt waiting
 * for its hash, a citizen's address waiting in the outbox) opens after a
 * crash and a restart, while the keys never reach a disk or a backup and
 * are gone at a reboot.  *kept is 1 when they were read.  NULL with err
 * set when the file is unsafe (not ours, readable by others) or broken.
 */
struct memkey *memkey_load(
    const char *path, int *kept, char *err, size_t errlen);
void memkey_free(struct memkey *);

/*
 * Seal len bytes of in into out (len + MEMKEY_OVERHEAD bytes).  Returns
 * the sealed length.
 */
size_t memkey_seal(
    const struct memkey *, const void *in, size_t len, unsigned char *out);

/*
 * Open what memkey_seal made (in this process) into out (inlen -
 * MEMKEY_OVERHEAD bytes).  Returns the plaintext length, or -1 when it was
 * sealed by another process or is corrupt.
 */
long memkey_open(
    const struct memkey *, const unsigned char *in, size_t inlen, void *out);

/* A tag linking messages of one sender on one channel, for this process. */
void memkey_tag(const struct memkey *, const char *channel, const char *sender,
    unsigned char out[MEMKEY_TAG_BYTES]);

#endif
