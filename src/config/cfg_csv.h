/* cfg_csv.h - the CSV record reader of the project's CSV inputs (the switch
 * list, the bulk switch-message list): RFC 4180 (',' separators, "quoted"
 * fields with "" for a quote, quoted fields may span lines; CRLF, LF or CR
 * line ends); blanks around unquoted fields are dropped. Over text already
 * decoded to UTF-8 (cfg_text_decode). */
#ifndef CFG_CSV_H
#define CFG_CSV_H

#include <stdbool.h>
#include <stddef.h>

/* Fields beyond this many are only counted (nf). */
#define CFG_CSV_MAXF 8

typedef struct cfg_csv_rec {
	char *f[CFG_CSV_MAXF]; /* malloc'd; the first min(nf, CFG_CSV_MAXF) */
	size_t nf;
	bool quoted_any;
	char err[96]; /* a syntax error, "" when none */
} cfg_csv_rec;

/* Reads the record at *pp (< end), advancing *pp past it and *line by the
 * lines it spans. A syntax error sets r->err and moves past the record's
 * first line only (the next record is read from the line after it). Only
 * RP_ENOMEM is an error; r is then cleared. */
int cfg_csv_read(const char **pp, const char *end, int *line, cfg_csv_rec *r);
/* A blank line: one empty unquoted field. */
bool cfg_csv_blank(const cfg_csv_rec *r);
void cfg_csv_clear(cfg_csv_rec *r);

#endif
