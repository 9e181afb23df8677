/*
 * Titles from a run's stderr (title.h): the harness's own line when there
 * is one, else a title built from a sanitizer's report the way ClusterFuzz
 * and syzkaller build theirs: the bug kind plus the first three frames
 * that are not plumbing, with numbers and addresses scrubbed, so that two
 * runs of one bug give one title whatever the addresses.
 */
#include "title.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define NR_FRAMES	3

/* Frames that say where the sanitizer, libc or the host's malloc caught
 * the bug, not where it is. */
static bool plumbing(const char *fn, size_t n)
{
	static const char *const prefixes[] = {
		"__asan", "__interceptor", "___interceptor", "__interception",
		"__sanitizer", "__ubsan", "__lsan", "__msan", "__libc_",
		"__GI_", "_start", "__memcpy", "__memmove", "__memset", "__memcmp",
		"__strlen", "__strcpy", "asan_", "ubsan_", "__cxa_",
	};
	static const char *const names[] = {
		"malloc", "calloc", "realloc", "free", "posix_memalign",
		"aligned_alloc", "memalign", "valloc", "memcpy", "memmove",
		"memset", "memcmp", "bcmp", "strlen", "strcpy", "strncpy",
		"strcmp", "strdup", "abort", "raise", "main", "__assert_fail",
	};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (n >= strlen(prefixes[i]) && !strncmp(fn, prefixes[i], strlen(prefixes[i])))
			return true;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (n == strlen(names[i]) && !strncmp(fn, names[i], n))
			return true;
	return false;
}

/* Length of a function name without a compiler's clone suffix
 * (".isra.0", ".part.1", ".constprop.2", ".cold"). */
static size_t strip_clone(const char *fn, size_t n)
{
	const char *dot = memchr(fn, '.', n);

	return dot ? (size_t)(dot - fn) : n;
}

/*
 * Append " in f0, f1, f2" from the first stack after from: lines
 * "    #N 0xADDR in FUNC FILE:LINE"; the stack ends at the first line that
 * is no frame.
 */
static void append_frames(const char *from, char *title, size_t len)
{
	unsigned int taken = 0;
	bool in_stack = false;
	const char *line = from;

	while (*line && taken < NR_FRAMES) {
		const char *eol = strchr(line, '\n'), *s = line, *in;
		size_t ll = eol ? (size_t)(eol - line) : strlen(line), n;

		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '#') {
			in_stack = true;
			in = memmem(line, ll, " in ", 4);
			if (in) {
				in += 4;
				n = strcspn(in, " \n");
				n = strip_clone(in, n);
				if (n && !plumbing(in, n)) {
					size_t used = strlen(title);

					snprintf(title + used, len - used, "%s%.*s",
						 taken ? ", " : " in ", (int)n, in);
					taken++;
				}
			}
		} else if (in_stack) {
			break;
		}
		line += ll + (eol ? 1 : 0);
	}
}

/* Copy up to the end of the line, numbers and addresses scrubbed to N. */
static void scrub_line(const char *s, char *out, size_t len)
{
	size_t o = 0;
	char prev = ' ';

	while (*s && *s != '\n' && o + 2 < len) {
		if (isdigit((unsigned char)*s) && !isalpha((unsigned char)prev)) {
			if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
				s += 2;
			while (isxdigit((unsigned char)*s))
				s++;
			out[o++] = 'N';
			prev = 'N';
			continue;
		}
		prev = *s;
		out[o++] = *s++;
	}
	out[o] = 0;
}

static bool asan_title(const char *log, const char *tool, char *title, size_t len)
{
	char mark[64], kind[96] = "", access[16] = "";
	const char *p, *a;

	snprintf(mark, sizeof(mark), "ERROR: %s: ", tool);
	p = strstr(log, mark);
	if (!p)
		return false;
	p += strlen(mark);
	if (!strcmp(tool, "LeakSanitizer")) {
		const char *from = strstr(p, "allocated from:");

		snprintf(title, len, "LeakSanitizer: detected memory leaks");
		if (from)
			append_frames(from, title, len);
		return true;
	}
	snprintf(kind, sizeof(kind), "%.*s", (int)strcspn(p, " \n"), p);
	a = p + strcspn(p, "\n");
	/* "WRITE of size 4 at ...", or SEGV's "caused by a READ memory access" */
	if (!strncmp(a, "\nREAD of size", 13) || !strncmp(a, "\nWRITE of size", 14))
		snprintf(access, sizeof(access), " %.*s", (int)strcspn(a + 1, " "), a + 1);
	else if (strstr(a, "caused by a READ memory access"))
		snprintf(access, sizeof(access), " READ");
	else if (strstr(a, "caused by a WRITE memory access"))
		snprintf(access, sizeof(access), " WRITE");
	snprintf(title, len, "%s: %s%s", tool, kind, access);
	append_frames(a, title, len);
	return true;
}

static bool ubsan_title(const char *log, char *title, size_t len)
{
	const char *p = strstr(log, "runtime error: ");
	char msg[200];
	size_t colon;

	if (!p)
		return false;
	p += strlen("runtime error: ");
	scrub_line(p, msg, sizeof(msg));
	/* "signed integer overflow: N + N cannot ..." -> the kind before ':' */
	colon = strcspn(msg, ":");
	if (msg[colon])
		msg[colon] = 0;
	snprintf(title, len, "UndefinedBehaviorSanitizer: %s", msg);
	append_frames(p, title, len);
	return true;
}

void sfz_title_from_log(const char *log, char *title, size_t len)
{
	const char *p = strstr(log, "==ERROR: slabfuzz: ");

	title[0] = 0;
	if (p) {
		p += strlen("==ERROR: slabfuzz: ");
		snprintf(title, len, "%.*s", (int)strcspn(p, "\n"), p);
		return;
	}
	if (asan_title(log, "AddressSanitizer", title, len) ||
	    asan_title(log, "LeakSanitizer", title, len) ||
	    ubsan_title(log, title, len))
		return;
}

void sfz_slug(const char *title, char *out, size_t len)
{
	size_t o = 0;
	bool dash = false;

	for (const char *s = title; *s && o + 1 < len; s++) {
		if (isalnum((unsigned char)*s) || *s == '-') {
			if (dash && o && out[o - 1] != '-' && o + 2 < len)
				out[o++] = '-';
			dash = false;
			out[o++] = *s;
		} else {
			dash = true;
		}
	}
	out[o] = 0;
	if (!o)
		snprintf(out, len, "untitled");
}

void sfz_bucket_key(const char *title, char *key, size_t len)
{
	size_t o = 0;

	for (const char *s = title; *s && o + 1 < len; s++) {
		if (!isdigit((unsigned char)*s)) {
			key[o++] = *s;
			continue;
		}
		key[o++] = 'N';
		while (isdigit((unsigned char)s[1]))
			s++;
		/* a size's unit goes with it: kmalloc-2k is kmalloc-N too */
		if ((s[1] == 'k' || s[1] == 'M') && !isalnum((unsigned char)s[2]))
			s++;
	}
	key[o] = 0;
}
