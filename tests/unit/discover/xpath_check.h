/* xpath_check.h - an independent reading of a POX response for the tests.
 *
 * Each field the parser returns is compared with the same field read by an
 * XPath query (libxml2's XPath engine, local-name() matching) over the same
 * file, so the expected values come from the file, not from the parser. */
#ifndef XPATH_CHECK_H
#define XPATH_CHECK_H

#include "discover/adisc.h"

/* Returns the number of fields compared; fails the cmocka test on the first
 * mismatch, naming the file and the XPath. */
int xpath_check_response(const char *path, const adisc_response *r);

#endif
