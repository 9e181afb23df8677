/*
 * The call recorder behind `slabfuzz repro` and `slabfuzz heapmap`: a
 * build of the harness (sfharness_rec) whose calls into the kalloc API go
 * through the wrappers of record_calls.c (record_wrap.h renames them), so
 * that running a program writes, as C statements, every call the harness
 * made at top level, with pointers named by the call that produced them;
 * and whose model, pattern and misuse code tell the recorder what they
 * check (the sfr_note_* hooks, compiled in under SF_RECORD only). The fuzz
 * targets are built from the plain harness and never see any of this.
 *
 * With no recording started every wrapper is a plain call.
 */
#ifndef SF_RECORD_H
#define SF_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <kalloc/kalloc.h>

/* Start writing the program's calls to out (a C function body). */
void sfr_start(FILE *out);
bool sfr_active(void);
/* Called on a finding, before the process aborts (heapmap draws there);
 * addr is the object a kalloc report named, or NULL. */
typedef void (*sfr_finding_fn)(const char *title, const void *addr, void *arg);
void sfr_set_finding_hook(sfr_finding_fn fn, void *arg);
/* The pointers the current op handed to or got from the allocator, newest
 * first (heapmap highlights them). */
size_t sfr_op_pointers(const void **out, size_t max);
/* The end of a program that ran clean: write out its last op. */
void sfr_finish(void);

/* Hooks the harness calls under SF_RECORD (model.c, pattern.c, misuse.c). */
void sfr_note_finding(const char *title);
void sfr_note_report_addr(const void *addr);
void sfr_note_check(const char *check, const char *what);
void sfr_note_fill(const void *p, size_t len, uint16_t seed);
void sfr_note_pattern_check(const void *p, size_t len, size_t limit, uint16_t seed);
void sfr_note_zero_check(const void *p, size_t len);
void sfr_note_poke(const void *addr, const void *src, size_t n);
void sfr_note_window_open(void);
void sfr_note_window_close(unsigned int expected, const char *what, const char *label);
void sfr_note_wild(const void *buf, size_t len);
void sfr_note_ctor_seed(unsigned int slot, uint16_t seed);

#endif /* SF_RECORD_H */
