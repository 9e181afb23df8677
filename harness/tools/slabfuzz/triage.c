/*
 * slabfuzz triage [--target T] [--json FILE] [--accept] [--crashes DIR]
 *                 [--out DIR] [--detected] [--timeout S] DIR...
 *
 * From an engine's crash files to named bugs: reads libFuzzer's crash-*,
 * leak-*, timeout-* and oom-* files and AFL++'s crashes/id:* (searching
 * DIR and its folders), replays each in a fresh machine and buckets them
 * by target and identity (title.c: a finding's own title, or a sanitizer's
 * kind and first frames, with numbers scrubbed, so that one bug caught in
 * two kmalloc caches is one bucket). For each bucket it minimizes the
 * smallest input (minimize.c) into OUT/<target>/<slug>/<sha1> (OUT:
 * --out, else DIR/triage) and replays that three times: a title that
 * changes makes the bucket flaky. A bucket is known when crashes/ holds a
 * folder of the same identity. It prints one row per bucket (title, target, count, known|new,
 * flaky) and, with --json, writes
 *   {"buckets": [{"title", "target", "count", "known", "flaky",
 *                 "reproducer", "ops"}]}.
 * --accept adds each new bucket that is not flaky to crashes/ (bucket.c)
 * with status "fixed": from then on the input must replay clean, which
 * ctest checks once the bug is fixed.
 *
 * --detected is for hand-written misuse programs of fuzz_misuse: every
 * file of DIR is one, bucketed by the report the oracle expected
 * ("detected: ..."), and accepted with status "detected".
 *
 * Exit status: 1 if there is a new bucket, 0 if every bucket is known (or
 * nothing reproduced), 2 usage, 3 a missing DIR or an unwritable output,
 * 4 no crash file in DIR.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bucket.h"
#include "commands.h"
#include "common.h"
#include "minimize.h"
#include "runner.h"
#include "sha1.h"
#include "title.h"

#define USAGE	"[--target T] [--json FILE] [--accept] [--crashes DIR] [--out DIR] " \
		"[--detected] [--timeout S] DIR..."
#define MAX_DEPTH	4
#define REPLAYS		3

struct bucket {
	const struct sf_profile *prof;
	char title[SFZ_TITLE_LEN];	/* its smallest input's title */
	char key[SFZ_KEY_LEN];		/* sfz_bucket_key(title), or the title */
	unsigned int count;
	char input[PATH_MAX];		/* the smallest of its inputs */
	size_t input_len;
	char reproducer[PATH_MAX];	/* the minimized input */
	unsigned int ops;
	bool known, flaky, accepted;
};

static struct {
	const char *target;
	bool detected;			/* --detected */
	unsigned int timeout;
	struct bucket *b;
	size_t nb, capb;
	unsigned int files, unreadable, clean;
} tr;

/* libFuzzer's artifact names, or an AFL++ crash in a crashes/ folder. */
static bool is_crash_file(const char *dir, const char *name)
{
	static const char *const prefixes[] = { "crash-", "leak-", "timeout-", "oom-" };
	const char *base = strrchr(dir, '/');

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return true;
	base = base ? base + 1 : dir;
	return !strncmp(name, "id:", 3) && !strcmp(base, "crashes");
}

static void collect(const char *dir, int depth, struct sfz_list *out)
{
	struct sfz_list files = { 0 }, dirs = { 0 };
	char path[PATH_MAX];

	if (sfz_list_dir(dir, false, &files) || sfz_list_dir(dir, true, &dirs))
		return;
	for (size_t i = 0; i < files.n; i++)
		if ((tr.detected || is_crash_file(dir, files.v[i])) &&
		    sfz_join(path, sizeof(path), dir, files.v[i]))
			sfz_list_add(out, path);
	if (depth < MAX_DEPTH)
		for (size_t i = 0; i < dirs.n; i++)
			if (strcmp(dirs.v[i], "triage") &&
			    sfz_join(path, sizeof(path), dir, dirs.v[i]))
				collect(path, depth + 1, out);
	sfz_list_free(&files);
	sfz_list_free(&dirs);
}

/* Found crashes are bucketed by identity (sfz_bucket_key: one bug in
 * kmalloc-64 and kmalloc-2k is one bucket); hand-written misuse programs
 * (--detected) by their exact title, one seed per report. */
static struct bucket *bucket_for(const struct sf_profile *prof, const char *title)
{
	char key[SFZ_KEY_LEN];

