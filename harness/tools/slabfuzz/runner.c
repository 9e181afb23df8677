/*
 * The runner (runner.h): every run of an input is a forked child of its
 * own, with a machine of its own.
 *
 * A child sends its stderr (a finding's report, or a sanitizer's) to one
 * pipe and a record of its run to another, runs the input through the
 * target's profile exactly as the fuzz target does (sf_run_input), and
 * exits 0. A finding aborts it; a hang ends at SIGALRM. The record is
 * "D <title>" for the first report a misuse window expected (with "T <len>"
 * and that report's text), then "E" when the run ended clean. The parent
 * reads both pipes to their end, waits, and takes a finding's title from
 * the report (title.c).
 *
 * Why a child per run, for repeats too (replay --repeat N must use fresh
 * machines): kalloc_fini() + kalloc_init(), or the kalloc_reset() the fuzz
 * targets start every input from, renew what the allocator knows of, and
 * nothing else. Whatever a run leaves outside that would meet the next
 * run in the same process: statics of the harness and the allocator,
 * ASan's heap and quarantine, the host malloc's state, where mmap places
 * the arena, the stdio buffers of a report. A new child of a
 * parent that never built a machine starts from exactly the same process
 * every time, so N runs can only differ by what the input itself does:
 * a title that changes is the input's (or the allocator's) flakiness,
 * never the runner's.
 *
 * What the parent does hold is the sanitizer's symbolizer: it is warmed
 * once here (warm_symbolizer), so that a child does not read and inflate
 * the binary's debug information again for every report (a tenth of a
 * second a run); the symbols of one binary are the same in every child.
 */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "title.h"

#define SFZ_MAX_LOG	(4u << 20)	/* bytes of a child's output kept */

/* ------------------------------------------------------------------ */
/* The child                                                           */
/* ------------------------------------------------------------------ */

static int record_fd = -1;
static bool detected_sent;

static void write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(125);
		s += w;
		n -= (size_t)w;
	}
}

/* The first expected report of a run. */
static void on_report(const char *title, const char *text, bool expected, void *arg)
{
	char line[SFZ_TITLE_LEN + 32];
	int n;

	(void)arg;
	if (!expected || detected_sent || record_fd < 0)
		return;
	detected_sent = true;
	n = snprintf(line, sizeof(line), "D kalloc: %s\n", title);
	if (n > 0)
		write_all(record_fd, line, strnlen(line, sizeof(line)));
	n = snprintf(line, sizeof(line), "T %zu\n", strlen(text));
	write_all(record_fd, line, (size_t)n);
	write_all(record_fd, text, strlen(text));
}

static void child(const struct sf_profile *prof, const uint8_t *data, size_t len,
		  const struct sfz_run_opts *opts, int err_fd, int rec_fd)
{
	static struct sf_program prog;

	if (dup2(err_fd, 2) < 0)
		_exit(125);
	close(err_fd);
	record_fd = rec_fd;
	/* a finding is an abort: no core file for each of them */
	setrlimit(RLIMIT_CORE, &(struct rlimit){ 0, 0 });
	signal(SIGALRM, SIG_DFL);
	/* anything inherited from the parent is not this child's machine */
	sf_shutdown();
	sf_set_report_hook(on_report, NULL);
	alarm(opts->timeout ? opts->timeout : SFZ_DEFAULT_TIMEOUT);
	if (opts->trace) {
		sf_decode(data, len, &prog);
		sfz_trace_begin(&prog);
		sf_run_program(prof, &prog);
		sfz_trace_end();
	} else {
		sf_run_input(prof, data, len);
	}
	write_all(record_fd, "E\n", 2);
	alarm(0);
	sf_shutdown();
	fflush(NULL);
	exit(0);
}

/* ------------------------------------------------------------------ */
/* The parent                                                          */
/* ------------------------------------------------------------------ */

struct buf {
	char *p;
	size_t len;
};

/* Read what is there; false at end of file. */
static bool drain(int fd, struct buf *b, bool echo)
{
	char chunk[4096];
	ssize_t r = read(fd, chunk, sizeof(chunk));

	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (r <= 0)
		return false;
	if (echo)
		fwrite(chunk, 1, (size_t)r, stderr);
	if (b->len + (size_t)r <= SFZ_MAX_LOG) {
		char *n = realloc(b->p, b->len + (size_t)r + 1);

		if (!n)
			sfz_die(SFZ_IO, "out of memory");
		memcpy(n + b->len, chunk, (size_t)r);
		b->len += (size_t)r;
		n[b->len] = 0;
		b->p = n;
	}
	return true;
}

static char *dup_or_die(const char *s, size_t n)
{
	char *d = strndup(s, n);

	if (!d)
		sfz_die(SFZ_IO, "out of memory");
	return d;
}

static const char *signal_name(int sig)
{
	const char *n = sigabbrev_np(sig);

	return n ? n : "unknown";
}

/*
 * Read a child's record into r: the title of the report a misuse window
 * expected, with its text, and whether the run ended clean ("E").
 */
