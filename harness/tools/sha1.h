/* SHA-1 (FIPS 180-4), for naming corpus files by their content as
 * OSS-Fuzz seed corpora are named. Not for anything security-related. */
#ifndef SF_SHA1_H
#define SF_SHA1_H

#include <stddef.h>
#include <stdint.h>

void sf_sha1(const void *data, size_t len, uint8_t digest[20]);
/* 40 lowercase hex digits and a NUL */
void sf_sha1_hex(const void *data, size_t len, char hex[41]);

#endif /* SF_SHA1_H */
