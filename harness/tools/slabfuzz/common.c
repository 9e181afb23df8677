/*
 * The helpers every slabfuzz subcommand shares (common.h): messages and
 * exit statuses, bounded file reading, atomic writes, directory listings
 * and the target-from-path rule. Nothing here aborts on bad input: each
 * failure is one line on stderr and a status.
 */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *sfz_cmd = "slabfuzz";

static void vmsg(const char *fmt, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	/* one line, whatever a file name or a parser put in it */
	for (char *p = buf; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	fprintf(stderr, "%s: %s\n", sfz_cmd, buf);
}

void sfz_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

void sfz_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	exit(status);
}

void sfz_usage(const char *usage)
{
	fprintf(stderr, "usage: %s %s\n", sfz_cmd, usage);
	exit(SFZ_USAGE);
}

int sfz_read(const char *path, size_t max, uint8_t **data, size_t *len,
	     char *why, size_t whylen)
{
	struct stat st;
	uint8_t *buf;
	size_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return SFZ_IO;
	}
	if (fstat(fd, &st)) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		close(fd);
		return SFZ_IO;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "%s: %s", path,
			 S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
		close(fd);
		return SFZ_IO;
	}
	if ((uint64_t)st.st_size > max) {
		snprintf(why, whylen, "%s: too large (%lld bytes; at most %zu)", path,
			 (long long)st.st_size, max);
		close(fd);
		return SFZ_MALFORMED;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		snprintf(why, whylen, "%s: out of memory", path);
		close(fd);
		return SFZ_IO;
	}
	/* read at most max + 1 bytes: a file that grows meanwhile is still bounded */
	for (;;) {
		ssize_t r = read(fd, buf + n, (size_t)st.st_size + 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(why, whylen, "%s: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return SFZ_IO;
		}
		if (r == 0 || (n += (size_t)r) > (size_t)st.st_size)
			break;
	}
	close(fd);
	if (n > (size_t)st.st_size) {
		snprintf(why, whylen, "%s: changed while being read", path);
		free(buf);
		return SFZ_IO;
	}
	if (n == 0) {
		snprintf(why, whylen, "%s: empty file", path);
		free(buf);
		return SFZ_MALFORMED;
	}
	buf[n] = 0;
	*data = buf;
	*len = n;
	return SFZ_CLEAN;
}

uint8_t *sfz_read_or_die(const char *path, size_t max, size_t *len)
{
	char why[PATH_MAX + 128];
	uint8_t *data;
	int st = sfz_read(path, max, &data, len, why, sizeof(why));

	if (st)
		sfz_die(st, "%s", why);
	return data;
}

int sfz_write_atomic(const char *path, const void *data, size_t len)
{
	char tmp[PATH_MAX];
	FILE *f;
	int n = snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());

	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	f = fopen(tmp, "wb");
	if (!f)
		return -1;
	if (fwrite(data, 1, len, f) != len) {
		int e = errno;

		fclose(f);
		unlink(tmp);
		errno = e;
		return -1;
	}
	if (fclose(f) || rename(tmp, path)) {
		int e = errno;

		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
}

void sfz_write_or_die(const char *path, const void *data, size_t len)
{
	if (sfz_write_atomic(path, data, len))
		sfz_die(SFZ_IO, "%s: %s", path, strerror(errno));
}

int sfz_mkdirs(const char *path)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0777) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0777) && errno != EEXIST)
		return -1;
	return 0;
}

void sfz_parse_text_or_die(const char *path, struct sf_program *p)
{
	size_t len;
	char *text = (char *)sfz_read_or_die(path, SFZ_MAX_INPUT, &len), err[256];

	if (strlen(text) != len) {
		free(text);
		sfz_die(SFZ_MALFORMED, "%s: binary data in a text program", path);
	}
	if (sf_parse(text, p, err, sizeof(err))) {
		free(text);
		sfz_die(SFZ_MALFORMED, "%s: %s", path, err);
	}
	free(text);
}

uint8_t *sfz_encode(const struct sf_program *p, size_t *len)
{
	size_t n = sf_encoded_len(p);
	uint8_t *buf = malloc(n ? n : 1);

	if (!buf)
		sfz_die(SFZ_IO, "out of memory");
	*len = sf_encode(p, buf, n);
	return buf;
}

char *sfz_print(const struct sf_program *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		sfz_die(SFZ_IO, "open_memstream: %s", strerror(errno));
	sf_print(p, f);
	fclose(f);
	return buf;
}

/* ------------------------------------------------------------------ */
/* The target of an input                                              */
/* ------------------------------------------------------------------ */

const struct sf_profile *sfz_target_of(const char *path, const char *opt,
					char *why, size_t whylen)
{
	char real[PATH_MAX];
	const struct sf_profile *p;
	char *end;

	if (opt) {
		p = sf_profile_by_name(opt);
		if (!p)
			snprintf(why, whylen, "unknown target '%s' (harness/targets.txt "
				 "lists them)", opt);
		return p;
	}
	/* the folders of the real path, nearest first: crashes/<target>/<slug>/
	 * FILE, build/campaign/<target>/crash-..., .../<target>/crashes/id:... */
	if (!realpath(path, real))
		snprintf(real, sizeof(real), "%s", path);
	while ((end = strrchr(real, '/'))) {
		*end = 0;
		end = strrchr(real, '/');
		p = sf_profile_by_name(end ? end + 1 : real);
		if (p)
			return p;
		if (!end)
			break;
	}
	snprintf(why, whylen, "%s: cannot tell the target from where the file lies "
		 "(crashes/<target>/..., build/campaign/<target>/...); use --target", path);
	return NULL;
}

const struct sf_profile *sfz_target_or_die(const char *path, const char *opt)
{
	char why[PATH_MAX + 128];
	const struct sf_profile *p = sfz_target_of(path, opt, why, sizeof(why));

	if (!p)
		sfz_die(SFZ_USAGE, "%s", why);
	return p;
}

/* ------------------------------------------------------------------ */
/* Lists and directories                                               */
/* ------------------------------------------------------------------ */

void sfz_list_add(struct sfz_list *l, const char *s)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			sfz_die(SFZ_IO, "out of memory");
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n] = strdup(s);
	if (!l->v[l->n])
		sfz_die(SFZ_IO, "out of memory");
	l->n++;
}

void sfz_list_free(struct sfz_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	*l = (struct sfz_list){ 0 };
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void sfz_list_sort(struct sfz_list *l)
{
	if (l->n)
		qsort(l->v, l->n, sizeof(char *), cmp_str);
}

bool sfz_join(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n >= 0 && (size_t)n < len;
}

int sfz_list_dir(const char *dir, bool folders, struct sfz_list *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char path[PATH_MAX];
		struct stat st;

		if (e->d_name[0] == '.' || !sfz_join(path, sizeof(path), dir, e->d_name))
			continue;
		if (stat(path, &st))
			continue;
		if (folders ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode))
			sfz_list_add(out, e->d_name);
	}
	closedir(d);
	sfz_list_sort(out);
	return 0;
}

unsigned long sfz_count_arg(const char *opt, const char *val,
			    unsigned long lo, unsigned long hi, const char *usage)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = val ? strtoul(val, &end, 10) : 0;
	if (!val || errno || end == val || *end || val[0] == '-' || v < lo || v > hi) {
		sfz_err("%s wants a number from %lu to %lu, got '%s'", opt, lo, hi,
			val ? val : "");
		sfz_usage(usage);
	}
	return v;
}
