/*
 * Titles of findings, from a run's stderr, and the slugs of titles that
 * name bucket folders in crashes/ (FIELD-GUIDE §3: two crashes with the
 * same title are one bug).
 *
 * A harness finding keeps its own stable title ("==ERROR: slabfuzz:
 * <title>"). A sanitizer's is built from its report: the tool and the bug
 * kind (and READ/WRITE), then the first three stack frames outside the
 * sanitizer runtime, libc and the host's malloc, with numbers and
 * addresses scrubbed, e.g. "AddressSanitizer: heap-use-after-free WRITE
 * in kfree, op_kfree, sf_exec_op".
 */
#ifndef SFZ_TITLE_H
#define SFZ_TITLE_H

#include <stddef.h>

/* The title in a run's stderr, or "" when it holds none. */
void sfz_title_from_log(const char *log, char *title, size_t len);
/* Letters, digits and '-' kept, every other run of bytes one '-', at most
 * len - 1 bytes: "kalloc: slab: Object already free in kmalloc-64" ->
 * "kalloc-slab-Object-already-free-in-kmalloc-64". */
void sfz_slug(const char *title, char *out, size_t len);
/*
 * A finding's identity, for bucketing (FIELD-GUIDE §3: numbers scrubbed):
 * the title with every run of digits (with a size's k or M) turned into
 * one 'N'. One bug caught
 * in kmalloc-64 in one run and in kmalloc-2k in the next, or in the
 * harness's sfcache0 and sfcache3, is one bucket:
 * "model: not zeroed kmalloc-128 at op kcalloc" ->
 * "model: not zeroed kmalloc-N at op kcalloc".
 */
void sfz_bucket_key(const char *title, char *key, size_t len);

#endif /* SFZ_TITLE_H */
