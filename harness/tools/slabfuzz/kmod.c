/*
 * slabfuzz kmod: run kernel-style module code in userspace, on kalloc.
 *
 *   slabfuzz kmod FILE.c... [--slabinfo] [--buddyinfo] [--fail-nth N]
 *                 [--fail-each] [-- boot options and module parameters]
 *
 * Compiles the files against the kernel-compat headers (alloc/compat/linux)
 * and links them with the module runner (alloc/compat/kmod, library
 * kmodrt) and kalloc, with ASan + UBSan when the compiler has them (always
 * when the libraries themselves carry them), into a scratch directory;
 * then runs the result, which boots a machine from the boot options, loads
 * the module as insmod would and unloads it as rmmod would (kmod/main.c).
 * The libraries and headers are found relative to this binary, where the
 * build tree put them (KMOD_REL_LIBDIR, KMOD_REL_SRCDIR). The compiler is
 * $CC, else the one the project was built with.
 *
 * Exit status (the issue's, not the other subcommands'): 0 clean, 1 an
 * allocator report (or a WARN, BUG, sanitizer report or crash), 2 usage or
 * a file that is missing or does not compile, 3 a leak. Nothing is cached:
 * every run compiles afresh, so no result can go stale.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "common.h"

#define KMOD_USAGE "FILE.c... [--slabinfo] [--buddyinfo] [--fail-nth N] [--fail-each] [-- boot options]"

enum { KMOD_CLEAN = 0, KMOD_REPORT = 1, KMOD_USAGE_ERR = 2, KMOD_LEAK = 3 };

#define MAX_ARGS 512

struct argv_buf {
	char *v[MAX_ARGS];
	int n;
};

static void add(struct argv_buf *a, const char *s)
{
	if (a->n < MAX_ARGS - 1)
		a->v[a->n++] = (char *)s;
	a->v[a->n] = NULL;
}

/* snprintf for paths and flags; a result that does not fit is refused. */
__attribute__((format(printf, 3, 4)))
static void fmt(char *buf, size_t len, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnprintf(buf, len, f, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len)
		sfz_die(KMOD_USAGE_ERR, "path too long: %.80s...", buf);
}

/* This binary's folder; the build tree's layout is fixed relative to it. */
static void self_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n <= 0) {
		snprintf(buf, len, ".");
		return;
	}
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
}

/* Run argv with stderr to errlog (NULL: inherited); the exit status, or
 * 128 + signal. */
static int run(char **argv, const char *errlog)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (errlog && !freopen(errlog, "w", stderr))
			_exit(127);
		execvp(argv[0], argv);
		fprintf(stderr, "%s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

/* Does the compiler link an ASan + UBSan program? */
static bool have_sanitizers(const char *cc, const char *dir)
{
	char src[PATH_MAX], out[PATH_MAX], log[PATH_MAX];
	struct argv_buf a = { .n = 0 };
	FILE *f;
	int rc;

	fmt(src, sizeof(src), "%s/probe.c", dir);
	fmt(out, sizeof(out), "%s/probe", dir);
	fmt(log, sizeof(log), "%s/probe.log", dir);
	f = fopen(src, "w");
	if (!f)
		return false;
	fputs("int main(void) { return 0; }\n", f);
	fclose(f);
	add(&a, cc);
	add(&a, "-fsanitize=address,undefined");
	add(&a, src);
	add(&a, "-o");
	add(&a, out);
	rc = run(a.v, log);
	unlink(src);
	unlink(out);
	unlink(log);
	return rc == 0;
}

/* The first "error" line of the compiler's output, for the one-line error. */
static void first_error(const char *log, char *buf, size_t len)
{
	FILE *f = fopen(log, "r");
	char line[1024];

	snprintf(buf, len, "see the compiler's output");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "error") || strstr(line, "undefined reference")) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(buf, len, "%s", line);
			break;
		}
	}
	fclose(f);
}

static void print_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[4096];
	size_t n;

	if (!f)
		return;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stderr);
	fclose(f);
}

