/*
 * mask: the words of a report as a city agency (OPD) may read them, with
 * what identifies a person hidden behind a bracketed Indonesian token:
 * phone, NIK and account numbers, digits spelled out, e-mail addresses,
 * number plates, the name a reporter gives ("nama saya ..."), house and
 * RT/RW numbers.  Amounts, dates, times, report codes and the names of
 * places stay.  Pure and in time linear in the text: alert excerpts and
 * the report page both show a text only through mask_text().
 */
#ifndef HOTLINE_MASK_H
#define HOTLINE_MASK_H

#include <stddef.h>

/*
 * Write text (NULL: no text) with what identifies a person masked into
 * out, room for max bytes and the NUL; blanks and line breaks flattened
 * to single spaces, trimmed; cut at a UTF-8 boundary with "…" when it
 * does not fit, a mask whole or left out.
 */
void mask_text(const char *text, char *out, size_t max);
/* The max that mask_text() needs to keep the whole of a text of len bytes
 * (never cut). */
size_t mask_room(size_t len);

#endif