static bool parse_record(const struct buf *rec, struct sfz_result *r)
{
	const char *p = rec->p ? rec->p : "", *end = p + rec->len;
	bool ended = false;

	while (p < end) {
		size_t n = strcspn(p, "\n");

		if (p[0] == 'E') {
			ended = true;
		} else if (p[0] == 'D' && n > 2) {
			snprintf(r->detected, sizeof(r->detected), "%.*s", (int)(n - 2), p + 2);
		} else if (p[0] == 'T' && n > 2) {
			size_t tlen = strtoul(p + 2, NULL, 10);
			const char *t = p + n + (p[n] ? 1 : 0);

			if (tlen > (size_t)(end - t))
				tlen = (size_t)(end - t);
			free(r->detected_report);
			r->detected_report = dup_or_die(t, tlen);
			p = t + tlen;
			continue;
		}
		p += n + (p[n] ? 1 : 0);
	}
	return ended;
}

/* One run in a new child, into r. */
static void run_child(const struct sf_profile *prof, const uint8_t *data, size_t len,
		      const struct sfz_run_opts *opts, struct sfz_result *r)
{
	int errp[2], recp[2], status;
	struct buf err = { 0 }, rec = { 0 };
	bool err_open = true, rec_open = true, ended;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	fflush(NULL);
	if (pipe2(errp, O_CLOEXEC) || pipe2(recp, O_CLOEXEC)) {
		snprintf(r->title, sizeof(r->title), "runner: pipe: %s", strerror(errno));
		r->outcome = SFZ_RUN_ERROR;
		return;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(r->title, sizeof(r->title), "runner: fork: %s", strerror(errno));
		r->outcome = SFZ_RUN_ERROR;
		close(errp[0]), close(errp[1]), close(recp[0]), close(recp[1]);
		return;
	}
	if (pid == 0) {
		close(errp[0]);
		close(recp[0]);
		child(prof, data, len, opts, errp[1], recp[1]);
	}
	close(errp[1]);
	close(recp[1]);
	while (err_open || rec_open) {
		struct pollfd fds[2] = {
			{ .fd = err_open ? errp[0] : -1, .events = POLLIN },
			{ .fd = rec_open ? recp[0] : -1, .events = POLLIN },
		};

		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (err_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
			err_open = drain(errp[0], &err, opts->echo);
		if (rec_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)))
			rec_open = drain(recp[0], &rec, false);
	}
	close(errp[0]);
	close(recp[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	ended = parse_record(&rec, r);
	free(rec.p);
	r->status = status;
	r->log = err.p ? err.p : dup_or_die("", 0);
	r->loglen = err.len;
	/* a child that dies after its record ("E") failed after all */
	if (ended && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		r->outcome = SFZ_RUN_CLEAN;
		return;
	}
	r->outcome = SFZ_RUN_FINDING;
	free(r->detected_report);
	r->detected_report = NULL;
	sfz_title_from_log(r->log, r->title, sizeof(r->title));
	if (!r->title[0]) {
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
			snprintf(r->title, sizeof(r->title), "timeout");
		else if (WIFSIGNALED(status))
			snprintf(r->title, sizeof(r->title), "crash: %s",
				 signal_name(WTERMSIG(status)));
		else
			snprintf(r->title, sizeof(r->title), "abnormal exit: status %d",
				 WEXITSTATUS(status));
	}
}

/*
 * The sanitizer's symbolizer, when the tool is linked with one (weak: NULL
 * otherwise). Warmed only where it is in process (GCC's libsanitizer reads
 * the binary's DWARF with libbacktrace): clang's runtime talks to an
 * llvm-symbolizer subprocess over a pipe, and children sharing one pipe
 * could read each other's answers when one dies mid-question, so there
 * each child starts its own.
 */
extern void __sanitizer_symbolize_pc(void *pc, const char *fmt, char *out,
				     size_t out_size) __attribute__((weak));

static void warm_symbolizer(void)
{
#ifndef __clang__
	static bool warm;
	char fn[64];

	if (warm || !__sanitizer_symbolize_pc)
		return;
	warm = true;
	__sanitizer_symbolize_pc(__builtin_return_address(0), "%f", fn, sizeof(fn));
#endif
}

unsigned int sfz_run_n(const struct sf_profile *prof, const uint8_t *data, size_t len,
		       const struct sfz_run_opts *opts, unsigned int n,
		       struct sfz_result *rs)
{
	unsigned int done = 0;

	warm_symbolizer();
	while (done < n) {
		struct sfz_run_opts o = *opts;

		o.trace = opts->trace && done == 0;
		run_child(prof, data, len, &o, &rs[done]);
		if (rs[done++].outcome == SFZ_RUN_ERROR)
			break;
	}
	return done;
}

enum sfz_outcome sfz_run(const struct sf_profile *prof, const uint8_t *data,
			 size_t len, const struct sfz_run_opts *opts,
			 struct sfz_result *r)
{
	sfz_run_n(prof, data, len, opts, 1, r);
	return r->outcome;
}

void sfz_result_free(struct sfz_result *r)
{
	free(r->log);
	free(r->detected_report);
	r->log = NULL;
	r->detected_report = NULL;
	r->loglen = 0;
}

bool sfz_same_outcome(const struct sfz_result *r, const char *title)
{
	if (!title || !*title)
		return r->outcome == SFZ_RUN_CLEAN;
	return r->outcome == SFZ_RUN_FINDING && !strcmp(r->title, title);
}
