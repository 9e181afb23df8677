/*
 * sfprog upgrade: format 1 -> format 2.
 *
 * Sizes carry over by value (rounded to the nearest encodable size where
 * format 2 has no exact encoding: sizes above 2^16 off every class, which
 * only raw v1 values can be). Ops past SF_MAX_OPS are dropped. Handles are
 * the hard part: a format-1 handle meant "live object number b mod count"
 * at run time, which only running the program can tell. So the input runs
 * under its target's profile in a child process with format-1 handle
 * resolution and a trace (run.h), and each handle becomes the op that
 * created what was picked: the same program, by construction, except where
 * a bulk allocation's older object was picked (counted as inexact). A
 * finding stops the child; the ops after it keep "@last".
 */
#include "upgrade.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOT_REACHED	0xfffeu

static uint64_t handle_of(uint16_t traced)
{
	return traced >= SF_MAX_OPS ? SF_REF_LAST : traced;
}

int sf_upgrade(const struct sf_profile *prof, const uint8_t *data, size_t len,
	       struct sf_program *out, struct sf_upgrade_stats *st)
{
	static struct sf_program v1;
	struct sf_v1_info info;
	struct sf_v1_trace *tr;
	pid_t pid;
	int status;

	memset(st, 0, sizeof(*st));
	st->finding_at = -1;
	sf_decode_v1(data, len, &v1, &info);
	st->ops = info.ops;
	st->dropped = info.dropped;
	tr = mmap(NULL, sizeof(*tr), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (tr == MAP_FAILED)
		return -1;
	for (unsigned int i = 0; i < SF_MAX_OPS; i++)
		tr->obj[i] = tr->cache[i] = NOT_REACHED;
	tr->inexact = 0;
	pid = fork();
	if (pid < 0) {
		munmap(tr, sizeof(*tr));
		return -1;
	}
	if (pid == 0) {
		/* a finding aborts: keep its report off the terminal */
		int devnull = open("/dev/null", O_WRONLY);

		if (devnull >= 0)
			dup2(devnull, 2);
		sf_set_v1_handles(tr);
		sf_run_program(prof, &v1);
		sf_shutdown();
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			munmap(tr, sizeof(*tr));
			return -1;
		}
	*out = v1;
	for (unsigned int i = 0; i < out->nops; i++) {
		struct sf_op *op = &out->ops[i];
		const struct sf_op_desc *d = &sf_ops[op->code];
		bool as_write = sf_op_is_misuse(op->code) && !sf_profile_runs_misuse(prof);

		for (unsigned int a = 0; a < d->nargs; a++) {
			switch (d->arg[a]) {
			case SF_ARG_SIZE:
				if (!sf_size_encodable(op->arg[a])) {
					op->arg[a] = sf_size_nearest(op->arg[a]);
					st->rounded++;
				}
				break;
			case SF_ARG_SLOT:
				op->arg[a] = handle_of(tr->obj[i]);
				break;
			case SF_ARG_CACHE:
				/* cache_mismatch's second handle, destroy_live's only
				 * one; run as "write", arg 0 picks an object */
				op->arg[a] = as_write && a == 0 ? handle_of(tr->obj[i])
								: handle_of(tr->cache[i]);
				break;
			case SF_ARG_BYTE:
				/* run as "write", a first BYTE is the object's handle
				 * as an absolute op index (255: none) */
				if (as_write && a == 0)
					op->arg[a] = tr->obj[i] < SF_MAX_OPS ? tr->obj[i] : 255;
				break;
			default:
				break;
			}
		}
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		/* the last op that left a trace is where it stopped */
		for (int i = (int)out->nops - 1; i >= 0; i--)
			if (tr->obj[i] != NOT_REACHED || tr->cache[i] != NOT_REACHED) {
				st->finding_at = i;
				break;
			}
		if (st->finding_at < 0)
			st->finding_at = 0;
	}
	st->inexact = tr->inexact;
	munmap(tr, sizeof(*tr));
	return 0;
}
