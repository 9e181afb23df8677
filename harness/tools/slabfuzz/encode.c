/*
 * slabfuzz encode TEXT -o OUT: a program in the text form back into input
 * bytes, so that a person can write a regression seed by hand (without
 * -o, the bytes go to stdout). A program
 * that does not parse is "TEXT: line N: ..." and exit 4; OUT is written
 * through a temporary name, so a failure leaves nothing behind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "common.h"

#define USAGE	"TEXT -o OUT"

int sfz_cmd_encode(int argc, char **argv)
{
	static struct sf_program prog;
	const char *in = NULL, *out = NULL;
	uint8_t *buf;
	size_t len;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc && !out)
			out = argv[++i];
		else if (argv[i][0] == '-' || in)
			sfz_usage(USAGE);
		else
			in = argv[i];
	}
	if (!in)
		sfz_usage(USAGE);
	sfz_parse_text_or_die(in, &prog);
	buf = sfz_encode(&prog, &len);
	if (out)
		sfz_write_or_die(out, buf, len);
	else if (fwrite(buf, 1, len, stdout) != len || fflush(stdout))
		sfz_die(SFZ_IO, "stdout: write error");
	free(buf);
	return SFZ_CLEAN;
}