	if (tr.detected)
		snprintf(key, sizeof(key), "%s", title);
	else
		sfz_bucket_key(title, key, sizeof(key));
	for (size_t i = 0; i < tr.nb; i++)
		if (tr.b[i].prof == prof && !strcmp(tr.b[i].key, key))
			return &tr.b[i];
	if (tr.nb == tr.capb) {
		size_t cap = tr.capb ? 2 * tr.capb : 16;
		struct bucket *n = realloc(tr.b, cap * sizeof(*n));

		if (!n)
			sfz_die(SFZ_IO, "out of memory");
		tr.b = n;
		tr.capb = cap;
	}
	memset(&tr.b[tr.nb], 0, sizeof(tr.b[0]));
	tr.b[tr.nb].prof = prof;
	snprintf(tr.b[tr.nb].key, sizeof(tr.b[0].key), "%s", key);
	return &tr.b[tr.nb++];
}

/* Replay one crash file into its bucket. */
static void triage_file(const char *path)
{
	char why[PATH_MAX + 128];
	const struct sf_profile *prof = sfz_target_of(path, tr.target, why, sizeof(why));
	struct sfz_run_opts opts = { .timeout = tr.timeout };
	struct sfz_result r;
	struct bucket *b;
	const char *title;
	uint8_t *data;
	size_t len;

	tr.files++;
	if (!prof) {
		sfz_err("%s", why);
		tr.unreadable++;
		return;
	}
	if (sfz_read(path, SFZ_MAX_INPUT, &data, &len, why, sizeof(why))) {
		sfz_err("%s", why);
		tr.unreadable++;
		return;
	}
	sfz_run(prof, data, len, &opts, &r);
	free(data);
	title = tr.detected ? (r.outcome == SFZ_RUN_CLEAN && r.detected[0] ? r.detected : NULL)
			    : (r.outcome == SFZ_RUN_FINDING ? r.title : NULL);
	if (!title) {
		printf("%s: %s\n", path, r.outcome == SFZ_RUN_FINDING ? r.title :
		       tr.detected ? "clean, nothing detected" : "clean: does not reproduce");
		tr.clean++;
		sfz_result_free(&r);
		return;
	}
	b = bucket_for(prof, title);
	b->count++;
	if (!b->input[0] || len < b->input_len) {
		snprintf(b->input, sizeof(b->input), "%s", path);
		snprintf(b->title, sizeof(b->title), "%s", title);
		b->input_len = len;
	}
	sfz_result_free(&r);
}

/* The outcome a bucket's inputs must keep: a finding's title, or (for
 * --detected) a clean run whose expected report has this title. */
static bool same(const struct sfz_result *r, const struct bucket *b)
{
	if (tr.detected)
		return r->outcome == SFZ_RUN_CLEAN && !strcmp(r->detected, b->title);
	return sfz_same_outcome(r, b->title);
}

/* Minimize the bucket's smallest input into out/<target>/<slug>/<sha1>,
 * then three replays. */
static void settle(struct bucket *b, const char *outdir, char **report)
{
	static struct sf_program prog;
	struct sfz_run_opts opts = { .timeout = tr.timeout };
	struct sfz_min_stats st;
	char dir[PATH_MAX], hex[41];
	uint8_t *data, *min = NULL;
	size_t len, minlen;

	data = sfz_read_or_die(b->input, SFZ_MAX_INPUT, &len);
	/* a detected misuse program is hand-written: kept as it is */
	if (tr.detected || sfz_minimize(b->prof, data, len, b->title, false, tr.timeout,
					0, &min, &minlen, &st)) {
		min = data;
		minlen = len;
		data = NULL;
	}
	free(data);
	sfz_bucket_dir(outdir, b->prof->name, b->title, dir, sizeof(dir));
	sf_sha1_hex(min, minlen, hex);
	if (sfz_mkdirs(dir) || !sfz_join(b->reproducer, sizeof(b->reproducer), dir, hex))
		sfz_die(SFZ_IO, "%s: %s", dir, strerror(errno));
	sfz_write_or_die(b->reproducer, min, minlen);
	sf_decode(min, minlen, &prog);
	b->ops = prog.nops;
	*report = NULL;
	for (int i = 0; i < REPLAYS; i++) {
		struct sfz_result r;

		sfz_run(b->prof, min, minlen, &opts, &r);
		if (!same(&r, b))
			b->flaky = true;
		if (!*report && same(&r, b)) {
			char **text = tr.detected ? &r.detected_report : &r.log;

			*report = *text;
			*text = NULL;
		}
		sfz_result_free(&r);
	}
	if (!*report)
		*report = strdup("");
	free(min);
}

static void write_json(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		sfz_die(SFZ_IO, "open_memstream: %s", strerror(errno));
	fprintf(f, "{\"buckets\": [");
	for (size_t i = 0; i < tr.nb; i++) {
		const struct bucket *b = &tr.b[i];

		fprintf(f, "%s\n  {\"title\": ", i ? "," : "");
		sfz_json_string(f, b->title);
		fprintf(f, ", \"target\": ");
		sfz_json_string(f, b->prof->name);
		fprintf(f, ", \"count\": %u, \"known\": %s, \"flaky\": %s, \"reproducer\": ",
			b->count, b->known ? "true" : "false", b->flaky ? "true" : "false");
		sfz_json_string(f, b->reproducer);
		fprintf(f, ", \"ops\": %u}", b->ops);
	}
	fprintf(f, "%s]}\n", tr.nb ? "\n" : "");
	fclose(f);
	sfz_write_or_die(path, buf, len);
	free(buf);
}

