/*
 * sha1: SHA-1 (FIPS 180-4) of a short message, and base64 (RFC 4648), for
 * the WebSocket handshake's Sec-WebSocket-Accept check (RFC 6455 4.2.2).
 * Not for anything that needs a secure hash.
 */
#ifndef HS_SHA1_H
#define HS_SHA1_H

#include <stddef.h>
#include <stdint.h>

void	hs_sha1(const void *msg, size_t len, uint8_t digest[20]);
/* Writes the base64 of in[0..len) and a NUL to out (4*((len+2)/3)+1 bytes). */
void	hs_base64(const uint8_t *in, size_t len, char *out);

#endif
