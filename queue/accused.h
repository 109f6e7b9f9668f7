/*
 * accused: whom a report accuses, read from its words as the router
 * normalises them: the office's own leadership ("kadis dukcapil minta
 * fee", "dimintai uang oleh pak lurah"), its front-line staff ("petugas
 * loket minta uang"), or the mayor's own office ("ajudan wali kota
 * terima setoran").  The router sends a report that accuses an office's
 * leadership away from that office.  Also which words describe the writer
 * ("saya guru SD, ..."): an office named there is the writer's employer,
 * not the one accused, and no office keyword counts in them.  Pure.
 */
#ifndef HOTLINE_ACCUSED_H
#define HOTLINE_ACCUSED_H

#include <stddef.h>

/* In rising order of weight: a report accusing several takes the last. */
enum accused_kind {
	ACCUSED_NONE,
	ACCUSED_STAFF,	    /* petugas, pegawai, oknum, guru ... */
	ACCUSED_LEADERSHIP, /* kadis, kabid, camat, lurah, direktur ... */
	ACCUSED_MAYOR,	    /* wali kota, wakil, ajudan, sekda, balai kota */
};

struct accusation {
	enum accused_kind kind;
	char term[40]; /* the words that name the accused: "kepala dinas" */
};

/*
 * Read n normalised words.  brk[i] is 1 when a clause break (, . ; : ! ?
 * or a line break) comes before word i.  self[i] is set to 1 for the words
 * of the writer's description of themselves, 0 for the others.
 *
 * The accused of an accusation word (minta, terima, potong, pungut,
 * setoran, suap ...) is the nearest role named before it within a few
 * words, or failing that after it ("diminta uang oleh kabid").  A role
 * said to whom one turned ("lapor ke pak lurah", "Yth. Bapak Wali Kota")
 * or in the writer's own description is no accused.
 */
void accused_read(const char *const *words, const unsigned char *brk, size_t n,
    unsigned char *self, struct accusation *out);

/* "staff", "leadership", "mayor" or NULL for none. */
const char *accused_kind_name(enum accused_kind);

#endif
