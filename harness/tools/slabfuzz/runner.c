/*
 * The runner (runner.h): one input, one forked child, one fresh machine.
 *
 * The child sends its stderr (the finding's report, or a sanitizer's) to
 * one pipe and the title of the first expected report to another, runs
 * the input through the target's profile exactly as the fuzz target does
 * (sf_run_input), shuts the machine down and exits 0. A finding aborts it;
 * a hang ends at SIGALRM. The parent reads both pipes to their end (the
 * child never blocks on a full pipe: the second one carries one short
 * line), waits, and takes the title from the report (title.c).
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

#define SFZ_MAX_LOG	(4u << 20)	/* bytes of a child's stderr kept */

/* ------------------------------------------------------------------ */
/* The child                                                           */
/* ------------------------------------------------------------------ */

static int detected_fd = -1;
static bool detected_sent;

static void on_report(const char *title, bool expected, void *arg)
{
	char line[SFZ_TITLE_LEN + 16];
	int n;

	(void)arg;
	if (!expected || detected_sent || detected_fd < 0)
		return;
	detected_sent = true;
	n = snprintf(line, sizeof(line), "kalloc: %s\n", title);
	if (n > 0 && write(detected_fd, line, (size_t)n) < 0)
		_exit(125);
}

static void child(const struct sf_profile *prof, const uint8_t *data, size_t len,
		  const struct sfz_run_opts *opts, int err_fd, int det_fd)
{
	static struct sf_program prog;

	if (dup2(err_fd, 2) < 0)
		_exit(125);
	close(err_fd);
	detected_fd = det_fd;
	/* a finding is an abort: no core file for each of them */
	setrlimit(RLIMIT_CORE, &(struct rlimit){ 0, 0 });
	signal(SIGALRM, SIG_DFL);
	alarm(opts->timeout ? opts->timeout : SFZ_DEFAULT_TIMEOUT);
	/* anything inherited from the parent is not this child's machine */
	sf_shutdown();
	sf_set_report_hook(on_report, NULL);
	if (opts->trace) {
		sf_decode(data, len, &prog);
		sfz_trace_begin(&prog);
		sf_run_program(prof, &prog);
		sfz_trace_end();
	} else {
		sf_run_input(prof, data, len);
	}
	sf_shutdown();
	fflush(NULL);
	exit(0);
}

/* ------------------------------------------------------------------ */
/* The parent                                                          */
/* ------------------------------------------------------------------ */

/* Read what is there; false at end of file. */
static bool drain(int fd, char **buf, size_t *len, bool echo)
{
	char chunk[4096];
	ssize_t r = read(fd, chunk, sizeof(chunk));

	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (r <= 0)
		return false;
	if (echo)
		fwrite(chunk, 1, (size_t)r, stderr);
	if (*len + (size_t)r <= SFZ_MAX_LOG) {
		char *n = realloc(*buf, *len + (size_t)r + 1);

		if (n) {
			memcpy(n + *len, chunk, (size_t)r);
			*len += (size_t)r;
			n[*len] = 0;
			*buf = n;
		}
	}
	return true;
}

static const char *signal_name(int sig)
{
	const char *n = sigabbrev_np(sig);

	return n ? n : "unknown";
}

enum sfz_outcome sfz_run(const struct sf_profile *prof, const uint8_t *data,
			 size_t len, const struct sfz_run_opts *opts,
			 struct sfz_result *r)
{
	int errp[2], detp[2], status;
	char *det = NULL;
	size_t detlen = 0;
	bool err_open = true, det_open = true;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	fflush(NULL);
	if (pipe2(errp, O_CLOEXEC) || pipe2(detp, O_CLOEXEC)) {
		snprintf(r->title, sizeof(r->title), "runner: pipe: %s", strerror(errno));
		return r->outcome = SFZ_RUN_ERROR;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(r->title, sizeof(r->title), "runner: fork: %s", strerror(errno));
		close(errp[0]), close(errp[1]), close(detp[0]), close(detp[1]);
		return r->outcome = SFZ_RUN_ERROR;
	}
	if (pid == 0) {
		close(errp[0]);
		close(detp[0]);
		child(prof, data, len, opts, errp[1], detp[1]);
	}
	close(errp[1]);
	close(detp[1]);
	while (err_open || det_open) {
		struct pollfd fds[2] = {
			{ .fd = err_open ? errp[0] : -1, .events = POLLIN },
			{ .fd = det_open ? detp[0] : -1, .events = POLLIN },
		};

		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (err_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
			err_open = drain(errp[0], &r->log, &r->loglen, opts->echo);
		if (det_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)))
			det_open = drain(detp[0], &det, &detlen, false);
	}
	close(errp[0]);
	close(detp[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (det)
		snprintf(r->detected, sizeof(r->detected), "%.*s",
			 (int)strcspn(det, "\n"), det);
	free(det);
	if (!r->log) {
		r->log = strdup("");
		if (!r->log)
			sfz_die(SFZ_IO, "out of memory");
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		r->outcome = SFZ_RUN_CLEAN;
		return r->outcome;
	}
	r->outcome = SFZ_RUN_FINDING;
	sfz_title_from_log(r->log, r->title, sizeof(r->title));
	if (r->title[0])
		return r->outcome;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		snprintf(r->title, sizeof(r->title), "timeout");
	else if (WIFSIGNALED(status))
		snprintf(r->title, sizeof(r->title), "crash: %s", signal_name(WTERMSIG(status)));
	else
		snprintf(r->title, sizeof(r->title), "abnormal exit: status %d",
			 WEXITSTATUS(status));
	return r->outcome;
}

void sfz_result_free(struct sfz_result *r)
{
	free(r->log);
	r->log = NULL;
	r->loglen = 0;
}

bool sfz_same_outcome(const struct sfz_result *r, const char *title)
{
	if (!title || !*title)
		return r->outcome == SFZ_RUN_CLEAN;
	return r->outcome == SFZ_RUN_FINDING && !strcmp(r->title, title);
}
