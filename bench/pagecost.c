/*
 * pagecost: what a first touch of anonymous memory costs on this machine,
 * in 4 KiB pages or in huge pages, against touching memory the process
 * freed a moment ago.  On the project's VM the host takes back free memory
 * in blocks of 2 MiB a moment after the guest frees it, and touching such
 * a block again costs a host fault a page; the guest's smaller free pieces
 * stay backed.  This is why hs asks for no huge pages, and why
 * hs-summarize's system time varies so much from run to run
 * (bench/README.md).
 *
 *	cc -O2 -o /tmp/pagecost bench/pagecost.c
 *	sleep 5; /tmp/pagecost 1024 4k; sleep 5; /tmp/pagecost 1024 huge
 *
 * Maps MiB (1024 by default), with huge pages advised if asked, touches a
 * byte a page and unmaps it, three times.  The first round shows the
 * first-touch cost, by slices of 128 MiB; the others that of memory just
 * given back.
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define SLICE	((size_t)128 << 20)

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
	size_t n = (size_t)(argc > 1 ? atoi(argv[1]) : 1024) << 20, i, s;
	int huge = argc > 2 && strcmp(argv[2], "huge") == 0, round;

	printf("%zu MiB in %s pages\n", n >> 20, huge ? "huge" : "4 KiB");
	for (round = 0; round < 3; round++) {
		char *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		double t, total = 0;

		if (p == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
#ifdef MADV_HUGEPAGE
		(void)madvise(p, n, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
#endif
		if (round == 0)
			printf("first touch, ms a MiB by slices of %zu MiB:",
			    SLICE >> 20);
		for (s = 0; s < n; s += SLICE) {
			size_t end = s + SLICE < n ? s + SLICE : n;

			t = now();
			for (i = s; i < end; i += 4096)
				p[i] = 1;
			t = now() - t;
			total += t;
			if (round == 0)
				printf(" %.2f", t * 1e3 / (double)((end - s) >>
				    20));
		}
		printf("%sround %d: %zu MiB in %.3f s (%.2f ms a MiB)\n",
		    round == 0 ? "\n" : "", round, n >> 20, total,
		    total * 1e3 / (double)(n >> 20));
		munmap(p, n);
	}
	return 0;
}
