/* plat_int.h - helpers shared by the platform files (private). */
#ifndef PLAT_INT_H
#define PLAT_INT_H

#include <stddef.h>

int plat_list_push(char ***v, size_t *n, size_t *cap, const char *name);

#endif
