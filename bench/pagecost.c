/*
 * pagecost: what a first touch of anonymous memory costs on this machine,
 * against touching memory the process freed a moment ago.  On the project's
 * VM a page the guest has not used for a few seconds costs a host fault
 * too, which is why hs-summarize's system time varies so much from run to
 * run (bench/README.md).
 *
 *	cc -O2 -o /tmp/pagecost bench/pagecost.c && /tmp/pagecost [MiB]
 *
 * Maps MiB (512 by default) with huge pages advised, touches a byte a page
 * and unmaps it, four times: the first round shows the first-touch cost,
 * the others that of memory just given back.
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	size_t n = (size_t)(argc > 1 ? atoi(argv[1]) : 512) << 20, i;
	int round;

	for (round = 0; round < 4; round++) {
		char *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		double t;

		if (p == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
#ifdef MADV_HUGEPAGE
		(void)madvise(p, n, MADV_HUGEPAGE);
#endif
		t = now();
		for (i = 0; i < n; i += 4096)
			p[i] = 1;
		t = now() - t;
		printf("round %d: %zu MiB touched in %.3f s (%.2f GB/s)\n",
		    round, n >> 20, t, (double)n / t / 1e9);
		munmap(p, n);
	}
	return 0;
}
