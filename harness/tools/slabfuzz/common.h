/*
 * What every slabfuzz subcommand shares: the exit statuses, one-line
 * errors, reading an input safely (bounded, never a crash on an empty,
 * huge or unreadable file), writing a file atomically, listing a
 * directory, and the rule that tells an input's target from where it lies.
 *
 * A subcommand is a row of the table in main.c and a file of its own; it
 * needs nothing but this header (and the program format's, program.h).
 */
#ifndef SFZ_COMMON_H
#define SFZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "program.h"
#include "run.h"

/* Exit statuses, the same for every subcommand. */
enum {
	SFZ_CLEAN = 0,		/* no finding, or the job was done */
	SFZ_FINDING = 1,	/* a finding (or a check that failed) */
	SFZ_USAGE = 2,		/* bad command line */
	SFZ_IO = 3,		/* missing or unreadable file or directory */
	SFZ_MALFORMED = 4,	/* not a program: text that does not parse, an
				 * empty or oversized file, no crash file */
};

/* Inputs larger than this are no program (the format reads at most
 * SF_PREFIX_LEN + SF_MAX_OPS * SF_MAX_OP_LEN bytes; crash files of an
 * engine run with a large -max_len may carry a tail). */
#define SFZ_MAX_INPUT	(1u << 20)

/* The subcommand being run, for messages: "slabfuzz replay". */
extern const char *sfz_cmd;

/* "slabfuzz <cmd>: <message>" on stderr; sfz_die() then exits. */
void sfz_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn, format(printf, 2, 3)))
void sfz_die(int status, const char *fmt, ...);
/* The usage line of the running subcommand, then exit SFZ_USAGE. */
__attribute__((noreturn)) void sfz_usage(const char *usage);

/*
 * Read a whole file. Returns a status: SFZ_CLEAN with *data (NUL-terminated,
 * free() it) and *len; SFZ_IO (missing, a directory, unreadable) or
 * SFZ_MALFORMED (empty, or more than max bytes) with a one-line reason in
 * why. Never exits.
 */
int sfz_read(const char *path, size_t max, uint8_t **data, size_t *len,
	     char *why, size_t whylen);
/* sfz_read, or a one-line error and exit with its status. */
uint8_t *sfz_read_or_die(const char *path, size_t max, size_t *len);

/* Write len bytes to path through a temporary name in the same directory
 * and rename(): an error never leaves a half-written file. 0 or -1 (errno). */
int sfz_write_atomic(const char *path, const void *data, size_t len);
void sfz_write_or_die(const char *path, const void *data, size_t len);
/* mkdir -p; 0 or -1 (errno). */
int sfz_mkdirs(const char *path);

/* A text program file: parsed, or a one-line "FILE: line N: ..." and exit. */
void sfz_parse_text_or_die(const char *path, struct sf_program *p);
/* Bytes of a program into a malloc'ed buffer. */
uint8_t *sfz_encode(const struct sf_program *p, size_t *len);
/* The text form into a malloc'ed string. */
char *sfz_print(const struct sf_program *p);

/*
 * The target of an input: --target when given (must name a target), else
 * the nearest folder on the input's real path that names one
 * (crashes/<target>/..., build/campaign/<target>/..., corpus/<target>/).
 * NULL with a one-line reason in why.
 */
const struct sf_profile *sfz_target_of(const char *path, const char *opt,
					char *why, size_t whylen);
const struct sf_profile *sfz_target_or_die(const char *path, const char *opt);

/* A growable list of strings. */
struct sfz_list {
	char **v;
	size_t n, cap;
};
void sfz_list_add(struct sfz_list *l, const char *s);
void sfz_list_free(struct sfz_list *l);
void sfz_list_sort(struct sfz_list *l);
/* dir/name into buf; false if it does not fit. */
bool sfz_join(char *buf, size_t len, const char *dir, const char *name);
/* Sorted names (not paths) of a directory's entries, hidden ones left out;
 * files (regular) or folders. 0, or -1 with errno. */
int sfz_list_dir(const char *dir, bool folders, struct sfz_list *out);

/* Parse a decimal count in [lo, hi] for an option, or sfz_usage(). */
unsigned long sfz_count_arg(const char *opt, const char *val,
			    unsigned long lo, unsigned long hi, const char *usage);

#endif /* SFZ_COMMON_H */
