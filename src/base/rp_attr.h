/* rp_attr.h - compiler attributes shared by the headers. */
#ifndef RP_ATTR_H
#define RP_ATTR_H

#include <stdio.h> /* mingw-w64 defines __MINGW_PRINTF_FORMAT here */

/* printf-style format checking: RP_PRINTF(format argument, first variadic).
 * mingw-w64 with __USE_MINGW_ANSI_STDIO implements C99 formats (%zu, %lld),
 * which GCC checks only under the archetype mingw names (gnu_printf). */
#if defined(__MINGW_PRINTF_FORMAT)
#define RP_PRINTF(fmt, first) __attribute__((format(__MINGW_PRINTF_FORMAT, fmt, first)))
#elif defined(__GNUC__)
#define RP_PRINTF(fmt, first) __attribute__((format(printf, fmt, first)))
#else
#define RP_PRINTF(fmt, first)
#endif

#endif
