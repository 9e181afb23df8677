/*
 * Running one input in a fresh machine and telling what happened: the
 * runner every subcommand that replays (replay, minimize, triage) shares.
 *
 * Every run happens in a forked child of its own: a finding ends a fuzz
 * target's process (an abort, a sanitizer report), and a child is the one
 * way to survive that and go on, whatever state the bug left behind. The
 * parent holds no machine, so every child builds its own from the input's
 * configuration: a run depends on nothing but the input and the target
 * (runner.c says why repeats get a new child too). The child's
 * stderr is the report; its title is taken from it (title.c). A second
 * pipe carries the title of the first report the oracle expected (a
 * misuse window), which is what a `detected` regression seed must keep.
 */
#ifndef SFZ_RUNNER_H
#define SFZ_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "run.h"

enum sfz_outcome {
	SFZ_RUN_CLEAN,		/* the program ran to its end without a finding */
	SFZ_RUN_FINDING,	/* a finding: title holds its title */
	SFZ_RUN_ERROR,		/* the run itself failed (fork, pipe) */
};

#define SFZ_TITLE_LEN	256

struct sfz_result {
	enum sfz_outcome outcome;
	char title[SFZ_TITLE_LEN];	/* the finding's title, "" when clean */
	char detected[SFZ_TITLE_LEN];	/* "kalloc: <title>" of the first
					 * report a misuse window expected */
	char *log;			/* the child's stderr (the report), malloc'ed */
	int status;			/* the child's wait status */
	char *detected_report;		/* the detected report's text, or NULL */
	size_t loglen;
};

struct sfz_run_opts {
	bool trace;		/* every op to stdout (trace.c) */
	bool echo;		/* copy the child's stderr to ours as it comes */
	unsigned int timeout;	/* seconds; the run's title is "timeout" after */
};

#define SFZ_DEFAULT_TIMEOUT	60

/* Run data as an input of prof in a child. Returns r->outcome. */
enum sfz_outcome sfz_run(const struct sf_profile *prof, const uint8_t *data,
			 size_t len, const struct sfz_run_opts *opts,
			 struct sfz_result *r);
/*
 * n runs of data, each in a new child (a fresh machine: its own
 * kalloc_init()). Results go to rs[0..n), each with its log. Returns how
 * many results were filled (n, unless a run could not start: then the
 * last has SFZ_RUN_ERROR).
 */
unsigned int sfz_run_n(const struct sf_profile *prof, const uint8_t *data, size_t len,
		       const struct sfz_run_opts *opts, unsigned int n,
		       struct sfz_result *rs);
void sfz_result_free(struct sfz_result *r);

/* Has a finding with this title, or a clean run (title NULL or "")? */
bool sfz_same_outcome(const struct sfz_result *r, const char *title);

/* trace.c: the op hook a traced child runs, from the configuration line
 * to the end of a program that ran clean. */
void sfz_trace_begin(const struct sf_program *prog);
void sfz_trace_end(void);

#endif /* SFZ_RUNNER_H */
