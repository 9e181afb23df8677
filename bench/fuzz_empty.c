/*
 * fuzz_empty: a libFuzzer target that does nothing, built with the same
 * compiler, sanitizers and engine as the real targets. ci/bench fuzz runs
 * it in the same session as they run: its exec/s is what libFuzzer and the
 * sanitizer runtimes cost on this machine, the ceiling the targets are
 * measured against.
 */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)data;
	(void)size;
	return 0;
}
