/*
 * replay: runs a libFuzzer target's LLVMFuzzerTestOneInput on files, with
 * the normal compiler and without libFuzzer, so that "make check" (and its
 * sanitizer pass) replays the regression inputs in tests/fuzz/regress/.
 *
 *	tests/fuzz/replay_snapshot FILE...
 *
 * Prints how many inputs ran; a crash or a sanitizer report ends the
 * process, naming the input on stderr first.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The whole file, or NULL; an empty file is a valid (empty) input. */
static unsigned char *
slurp(const char *path, size_t *lenp)
{
	unsigned char *buf = NULL, *p;
	size_t len = 0, cap = 0, n;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			if ((p = realloc(buf, cap)) == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
		}
		len += n = fread(buf + len, 1, cap - len, f);
	} while (n > 0);
	if (ferror(f)) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*lenp = len;
	return buf;
}

int
main(int argc, char *argv[])
{
	unsigned char *data;
	size_t len;
	int i;

	for (i = 1; i < argc; i++) {
		if ((data = slurp(argv[i], &len)) == NULL) {
			fprintf(stderr, "replay: %s: cannot read\n", argv[i]);
			return 2;
		}
		fprintf(stderr, "replay: %s\n", argv[i]);
		(void)LLVMFuzzerTestOneInput(data, len);
		free(data);
	}
	printf("%d inputs replayed\n", argc - 1);
	return 0;
}
