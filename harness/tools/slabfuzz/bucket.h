/*
 * Buckets in crashes/ (bucket.c): one folder per finding,
 * crashes/<target>/<title-slug>/, holding the input named by the sha1 of
 * its contents, program.txt (its text form), report.txt (the full report)
 * and meta.json:
 *
 *   {
 *     "title": "kalloc: slab: Object already free in kmalloc-64",
 *     "target": "fuzz_misuse",
 *     "status": "detected",          (or "fixed")
 *     "first_seen": "2026-12-01",
 *     "command": "slabfuzz replay crashes/fuzz_misuse/<slug>/<sha1>"
 *   }
 *
 * "fixed": the input must replay clean (the bug it found is fixed);
 * "detected": a deliberate misuse that fuzz_misuse's oracle must keep
 * seeing reported with this title.
 */
#ifndef SFZ_BUCKET_H
#define SFZ_BUCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SFZ_STATUS_FIXED	"fixed"
#define SFZ_STATUS_DETECTED	"detected"

/* The crashes/ folder: --crashes, else $SLABFUZZ_CRASHES, else the source
 * tree's. */
const char *sfz_crashes_dir(const char *opt);

/* crashes/<target>/<slug> into buf; a slug has at most SFZ_SLUG_LEN - 1
 * bytes. */
#define SFZ_SLUG_LEN	200
void sfz_bucket_dir(const char *crashes, const char *target, const char *title,
		    char *buf, size_t len);
/* Is there a bucket folder with this title's slug, or (by_key) one whose
 * meta.json title has the same sfz_bucket_key()? */
#define SFZ_KEY_LEN	256
bool sfz_bucket_known(const char *crashes, const char *target, const char *title,
		      bool by_key);

/*
 * Write a new bucket folder: the input, program.txt, report.txt and
 * meta.json, each through a temporary name. Returns 0, or -1 with a
 * one-line reason in why. The folder's path goes to dir.
 */
int sfz_bucket_add(const char *crashes, const char *target, const char *title,
		   const char *status, const uint8_t *data, size_t len,
		   const char *report, char *dir, size_t dirlen, char *why, size_t whylen);

/* A JSON string (with its quotes) into f. */
void sfz_json_string(FILE *f, const char *s);

#endif /* SFZ_BUCKET_H */
