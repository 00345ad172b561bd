/*
 * atomic: a file written beside its final name and renamed into place only
 * when complete, with the mode given (snapshots: 0600, for they hold
 * secrets).  A failure, hs_atomic_abort() or an interrupted program that
 * calls hs_atomic_abort() leaves nothing at the final name.
 */
#ifndef HS_ATOMIC_H
#define HS_ATOMIC_H

#include <stddef.h>
#include <sys/types.h>

struct hs_atomic;

/* NULL with a message in err (the temporary file could not be made). */
struct hs_atomic *hs_atomic_open(const char *path, mode_t mode, char *err,
		    size_t errlen);
/* An hs_write_fn: 0, or -1 with errno set. */
int		 hs_atomic_write(void *atomic, const void *buf, size_t len);
/* Syncs, closes and renames; 0, or -1 with a message (nothing is left). */
int		 hs_atomic_commit(struct hs_atomic *, char *err, size_t errlen);
/* Removes the temporary file; accepts NULL. */
void		 hs_atomic_abort(struct hs_atomic *);
/* Writes all of buf to fd (retrying after signals): 0, or -1 with errno. */
int		 hs_write_all(int fd, const void *buf, size_t len);

#endif