int sfz_cmd_triage(int argc, char **argv)
{
	const char *json = NULL, *crashes_opt = NULL, *outdir = NULL;
	struct sfz_list dirs = { 0 }, files = { 0 };
	bool accept = false, any_new = false;
	char defout[PATH_MAX];
	const char *crashes;

	tr.timeout = SFZ_DEFAULT_TIMEOUT;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--target") && i + 1 < argc)
			tr.target = argv[++i];
		else if (!strcmp(a, "--json") && i + 1 < argc)
			json = argv[++i];
		else if (!strcmp(a, "--crashes") && i + 1 < argc)
			crashes_opt = argv[++i];
		else if (!strcmp(a, "--out") && i + 1 < argc)
			outdir = argv[++i];
		else if (!strcmp(a, "--accept"))
			accept = true;
		else if (!strcmp(a, "--detected"))
			tr.detected = true;
		else if (!strcmp(a, "--timeout"))
			tr.timeout = (unsigned int)sfz_count_arg(a, i + 1 < argc ? argv[++i] : NULL,
								 1, 3600, USAGE);
		else if (a[0] == '-')
			sfz_usage(USAGE);
		else
			sfz_list_add(&dirs, a);
	}
	if (!dirs.n)
		sfz_usage(USAGE);
	if (tr.target && !sf_profile_by_name(tr.target))
		sfz_die(SFZ_USAGE, "unknown target '%s' (harness/targets.txt lists them)",
			tr.target);
	crashes = sfz_crashes_dir(crashes_opt);
	for (size_t i = 0; i < dirs.n; i++) {
		struct stat st;
		size_t before = files.n;

		if (stat(dirs.v[i], &st) || !S_ISDIR(st.st_mode))
			sfz_die(SFZ_IO, "%s: %s", dirs.v[i],
				errno && !S_ISDIR(st.st_mode) && stat(dirs.v[i], &st) ?
				strerror(errno) : "not a directory");
		collect(dirs.v[i], 0, &files);
		if (files.n == before)
			sfz_err("%s: no crash files (crash-*, leak-*, timeout-*, oom-*, "
				"crashes/id:*)", dirs.v[i]);
	}
	if (!files.n)
		sfz_die(SFZ_MALFORMED, "nothing to triage");
	if (!outdir) {
		if (!sfz_join(defout, sizeof(defout), dirs.v[0], "triage"))
			sfz_die(SFZ_IO, "%s: path too long", dirs.v[0]);
		outdir = defout;
	}
	for (size_t i = 0; i < files.n; i++)
		triage_file(files.v[i]);
	printf("%-60s %-13s %5s %-5s %-5s %s\n", "title", "target", "count", "known",
	       "flaky", "reproducer (ops)");
	for (size_t i = 0; i < tr.nb; i++) {
		struct bucket *b = &tr.b[i];
		char *report, dir[PATH_MAX], why[PATH_MAX + 128];
		uint8_t *data;
		size_t len;

		settle(b, outdir, &report);
		b->known = sfz_bucket_known(crashes, b->prof->name, b->title, !tr.detected);
		any_new |= !b->known;
		if (accept && !b->known && !b->flaky) {
			data = sfz_read_or_die(b->reproducer, SFZ_MAX_INPUT, &len);
			if (sfz_bucket_add(crashes, b->prof->name, b->title,
					   tr.detected ? SFZ_STATUS_DETECTED : SFZ_STATUS_FIXED,
					   data, len, report, dir, sizeof(dir), why, sizeof(why)))
				sfz_die(SFZ_IO, "%s", why);
			b->accepted = true;
			free(data);
		}
		printf("%-60s %-13s %5u %-5s %-5s %s (%u)%s%s\n", b->title, b->prof->name,
		       b->count, b->known ? "known" : "new", b->flaky ? "flaky" : "no",
		       b->reproducer, b->ops, b->accepted ? " -> " : "",
		       b->accepted ? dir : "");
		fflush(stdout);
		free(report);
	}
	printf("%u files: %zu buckets, %u clean, %u unreadable\n", tr.files, tr.nb,
	       tr.clean, tr.unreadable);
	if (json)
		write_json(json);
	sfz_list_free(&dirs);
	sfz_list_free(&files);
	free(tr.b);
	return any_new ? SFZ_FINDING : SFZ_CLEAN;
}
