/*
 * activate: find, and if need be open, the inspector of a Node.js process
 * known by its process id, here or inside a container.
 *
 * As "node inspect -p PID" does, the inspector is opened with SIGUSR1; its
 * port is then found as the listening TCP socket that the process did not
 * have before (the socket inodes among /proc/PID/fd matched against
 * /proc/PID/net/tcp and tcp6).  An inspector that is already open is found
 * by asking each listening port for /json/list, and no signal is sent.
 *
 * Inside a container (exec non-NULL: a command prefix such as "docker exec
 * -i ID", run by /bin/sh), the same facts are gathered by the container's
 * own node running a small script (hs_activate_script()), which also
 * relays the inspector's TCP stream over its stdin and stdout.
 *
 * The facts about a process travel as lines of text, whichever side reads
 * them:
 *	exe NAME		the program's file name
 *	sigcgt HEX		the caught-signals mask from /proc/PID/status
 *	sock INODE		one per socket among its open files
 *	tcp LINE, tcp6 LINE	the lines of its /proc/PID/net/tcp and tcp6
 *	error CODE		the facts could not be read (ENOENT, EACCES...)
 */
#ifndef HS_ACTIVATE_H
#define HS_ACTIVATE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define HS_MAX_LISTEN	32

struct hs_listener {
	char	host[64];	/* numeric, to connect to */
	char	port[8];
	int	loopback;	/* a loopback or wildcard address */
	uint64_t inode;
};

struct hs_proc_facts {
	char	exe[64];
	int	have_sigcgt;
	int	usr1_caught;
	size_t	nlisten;
	struct hs_listener listen[HS_MAX_LISTEN];
};

/* Parses the text above; -1 with a message in err for "error CODE". */
int	hs_proc_parse(const char *text, size_t len, pid_t pid,
	    struct hs_proc_facts *, char *err, size_t errlen);

struct hs_activate_options {
	pid_t		 pid;
	const char	*exec;		/* command prefix, or NULL: here */
	int		 allow_remote;	/* accept a non-loopback address */
	int64_t		 deadline;	/* hs_now_ms() time, 0 none */
	volatile sig_atomic_t *interrupted;
	/* Filled in: */
	char		 host[64], port[8];
	int		 opened;	/* 1 when SIGUSR1 opened it now */
};

/* Returns 0 with host and port set, or -1 with a one-line message. */
int	hs_activate(struct hs_activate_options *, char *err, size_t errlen);

/*
 * The argv of a command that runs the script inside the container:
 * /bin/sh -c 'PREFIX "$@"' hs-capture node -e SCRIPT MODE [A [B]]
 * (modes: "info" PID, "usr1" PID, "relay" HOST PORT).  argv must hold 11
 * pointers; cmd receives the shell's command; the strings stay the
 * caller's.
 */
void	hs_activate_argv(const char *exec, const char *mode, const char *a,
	    const char *b, char *argv[11], char *cmd, size_t cmdlen);

#endif
