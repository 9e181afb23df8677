/*
 * slabfuzz decode FILE: an input's bytes as a program in the text form
 * (harness/FORMAT.md). Every byte string decodes; an empty, oversized or
 * unreadable file is a one-line error.
 */
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "common.h"

int sfz_cmd_decode(int argc, char **argv)
{
	static struct sf_program prog;
	uint8_t *data;
	size_t len;

	if (argc != 1 || argv[0][0] == '-')
		sfz_usage("FILE");
	data = sfz_read_or_die(argv[0], SFZ_MAX_INPUT, &len);
	sf_decode(data, len, &prog);
	free(data);
	sf_print(&prog, stdout);
	if (fflush(stdout) || ferror(stdout))
		sfz_die(SFZ_IO, "stdout: write error");
	return SFZ_CLEAN;
}
