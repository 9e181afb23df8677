/* Test runner and capture support; see ktest.h. */
#include "ktest.h"

#include <errno.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <unistd.h>

#define KTEST_MAX 512
static struct { const char *name; ktest_fn fn; } tests[KTEST_MAX];
static int nr_tests;
int ktest_failures;
static int current_failed;

struct ktest_report ktest_reports[KTEST_MAX_REPORTS];
int ktest_nr_reports;
char *ktest_log;
static size_t log_len;

void ktest_register(const char *name, ktest_fn fn)
{
	if (nr_tests == KTEST_MAX) {
		fprintf(stderr, "ktest: too many tests\n");
		abort();
	}
	tests[nr_tests].name = name;
	tests[nr_tests].fn = fn;
	nr_tests++;
}

void ktest_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	ktest_failures++;
	current_failed = 1;
}

static void capture_report(const struct kalloc_report *r, void *arg)
{
	(void)arg;
	if (ktest_nr_reports >= KTEST_MAX_REPORTS)
		return;
	struct ktest_report *k = &ktest_reports[ktest_nr_reports++];
	k->bug = r->bug;
	snprintf(k->title, sizeof(k->title), "%s", r->title ? r->title : "");
	snprintf(k->cache, sizeof(k->cache), "%s", r->cache ? r->cache : "");
	k->addr = r->addr;
	k->text = strdup(r->text ? r->text : "");
}

static void capture_printk(const char *line, void *arg)
{
	(void)arg;
	size_t n = strlen(line);
	char *p = realloc(ktest_log, log_len + n + 1);
	if (!p)
		abort();
	ktest_log = p;
	memcpy(ktest_log + log_len, line, n + 1);
	log_len += n;
}

void ktest_capture_clear(void)
{
	for (int i = 0; i < ktest_nr_reports; i++)
		free(ktest_reports[i].text);
	ktest_nr_reports = 0;
	free(ktest_log);
	ktest_log = strdup("");
	log_len = 0;
}

void ktest_capture(void)
{
	ktest_capture_clear();
	kalloc_set_report_handler(capture_report, NULL);
	kalloc_set_printk(capture_printk, NULL);
}

void ktest_capture_stop(void)
{
	kalloc_set_report_handler(NULL, NULL);
	kalloc_set_printk(NULL, NULL);
}

void ktest_init(struct kalloc_config cfg)
{
	cfg.continue_on_report = true;
	int err = kalloc_init(&cfg);
	if (err) {
		fprintf(stderr, "ktest: kalloc_init failed: %d\n", err);
		abort();
	}
}

void ktest_init_default(void)
{
	ktest_init(kalloc_config_defaults());
}

void ktest_init_nokasan(void)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.kasan_off = true;
	ktest_init(cfg);
}

int ktest_run_child(void (*fn)(void *arg), void *arg, char *out, size_t cap)
{
	int fds[2], status = -1;
	size_t len = 0;
	pid_t pid;

	if (cap)
		out[0] = '\0';
	if (pipe(fds))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDERR_FILENO);
		close(fds[1]);
		ktest_capture_stop();
		/* the arena is a shared mapping: the child builds its own,
		 * and must not take the parent's parked memory either */
		kalloc_fini();
		kalloc_release_memory();
		fn(arg);
		_exit(0);
	}
	close(fds[1]);
	for (;;) {
		char sink[4096];
		bool room = len + 1 < cap;
		ssize_t n = room ? read(fds[0], out + len, cap - 1 - len) :
				   read(fds[0], sink, sizeof(sink));	/* drain */

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (room)
			len += (size_t)n;
	}
	if (cap)
		out[len] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

int main(int argc, char **argv)
{
	int ran = 0, failed = 0;

	for (int i = 0; i < nr_tests; i++) {
		if (argc > 1 && !strstr(tests[i].name, argv[1]))
			continue;
		current_failed = 0;
		ktest_capture();
		tests[i].fn();
		ktest_capture_clear();
		ktest_capture_stop();
		if (kalloc_get_config())
			kalloc_fini();
		printf("%s %s\n", current_failed ? "FAIL" : "ok  ", tests[i].name);
		fflush(stdout);
		ran++;
		failed += current_failed;
	}
	free(ktest_log);
	ktest_log = NULL;
	printf("%d passed, %d failed\n", ran - failed, failed);
	if (ran == 0) {
		fprintf(stderr, "ktest: no test matched\n");
		return 1;
	}
	return failed ? 1 : 0;
}