/* KBUILD_MODNAME: the first file's base name, '-' as '_', no suffix. */
static void modname_of(const char *file, char *buf, size_t len)
{
	const char *base = strrchr(file, '/');
	char *dot;

	snprintf(buf, len, "%s", base ? base + 1 : file);
	dot = strrchr(buf, '.');
	if (dot && dot != buf)
		*dot = '\0';
	for (char *p = buf; *p; p++)
		if (*p == '-' || !(*p == '_' || (*p >= '0' && *p <= '9') ||
				   (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			*p = '_';
}

int sfz_cmd_kmod(int argc, char **argv)
{
	struct argv_buf cc = { .n = 0 }, mod = { .n = 0 };
	char self[PATH_MAX], inc_compat[PATH_MAX], inc_kalloc[PATH_MAX];
	char lib_rt[PATH_MAX], lib_kalloc[PATH_MAX], tmpl[PATH_MAX], bin[PATH_MAX];
	char log[PATH_MAX], name[256], define[300], why[1024];
	const char *compiler = getenv("CC");
	const char *tmp = getenv("TMPDIR");
	int nfiles = 0, i, rc;
	bool sanitize;

	for (i = 0; i < argc && argv[i][0] != '-'; i++) {
		if (access(argv[i], R_OK)) {
			sfz_err("%s: %s", argv[i], strerror(errno));
			return KMOD_USAGE_ERR;
		}
		nfiles++;
	}
	if (!nfiles) {
		sfz_err("no module source given (usage: %s %s)", sfz_cmd, KMOD_USAGE);
		return KMOD_USAGE_ERR;
	}
	modname_of(argv[0], name, sizeof(name));

	self_dir(self, sizeof(self));
	fmt(inc_compat, sizeof(inc_compat), "-I%s/%s/compat", self, KMOD_REL_SRCDIR);
	fmt(inc_kalloc, sizeof(inc_kalloc), "-I%s/%s/include", self, KMOD_REL_SRCDIR);
	fmt(lib_rt, sizeof(lib_rt), "%s/%s/libkmodrt.a", self, KMOD_REL_LIBDIR);
	fmt(lib_kalloc, sizeof(lib_kalloc), "%s/%s/libkalloc.a", self, KMOD_REL_LIBDIR);
	if (access(lib_rt, R_OK) || access(lib_kalloc, R_OK)) {
		sfz_err("the module runner's libraries are not built (%s)", lib_rt);
		return KMOD_USAGE_ERR;
	}
	fmt(tmpl, sizeof(tmpl), "%s/slabfuzz-kmod.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(tmpl)) {
		sfz_err("cannot make a scratch directory: %s", strerror(errno));
		return KMOD_USAGE_ERR;
	}
	fmt(bin, sizeof(bin), "%s/%s", tmpl, name);
	fmt(log, sizeof(log), "%s/cc.log", tmpl);
	if (!compiler || !*compiler)
		compiler = KMOD_CC;
	sanitize = KMOD_LIB_SANITIZED || have_sanitizers(compiler, tmpl);

	add(&cc, compiler);
	add(&cc, "-std=gnu11");
	add(&cc, "-g");
	add(&cc, "-O1");
	add(&cc, "-fno-omit-frame-pointer");
	add(&cc, "-Wall");
	add(&cc, "-Wno-unused-parameter");
	/* as in the kernel's own build: an undeclared function is an error */
	add(&cc, "-Werror=implicit-function-declaration");
	if (sanitize) {
		add(&cc, "-fsanitize=address,undefined");
		add(&cc, "-fno-sanitize-recover=undefined");
	}
	fmt(define, sizeof(define), "-DKBUILD_MODNAME=\"%s\"", name);
	add(&cc, define);
	add(&cc, inc_compat);
	add(&cc, inc_kalloc);
	for (i = 0; i < nfiles; i++)
		add(&cc, argv[i]);
	add(&cc, lib_rt);
	add(&cc, lib_kalloc);
	add(&cc, "-o");
	add(&cc, bin);
	rc = run(cc.v, log);
	if (rc != 0) {
		first_error(log, why, sizeof(why));
		sfz_err("%s does not compile: %s", argv[0], why);
		unlink(log);
		rmdir(tmpl);
		return KMOD_USAGE_ERR;
	}
	print_file(log);	/* the warnings, if any */
	unlink(log);

	add(&mod, bin);
	add(&mod, "--name");
	add(&mod, argv[0]);
	add(&mod, "--modname");
	add(&mod, name);
	for (i = nfiles; i < argc; i++)
		add(&mod, argv[i]);
	rc = run(mod.v, NULL);
	unlink(bin);
	rmdir(tmpl);
	if (rc < 0) {
		sfz_err("cannot run the module: %s", strerror(errno));
		return KMOD_USAGE_ERR;
	}
	if (rc > 128) {
		sfz_err("%s: the module run died of signal %d (%s)", argv[0],
			rc - 128, strsignal(rc - 128));
		return KMOD_REPORT;
	}
	if (rc == KMOD_CLEAN || rc == KMOD_USAGE_ERR || rc == KMOD_LEAK)
		return rc;
	return KMOD_REPORT;	/* 1, or a sanitizer's own exit code */
}
