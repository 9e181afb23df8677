/*
 * sfprog: the program format's command-line tool.
 *
 *   sfprog encode FILE.txt [-o OUT]   text form -> bytes (stdout or OUT);
 *                                     encode and decode are slabfuzz's
 *   sfprog decode FILE                bytes -> text form
 *   sfprog corpus [--check] SRC OUT   SRC/<target>/NAME.txt -> OUT/<target>/<sha1>,
 *                                     and OUT/<target>.dict
 *   sfprog dict TARGET                the target's libFuzzer dictionary
 *   sfprog upgrade [--target T] IN OUT  format 1 -> format 2 (T: from IN's folder)
 *   sfprog check [FILE...]            round-trip self-test (random, or files)
 *
 * Exit status: 0 ok, 1 a check failed, 2 bad usage, 3 I/O error, 4 parse
 * error. Output files are written to a temporary name and renamed, so an
 * error never leaves a half-written file behind.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "common.h"
#include "program.h"
#include "run.h"
#include "sha1.h"
#include "upgrade.h"

#define EXIT_CHECK	1
#define EXIT_USAGE	2
#define EXIT_IO		3
#define EXIT_PARSE	4

static struct sf_program prog_a, prog_b, prog_c;

static char *dict_mem(const struct sf_profile *prof, size_t *len);

static void usage(void)
{
	fprintf(stderr,
		"usage: sfprog encode FILE.txt [-o OUT]\n"
		"       sfprog decode FILE\n"
		"       sfprog corpus [--check] SRC_DIR OUT_DIR\n"
		"       sfprog dict TARGET\n"
		"       sfprog upgrade [--target TARGET] IN OUT\n"
		"       sfprog check [FILE...]\n");
	exit(EXIT_USAGE);
}

static void die_io(const char *what)
{
	fprintf(stderr, "sfprog: %s: %s\n", what, strerror(errno));
	exit(EXIT_IO);
}

/* The shared helpers of slabfuzz (common.h), under sfprog's names. */
static char *read_all(const char *path, size_t *len)
{
	return (char *)sfz_read_or_die(path, SFZ_MAX_INPUT, len);
}

#define parse_text_file(path, p)	sfz_parse_text_or_die(path, p)
#define encode_alloc(p, len)		sfz_encode(p, len)
#define write_atomic(path, d, len)	sfz_write_or_die(path, d, len)
#define print_mem(p)			sfz_print(p)

/* encode and decode are slabfuzz's (encode.c, decode.c) */
#define cmd_encode	sfz_cmd_encode
#define cmd_decode	sfz_cmd_decode

/* dir/name into buf; false if it does not fit */
static bool join_path(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n >= 0 && (size_t)n < len;
}

