/*
 * The subcommands of slabfuzz: one entry function each, defined in the
 * file of its name (decode.c, replay.c ...) and listed once, in the table
 * of main.c. Adding a subcommand is a file, a line here and a row there.
 *
 * Each gets the arguments after its name and returns an exit status
 * (common.h); bad usage may exit through sfz_usage().
 */
#ifndef SFZ_COMMANDS_H
#define SFZ_COMMANDS_H

int sfz_cmd_decode(int argc, char **argv);
int sfz_cmd_encode(int argc, char **argv);
int sfz_cmd_replay(int argc, char **argv);
int sfz_cmd_minimize(int argc, char **argv);
int sfz_cmd_triage(int argc, char **argv);
int sfz_cmd_kmod(int argc, char **argv);
int sfz_cmd_repro(int argc, char **argv);
int sfz_cmd_heapmap(int argc, char **argv);
int sfz_cmd_slug(int argc, char **argv);

#endif /* SFZ_COMMANDS_H */
