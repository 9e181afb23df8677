/*
 * Bucket folders in crashes/ (bucket.h): their names, whether one is
 * known, and writing a new one. Every file goes through a temporary name
 * and rename(), so an interrupted --accept leaves complete files or none.
 */
#include "bucket.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "common.h"
#include "sha1.h"
#include "title.h"

#ifndef SF_SOURCE_DIR
#define SF_SOURCE_DIR "."
#endif

const char *sfz_crashes_dir(const char *opt)
{
	const char *e = getenv("SLABFUZZ_CRASHES");

	if (opt)
		return opt;
	if (e && *e)
		return e;
	return SF_SOURCE_DIR "/crashes";
}

void sfz_bucket_dir(const char *crashes, const char *target, const char *title,
		    char *buf, size_t len)
{
	char slug[200];

	sfz_slug(title, slug, sizeof(slug));
	snprintf(buf, len, "%s/%s/%s", crashes, target, slug);
}

bool sfz_bucket_known(const char *crashes, const char *target, const char *title)
{
	char dir[PATH_MAX];
	struct stat st;

	sfz_bucket_dir(crashes, target, title, dir, sizeof(dir));
	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

void sfz_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* The day, from SOURCE_DATE_EPOCH when set (reproducible output). */
static void today(char *buf, size_t len)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	time_t t = e && *e ? (time_t)strtoll(e, NULL, 10) : time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

static int write_file(const char *dir, const char *name, const void *data, size_t len,
		      char *why, size_t whylen)
{
	char path[PATH_MAX];

	if (!sfz_join(path, sizeof(path), dir, name)) {
		snprintf(why, whylen, "%s/%s: path too long", dir, name);
		return -1;
	}
	if (sfz_write_atomic(path, data, len)) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int sfz_bucket_add(const char *crashes, const char *target, const char *title,
		   const char *status, const uint8_t *data, size_t len,
		   const char *report, char *dir, size_t dirlen, char *why, size_t whylen)
{
	static struct sf_program prog;
	char hex[41], day[16], *meta = NULL, *text;
	size_t mlen = 0;
	FILE *f;
	int err;

	sfz_bucket_dir(crashes, target, title, dir, dirlen);
	if (sfz_mkdirs(dir)) {
		snprintf(why, whylen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	sf_sha1_hex(data, len, hex);
	sf_decode(data, len, &prog);
	text = sfz_print(&prog);
	today(day, sizeof(day));
	f = open_memstream(&meta, &mlen);
	if (!f) {
		free(text);
		snprintf(why, whylen, "open_memstream: %s", strerror(errno));
		return -1;
	}
	fprintf(f, "{\n  \"title\": ");
	sfz_json_string(f, title);
	fprintf(f, ",\n  \"target\": ");
	sfz_json_string(f, target);
	fprintf(f, ",\n  \"status\": ");
	sfz_json_string(f, status);
	fprintf(f, ",\n  \"first_seen\": \"%s\",\n  \"command\": \"slabfuzz replay "
		"crashes/%s/%s/%s\"\n}\n", day, target, strrchr(dir, '/') + 1, hex);
	fclose(f);
	err = write_file(dir, hex, data, len, why, whylen) ||
	      write_file(dir, "program.txt", text, strlen(text), why, whylen) ||
	      write_file(dir, "report.txt", report, strlen(report), why, whylen) ||
	      write_file(dir, "meta.json", meta, mlen, why, whylen);
	free(text);
	free(meta);
	return err ? -1 : 0;
}
