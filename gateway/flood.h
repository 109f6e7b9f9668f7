/*
 * flood: how many reports one sender may open a minute.  Senders are
 * recognised by a keyed BLAKE2b tag whose key is drawn at start and lives
 * only in this process's memory, so nothing here can be turned back into a
 * number, and a restart forgets every count.
 */
#ifndef HOTLINE_FLOOD_H
#define HOTLINE_FLOOD_H

#include <time.h>

struct flood;

struct flood	*flood_new(int per_minute);
void		 flood_free(struct flood *);

/*
 * Count one message from sender (E.164 or WhatsApp id) on channel at time
 * now.  Returns 1 when it is within the limit, 0 when the sender is
 * flooding.
 */
int	flood_allow(struct flood *, const char *channel, const char *sender,
	    time_t now);

#endif
