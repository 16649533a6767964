/*
 * Renames lib/str.c's functions for the host tests, so that the functions
 * under test do not replace the host libc's (which ASan and libc itself
 * use).  Included before lib/str.h by lib/str.c (via -include) and by
 * test_str.c.
 */
#ifndef TESTS_HOST_STR_RENAME_H
#define TESTS_HOST_STR_RENAME_H
#define memcpy  scarlet_memcpy
#define memmove scarlet_memmove
#define memset  scarlet_memset
#define memcmp  scarlet_memcmp
#define memchr  scarlet_memchr
#define strlen  scarlet_strlen
#define strnlen scarlet_strnlen
#define strcmp  scarlet_strcmp
#define strncmp scarlet_strncmp
#define strcpy  scarlet_strcpy
#define strncpy scarlet_strncpy
#define strlcpy scarlet_strlcpy
#define strcat  scarlet_strcat
#define strchr  scarlet_strchr
#define strrchr scarlet_strrchr
#define strstr  scarlet_strstr
#define strspn  scarlet_strspn
#define strcspn scarlet_strcspn
#include "lib/str.h"
#endif