static void join_or_die(char *buf, size_t len, const char *dir, const char *name)
{
	if (!join_path(buf, len, dir, name)) {
		fprintf(stderr, "sfprog: %s/%s: path too long\n", dir, name);
		exit(EXIT_IO);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted entries of a directory (no hidden ones); dirs_only or *.txt files. */
static char **list_dir(const char *dir, bool dirs_only, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t cnt = 0;

	if (!d)
		die_io(dir);
	while ((e = readdir(d))) {
		char path[4096];
		struct stat st;
		size_t l = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		join_or_die(path, sizeof(path), dir, e->d_name);
		if (stat(path, &st))
			die_io(path);
		if (dirs_only ? !S_ISDIR(st.st_mode)
			      : (!S_ISREG(st.st_mode) || l < 5 || strcmp(e->d_name + l - 4, ".txt")))
			continue;
		v = realloc(v, (cnt + 1) * sizeof(*v));
		if (!v || !(v[cnt] = strdup(e->d_name)))
			die_io(dir);
		cnt++;
	}
	closedir(d);
	qsort(v, cnt, sizeof(*v), cmp_str);
	*n = cnt;
	return v;
}

static bool same_content(const char *path, const uint8_t *data, size_t len)
{
	FILE *f = fopen(path, "rb");
	bool same = true;
	size_t i = 0;
	int c;

	if (!f)
		return false;
	while ((c = fgetc(f)) != EOF)
		if (i >= len || data[i++] != (uint8_t)c) {
			same = false;
			break;
		}
	fclose(f);
	return same && i == len;
}

/*
 * Every SRC/<target>/NAME.txt becomes OUT/<target>/<sha1 of its bytes>. Parse
 * errors are reported before anything is written.
 */
static int cmd_corpus(int argc, char **argv)
{
	bool check = false;
	const char *src = NULL, *out = NULL;
	size_t ntargets, missing = 0;
	char **targets;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--check"))
			check = true;
		else if (argv[i][0] == '-')
			usage();
		else if (!src)
			src = argv[i];
		else if (!out)
			out = argv[i];
		else
			usage();
	}
	if (!src || !out)
		usage();
	targets = list_dir(src, true, &ntargets);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t t = 0; t < ntargets; t++) {
			char dir[4096], odir[4096];
			size_t nfiles, written = 0;
			char **files;

			join_or_die(dir, sizeof(dir), src, targets[t]);
			join_or_die(odir, sizeof(odir), out, targets[t]);
			files = list_dir(dir, false, &nfiles);
			if (pass == 1 && !check && mkdir(odir, 0777) && errno != EEXIST)
				die_io(odir);
			for (size_t f = 0; f < nfiles; f++) {
				char path[8192], opath[8192], hex[41];
				uint8_t *buf;
				size_t len;

				join_or_die(path, sizeof(path), dir, files[f]);
				parse_text_file(path, &prog_a);	/* pass 0: all parse */
				if (pass == 0) {
					free(files[f]);
					continue;
				}
				buf = encode_alloc(&prog_a, &len);
				sf_sha1_hex(buf, len, hex);
				join_or_die(opath, sizeof(opath), odir, hex);
				if (!same_content(opath, buf, len)) {
					if (check) {
						fprintf(stderr, "sfprog: %s: %s is missing or stale "
							"(run: sfprog corpus %s %s)\n",
							path, opath, src, out);
						missing++;
					} else {
						write_atomic(opath, buf, len);
						written++;
					}
				}
				free(buf);
				free(files[f]);
			}
			if (pass == 1 && sf_profile_by_name(targets[t])) {
				char dpath[4096], name[512];
				size_t dlen;
				char *dict = dict_mem(sf_profile_by_name(targets[t]), &dlen);

				snprintf(name, sizeof(name), "%s.dict", targets[t]);
				join_or_die(dpath, sizeof(dpath), out, name);
				if (!same_content(dpath, (const uint8_t *)dict, dlen)) {
					if (check) {
						fprintf(stderr, "sfprog: %s is missing or stale "
							"(run: sfprog corpus %s %s)\n", dpath, src, out);
						missing++;
					} else {
						write_atomic(dpath, dict, dlen);
					}
				}
				free(dict);
			}
			if (pass == 1 && !check)
				printf("corpus: %s: %zu programs, %zu written\n",
				       targets[t], nfiles, written);
			free(files);
		}
	}
	for (size_t t = 0; t < ntargets; t++)
		free(targets[t]);
	free(targets);
	if (check && !missing)
		printf("corpus: up to date\n");
	return missing ? EXIT_CHECK : 0;
}

/* ------------------------------------------------------------------ */
/* Dictionaries: whole canonical ops                                   */
/* ------------------------------------------------------------------ */

/* Argument values the tokens use: the first is every token's default. */
static const uint64_t dict_sizes[] = {
	64, 0, 8, 96, 192, 4096, 8192, 8193, 1u << 22, (1u << 22) + 1, UINT64_MAX,
};
static const uint64_t dict_orders[] = { 0, 1, 3, 10, 11 };
static const uint64_t dict_gfps[] = { 0, 1, 5, 6, 24 };	/* sf_gfp_table */

static uint64_t dict_default(enum sf_arg_kind kind)
{
	switch (kind) {
	case SF_ARG_SIZE:	return dict_sizes[0];
	case SF_ARG_SLOT:
	case SF_ARG_CACHE:	return 0;	/* the op before: distance 1 */
	case SF_ARG_COUNT:	return 4;
	case SF_ARG_CPU:	return 1;
	default:		return 0;
	}
}

