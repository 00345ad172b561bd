/*
 * atomic: files that appear whole or not at all (see atomic.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "atomic.h"

struct hs_atomic {
	int	 fd;
	int	 in_place;	/* a device or a fifo: written as it is */
	char	*path;
	char	 tmp[PATH_MAX];
};

struct hs_atomic *
hs_atomic_open(const char *path, mode_t mode, char *err, size_t errlen)
{
	struct hs_atomic *a;
	const char *slash = strrchr(path, '/');
	int dirlen = slash == NULL ? 1 : (int)(slash - path);
	const char *dir = slash == NULL ? "." : slash == path ? "/" : path;

	char resolved[PATH_MAX];
	struct stat st;

	if (slash == path)
		dirlen = 1;
	if ((a = hs_calloc(1, sizeof(*a))) == NULL ||
	    (a->path = hs_strdup(path)) == NULL) {
		hs_free(a);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	/*
	 * A device or a fifo (-o /dev/null) is written in place: renaming a
	 * file over it would replace the device itself.
	 */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			errno = EISDIR;
		else if ((a->fd = open(path, O_WRONLY | O_CLOEXEC)) != -1) {
			a->in_place = 1;
			return a;
		}
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		hs_free(a->path);
		hs_free(a);
		return NULL;
	}
	/* A symbolic link's target gets the new contents, not the link. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
	    realpath(path, resolved) != NULL) {
		hs_free(a->path);
		if ((a->path = hs_strdup(resolved)) == NULL) {
			hs_free(a);
			snprintf(err, errlen, "out of memory");
			return NULL;
		}
		path = a->path;
		slash = strrchr(path, '/');
		dirlen = (int)(slash - path);
		dir = path;
		if (slash == path)
			dirlen = 1;
	}
	if ((size_t)snprintf(a->tmp, sizeof(a->tmp), "%.*s/.hs-tmp.XXXXXX",
	    dirlen, dir) >= sizeof(a->tmp)) {
		snprintf(err, errlen, "%s: path too long", path);
		hs_free(a->path);
		hs_free(a);
		return NULL;
	}
	if ((a->fd = mkstemp(a->tmp)) == -1) {
		snprintf(err, errlen, "%s: cannot create a file beside it: %s",
		    path, strerror(errno));
		hs_free(a->path);
		hs_free(a);
		return NULL;
	}
	fcntl(a->fd, F_SETFD, FD_CLOEXEC);
	fchmod(a->fd, mode);
	return a;
}

int
hs_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
hs_atomic_write(void *arg, const void *buf, size_t len)
{
	return hs_write_all(((struct hs_atomic *)arg)->fd, buf, len);
}

void
hs_atomic_abort(struct hs_atomic *a)
{
	if (a == NULL)
		return;
	close(a->fd);
	if (!a->in_place)
		unlink(a->tmp);
	hs_free(a->path);
	hs_free(a);
}

int
hs_atomic_commit(struct hs_atomic *a, char *err, size_t errlen)
{
	int e;

	if (a->in_place) {
		e = close(a->fd) == -1 ? errno : 0;
		if (e != 0)
			snprintf(err, errlen, "%s: write error: %s", a->path,
			    strerror(e));
		hs_free(a->path);
		hs_free(a);
		return e != 0 ? -1 : 0;
	}
	if (fsync(a->fd) == -1 && errno != EINVAL) {
		e = errno;
		snprintf(err, errlen, "%s: write error: %s", a->path,
		    strerror(e));
		hs_atomic_abort(a);
		return -1;
	}
	if (close(a->fd) == -1) {
		e = errno;
		a->fd = -1;
		snprintf(err, errlen, "%s: write error: %s", a->path,
		    strerror(e));
		hs_atomic_abort(a);
		return -1;
	}
	a->fd = -1;
	if (rename(a->tmp, a->path) == -1) {
		e = errno;
		snprintf(err, errlen, "%s: %s", a->path, strerror(e));
		hs_atomic_abort(a);
		return -1;
	}
	hs_free(a->path);
	hs_free(a);
	return 0;
}
