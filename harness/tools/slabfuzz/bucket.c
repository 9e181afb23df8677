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
	char slug[SFZ_SLUG_LEN];

	sfz_slug(title, slug, sizeof(slug));
	snprintf(buf, len, "%s/%s/%s", crashes, target, slug);
}

/* The "title" of a meta.json (the strings sfz_json_string writes), or
 * false if it has none. */
static bool meta_title(const char *json, char *out, size_t len)
{
	const char *p = strstr(json, "\"title\"");
	size_t o = 0;

	if (!p || !(p = strchr(p + strlen("\"title\""), '"')))
		return false;
	for (p++; *p && *p != '"' && o + 1 < len; p++) {
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\')) {
			out[o++] = *++p;
		} else if (*p == '\\' && p[1] == 'u' && strlen(p) >= 6) {
			out[o++] = (char)strtoul((char[]){ p[4], p[5], 0 }, NULL, 16);
			p += 5;
		} else {
			out[o++] = *p;
		}
	}
	out[o] = 0;
	return *p == '"';
}

/*
 * A bucket is known if its folder exists, or if (by_key) a folder of the
 * target holds a finding with the same identity (sfz_bucket_key): the same
 * bug caught in another kmalloc cache this time.
 */
bool sfz_bucket_known(const char *crashes, const char *target, const char *title,
		      bool by_key)
{
	char dir[PATH_MAX], key[SFZ_KEY_LEN], other[SFZ_KEY_LEN], okey[SFZ_KEY_LEN];
	struct sfz_list folders = { 0 };
	struct stat st;
	bool known;

	sfz_bucket_dir(crashes, target, title, dir, sizeof(dir));
	known = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
	if (known || !by_key || !sfz_join(dir, sizeof(dir), crashes, target) ||
	    sfz_list_dir(dir, true, &folders))
		return known;
	sfz_bucket_key(title, key, sizeof(key));
	for (size_t i = 0; i < folders.n && !known; i++) {
		char path[PATH_MAX], why[PATH_MAX + 64];
		uint8_t *meta;
		size_t len;

		if (snprintf(path, sizeof(path), "%s/%s/meta.json", dir, folders.v[i]) >=
		    (int)sizeof(path) ||
		    sfz_read(path, 1u << 16, &meta, &len, why, sizeof(why)))
			continue;
		if (meta_title((char *)meta, other, sizeof(other))) {
			sfz_bucket_key(other, okey, sizeof(okey));
			known = !strcmp(key, okey);
		}
		free(meta);
	}
	sfz_list_free(&folders);
	return known;
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