/* One token: the op's bytes at op index 1 (so a handle of 0 is "the op
 * before"), as a dictionary line. */
static void dict_token(FILE *out, const struct sf_op *op, unsigned int n)
{
	uint8_t buf[SF_PREFIX_LEN + 1 + SF_MAX_OP_LEN];
	size_t len;

	sf_config_default(&prog_b.cfg);
	prog_b.nops = 2;
	memset(&prog_b.ops[0], 0, sizeof(prog_b.ops[0]));
	prog_b.ops[0].code = SF_OP_VALIDATE;
	prog_b.ops[1] = *op;
	len = sf_encode(&prog_b, buf, sizeof(buf));
	fprintf(out, "%s_%u=\"", sf_ops[op->code].name, n);
	for (size_t i = SF_PREFIX_LEN + 1; i < len; i++)
		fprintf(out, "\\x%02x", buf[i]);
	fprintf(out, "\"\n");
}

/* Every op the target runs, with default arguments, then with its first
 * size, order or GFP argument over a few boundary values and its handle
 * as "@last". */
static void write_dict(const struct sf_profile *prof, FILE *out)
{
	fprintf(out, "# %s: whole canonical ops (sfprog dict %s; format %d)\n",
		prof->name, prof->name, SF_FORMAT_VERSION);
	for (unsigned int code = 0; code < SF_NR_OPS; code++) {
		const struct sf_op_desc *d = &sf_ops[code];
		struct sf_op op = { .code = (uint8_t)code };
		unsigned int n = 0;
		bool varied[SF_NR_ARG_KINDS] = { false };

		if (!(prof->groups & (1u << d->group)))
			continue;
		for (unsigned int a = 0; a < d->nargs; a++)
			op.arg[a] = dict_default((enum sf_arg_kind)d->arg[a]);
		dict_token(out, &op, n++);
		for (unsigned int a = 0; a < d->nargs; a++) {
			enum sf_arg_kind k = (enum sf_arg_kind)d->arg[a];
			const uint64_t *v = NULL;
			size_t nv = 0;
			struct sf_op var = op;

			if (varied[k])
				continue;
			varied[k] = true;
			if (k == SF_ARG_SIZE)
				v = dict_sizes, nv = sizeof(dict_sizes) / sizeof(dict_sizes[0]);
			else if (k == SF_ARG_ORDER)
				v = dict_orders, nv = sizeof(dict_orders) / sizeof(dict_orders[0]);
			else if (k == SF_ARG_GFP)
				v = dict_gfps, nv = sizeof(dict_gfps) / sizeof(dict_gfps[0]);
			else if (k == SF_ARG_SLOT || k == SF_ARG_CACHE) {
				var.arg[a] = SF_REF_LAST;
				dict_token(out, &var, n++);
			}
			for (size_t i = 1; i < nv; i++) {
				var.arg[a] = v[i];
				dict_token(out, &var, n++);
			}
		}
	}
}

static const struct sf_profile *profile_or_die(const char *name)
{
	const struct sf_profile *p = sf_profile_by_name(name);

	if (!p) {
		fprintf(stderr, "sfprog: unknown target '%s'\n", name);
		exit(EXIT_USAGE);
	}
	return p;
}

static int cmd_dict(int argc, char **argv)
{
	if (argc != 1)
		usage();
	write_dict(profile_or_die(argv[0]), stdout);
	if (fflush(stdout))
		die_io("stdout");
	return 0;
}

static char *dict_mem(const struct sf_profile *prof, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		die_io("open_memstream");
	write_dict(prof, f);
	fclose(f);
	return buf;
}

/* ------------------------------------------------------------------ */
/* upgrade                                                             */
/* ------------------------------------------------------------------ */

