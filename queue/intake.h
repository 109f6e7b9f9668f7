/*
 * intake: turns the normalised events of one webhook into rows for the
 * writer.  For each citizen message it draws the report's random id and
 * code, seals the sender's identity to the custodian key (here, on the
 * request's thread, so the writer only writes), and hashes the provider id
 * for dedupe; for each delivery report it hashes the id of our message.
 */
#ifndef HOTLINE_INTAKE_H
#define HOTLINE_INTAKE_H

#include <time.h>

#include "adapters/adapter.h"
#include "config/config.h"
#include "queue/writer.h"

struct intake {
	struct writer_job job;
	struct store_report reports[INBOUND_MAX_EVENTS];
	struct store_status statuses[INBOUND_MAX_EVENTS];
};

/*
 * Fill in (which need not be zeroed) from batch, which must outlive it.
 * Returns 0 or -1 with err set (sealing failed).
 */
int intake_prepare(struct intake *in, const struct config *,
    const struct channel *, const struct inbound_batch *batch,
    const unsigned char *dedupe_key, time_t now, char *err, size_t errlen);

#endif
