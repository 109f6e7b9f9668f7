/*
 * faultvfs: a test-only SQLite VFS that fails writes and syncs on demand.
 * It wraps the default VFS (unix) and passes everything through, except
 * that xWrite and xSync fail with the code asked for once a countdown of
 * calls runs out: a disk that fills up or an fsync that reports an I/O
 * error, at a chosen point of a transaction.  A fault, once hit, holds
 * (every later call fails too) until cleared, as a full disk does.  The
 * state is global and atomic: a test arms it on its own thread while the
 * writer's threads write.
 */
#ifndef HOTLINE_FAULTVFS_H
#define HOTLINE_FAULTVFS_H

#define FAULTVFS_NAME "faulty"

/*
 * Register the VFS once (later calls do nothing), as the default when
 * make_default is set: then every connection opened without naming a VFS
 * (store_open(), the tests' own) goes through it.  An SQLite result code.
 */
int faultvfs_register(int make_default);

/*
 * Let after more xWrite calls succeed, then fail each one with rc
 * (SQLITE_IOERR_WRITE, SQLITE_FULL): after 0 fails from the next call on.
 */
void faultvfs_fail_writes(long after, int rc);
/* The same for xSync (SQLITE_IOERR_FSYNC, SQLITE_FULL). */
void faultvfs_fail_syncs(long after, int rc);
/* No fault any more: every call succeeds again. */
void faultvfs_clear(void);

/* Calls seen since registering (failed ones included), and failed. */
long faultvfs_writes(void);
long faultvfs_syncs(void);
long faultvfs_failures(void);

#endif
