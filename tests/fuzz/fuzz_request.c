/*
 * libFuzzer target for the whole request path: each input is the byte
 * stream one client sends (request lines, headers, bodies, pipelined
 * requests, chunked framing), parsed by libmicrohttpd itself, then our
 * framing checks, post processor callbacks, router, parameter getters
 * and every handler.  See request.h for the server it runs against.
 */
/* fuzz-sources: app */
#include "request.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_connection(data, size);
	return (0);
}