static int cmd_upgrade(int argc, char **argv)
{
	const char *target = NULL, *in = NULL, *out = NULL;
	const struct sf_profile *prof;
	struct sf_upgrade_stats st;
	uint8_t *buf;
	char *data;
	size_t len;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--target") && i + 1 < argc)
			target = argv[++i];
		else if (argv[i][0] == '-')
			usage();
		else if (!in)
			in = argv[i];
		else if (!out)
			out = argv[i];
		else
			usage();
	}
	if (!in || !out)
		usage();
	if (!target) {
		char why[4200];

		prof = sfz_target_of(in, NULL, why, sizeof(why));
		if (!prof) {
			fprintf(stderr, "sfprog: %s\n", why);
			return EXIT_USAGE;
		}
		target = prof->name;
	}
	prof = profile_or_die(target);
	data = read_all(in, &len);
	if (sf_upgrade(prof, (const uint8_t *)data, len, &prog_a, &st))
		die_io("upgrade: fork");
	buf = encode_alloc(&prog_a, &len);
	write_atomic(out, buf, len);
	fprintf(stderr, "upgrade: %s (%s): %u ops, %u dropped, %u sizes rounded, "
		"%u handles inexact%s\n", in, prof->name, st.ops, st.dropped, st.rounded,
		st.inexact, st.finding_at >= 0 ? ", stopped by a finding" : "");
	free(buf);
	free(data);
	return 0;
}

/*
 * bytes -> program -> bytes -> program is a fixed point, and
 * program -> text -> program -> text is the identity.
 */
static bool roundtrip(const uint8_t *data, size_t len, const char *what)
{
	uint8_t *enc;
	size_t elen;
	char *t1, *t2, err[256];
	bool ok = true;

	sf_decode(data, len, &prog_a);
	enc = encode_alloc(&prog_a, &elen);
	sf_decode(enc, elen, &prog_b);
	if (!sf_program_equal(&prog_a, &prog_b)) {
		fprintf(stderr, "sfprog: %s: decode(encode(p)) != p\n", what);
		ok = false;
	}
	t1 = print_mem(&prog_a);
	if (sf_parse(t1, &prog_c, err, sizeof(err))) {
		fprintf(stderr, "sfprog: %s: printed text does not parse: %s\n", what, err);
		ok = false;
	} else {
		t2 = print_mem(&prog_c);
		if (strcmp(t1, t2) || !sf_program_equal(&prog_a, &prog_c)) {
			fprintf(stderr, "sfprog: %s: text round trip differs\n", what);
			ok = false;
		}
		free(t2);
	}
	free(t1);
	free(enc);
	return ok;
}

static int cmd_check(int argc, char **argv)
{
	unsigned long failures = 0, n = 0;

	if (argc) {
		for (int i = 0; i < argc; i++) {
			size_t len, l = strlen(argv[i]);
			uint8_t *enc;

			if (l > 4 && !strcmp(argv[i] + l - 4, ".txt")) {
				parse_text_file(argv[i], &prog_a);
				enc = encode_alloc(&prog_a, &len);
				failures += !roundtrip(enc, len, argv[i]);
				free(enc);
			} else {
				char *data = read_all(argv[i], &len);

				failures += !roundtrip((uint8_t *)data, len, argv[i]);
				free(data);
			}
			n++;
		}
	} else {
		uint64_t x = 0x243f6a8885a308d3ull;
		uint8_t buf[600];

		for (; n < 5000; n++) {
			size_t len;
			char what[64];

			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			len = (size_t)(x % sizeof(buf));
			for (size_t i = 0; i < len; i++) {
				x ^= x << 13, x ^= x >> 7, x ^= x << 17;
				buf[i] = (uint8_t)x;
			}
			snprintf(what, sizeof(what), "random input %lu", n);
			failures += !roundtrip(buf, len, what);
		}
	}
	printf("check: %lu inputs, %lu failures\n", n, failures);
	return failures ? EXIT_CHECK : 0;
}

int main(int argc, char **argv)
{
	sfz_cmd = "sfprog";
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "encode"))
		return cmd_encode(argc - 2, argv + 2);
	if (!strcmp(argv[1], "decode"))
		return cmd_decode(argc - 2, argv + 2);
	if (!strcmp(argv[1], "corpus"))
		return cmd_corpus(argc - 2, argv + 2);
	if (!strcmp(argv[1], "dict"))
		return cmd_dict(argc - 2, argv + 2);
	if (!strcmp(argv[1], "check"))
		return cmd_check(argc - 2, argv + 2);
	if (!strcmp(argv[1], "upgrade"))
		return cmd_upgrade(argc - 2, argv + 2);
	usage();
}
