/*
 * fuzz_json: libFuzzer target for the JSON value parser (hs_jv_parse in
 * lib/jv.h), with a small memory limit so that the limit's own paths are
 * reached.  Built and run by "make fuzz".
 */
#include <stddef.h>
#include <stdint.h>

#include "jv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hs_jv *v;
	char err[256];

	if ((v = hs_jv_parse((const char *)data, size, 0, 16384, err,
	    sizeof(err))) != NULL) {
		(void)hs_jv_get_str(v, "type");
		(void)hs_jv_get_num(v, "version", 0);
		hs_jv_free(v);
	}
	return 0;
}
