/*
 * The runner (runner.h): inputs run in forked children, each child with a
 * machine of its own.
 *
 * A child sends its stderr (a finding's report, or a sanitizer's) to one
 * pipe and a record of each run to another, runs the input through the
 * target's profile exactly as the fuzz target does (sf_run_input), and
 * exits 0 after the last run. A finding aborts it; a hang ends at SIGALRM.
 * The record of a run is "D <title>" for the first report a misuse window
 * expected (with "T <len>" and that report's text, on the first run only),
 * then "E" when the run ended clean. The parent reads both pipes to their
 * end, waits, and takes a finding's title from the report (title.c).
 *
 * Repeats (sfz_run_n): the first run of a child builds its machine with
 * kalloc_init(); the next ones start from kalloc_reset(), which is how the
 * fuzz targets start every input and is proven to leave nothing behind
 * (the determinism tests, ctest determinism_*). A finding ends its child,
 * and the next repeat starts in a new one. With opts->fork_each every run
 * is a child of its own.
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
static bool detected_sent, first_run;

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
	if (first_run) {
		n = snprintf(line, sizeof(line), "T %zu\n", strlen(text));
		write_all(record_fd, line, (size_t)n);
		write_all(record_fd, text, strlen(text));
	}
}

static void child(const struct sf_profile *prof, const uint8_t *data, size_t len,
		  const struct sfz_run_opts *opts, unsigned int runs, int err_fd,
		  int rec_fd)
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
	for (unsigned int i = 0; i < runs; i++) {
		alarm(opts->timeout ? opts->timeout : SFZ_DEFAULT_TIMEOUT);
		detected_sent = false;
		first_run = i == 0;
		if (opts->trace && i == 0) {
			sf_decode(data, len, &prog);
			sfz_trace_begin(&prog);
			sf_run_program(prof, &prog);
			sfz_trace_end();
		} else {
			sf_run_input(prof, data, len);
		}
		write_all(record_fd, "E\n", 2);
	}
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
 * Split a child's record into results: each "E" ends a clean run. Returns
 * how many runs ended clean; the detected title of the run after them (if
 * the child died in it) goes to *pending.
 */
static unsigned int parse_record(const struct buf *rec, struct sfz_result *rs,
				 unsigned int max, char *pending, size_t plen)
{
	unsigned int done = 0;
	const char *p = rec->p ? rec->p : "", *end = p + rec->len;
	char *detected_report = NULL;

	pending[0] = 0;
	while (p < end && done < max) {
		size_t n = strcspn(p, "\n");

		if (p[0] == 'E') {
			memset(&rs[done], 0, sizeof(rs[done]));
			rs[done].outcome = SFZ_RUN_CLEAN;
			snprintf(rs[done].detected, sizeof(rs[done].detected), "%s", pending);
			rs[done].detected_report = detected_report;
			detected_report = NULL;
			pending[0] = 0;
			done++;
		} else if (p[0] == 'D' && n > 2) {
			snprintf(pending, plen, "%.*s", (int)(n - 2), p + 2);
		} else if (p[0] == 'T' && n > 2) {
			size_t tlen = strtoul(p + 2, NULL, 10);
			const char *t = p + n + (p[n] ? 1 : 0);

			if (tlen > (size_t)(end - t))
				tlen = (size_t)(end - t);
			free(detected_report);
			detected_report = dup_or_die(t, tlen);
			p = t + tlen;
			continue;
		}
		p += n + (p[n] ? 1 : 0);
	}
	free(detected_report);
	return done;
}

/* One child for up to runs runs; fills rs from index 0. Returns how many
 * results it filled (the clean runs, then the finding that ended it). */
static unsigned int run_child(const struct sf_profile *prof, const uint8_t *data,
			      size_t len, const struct sfz_run_opts *opts,
			      unsigned int runs, struct sfz_result *rs)
{
	int errp[2], recp[2], status;
	struct buf err = { 0 }, rec = { 0 };
	bool err_open = true, rec_open = true;
	char pending[SFZ_TITLE_LEN];
	unsigned int done;
	struct sfz_result *r;
	pid_t pid;

	fflush(NULL);
	if (pipe2(errp, O_CLOEXEC) || pipe2(recp, O_CLOEXEC)) {
		memset(rs, 0, sizeof(*rs));
		snprintf(rs->title, sizeof(rs->title), "runner: pipe: %s", strerror(errno));
		rs->outcome = SFZ_RUN_ERROR;
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		memset(rs, 0, sizeof(*rs));
		snprintf(rs->title, sizeof(rs->title), "runner: fork: %s", strerror(errno));
		rs->outcome = SFZ_RUN_ERROR;
		close(errp[0]), close(errp[1]), close(recp[0]), close(recp[1]);
		return 1;
	}
	if (pid == 0) {
		close(errp[0]);
		close(recp[0]);
		child(prof, data, len, opts, runs, errp[1], recp[1]);
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
	done = parse_record(&rec, rs, runs, pending, sizeof(pending));
	free(rec.p);
	/* the log goes with the first result: the finding's, or the first run's */
	if (done == runs && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		rs[0].log = err.p ? err.p : dup_or_die("", 0);
		rs[0].loglen = err.len;
		return done;
	}
	if (done == runs) {
		/* it died after its last record: that run failed after all */
		done--;
		free(rs[done].detected_report);
	}
	r = &rs[done];		/* not filled by parse_record */
	memset(r, 0, sizeof(*r));
	r->outcome = SFZ_RUN_FINDING;
	snprintf(r->detected, sizeof(r->detected), "%s", pending);
	r->log = err.p ? err.p : dup_or_die("", 0);
	r->loglen = err.len;
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
	return done + 1;
}

unsigned int sfz_run_n(const struct sf_profile *prof, const uint8_t *data, size_t len,
		       const struct sfz_run_opts *opts, unsigned int n,
		       struct sfz_result *rs)
{
	unsigned int done = 0;

	while (done < n) {
		struct sfz_run_opts o = *opts;
		unsigned int got;

		o.trace = opts->trace && done == 0;
		got = run_child(prof, data, len, &o, opts->fork_each ? 1 : n - done, rs + done);
		done += got;
		if (rs[done - 1].outcome == SFZ_RUN_ERROR)
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
