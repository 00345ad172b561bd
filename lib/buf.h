/*
 * buf: a growable byte buffer.  Functions return 0, or -1 when memory runs
 * out (the buffer keeps what it had).  hs_buf_free() releases the bytes.
 */
#ifndef HS_BUF_H
#define HS_BUF_H

#include <stddef.h>

struct hs_buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

int	hs_buf_add(struct hs_buf *, const void *, size_t);
int	hs_buf_addc(struct hs_buf *, char);
int	hs_buf_adds(struct hs_buf *, const char *);
int	hs_buf_printf(struct hs_buf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Ensures data is NUL-terminated (the NUL is not counted in len). */
int	hs_buf_cstr(struct hs_buf *);
void	hs_buf_reset(struct hs_buf *);
void	hs_buf_free(struct hs_buf *);

#endif
