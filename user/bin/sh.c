/*
 * sh: the Scarlet native shell.
 *
 * A small Bourne-like shell.  It reads commands from a terminal (with a
 * prompt), from a script given as its first argument, or from `-c string`,
 * and supports pipelines, redirections (< > >> n> n>&m <&m), background
 * jobs (&), lists (; && ||), subshells ( ), groups { }, if/while/until/for,
 * quoting, variables and parameters ($NAME ${NAME:-w} $? $$ $! $# $@ $0..),
 * command substitution $(...) and `...`, tilde and glob expansion.
 *
 * The input is parsed into a tree (struct node) one complete command at a
 * time; words are kept raw and expanded just before each command runs.
 * When interactive, every job gets its own process group and foreground
 * jobs own the terminal, so Ctrl-C reaches the job and not the shell;
 * Ctrl-Z stops a foreground job, which fg and bg continue.
 *
 * Files: sh_util.h (strings, vectors), sh_parse.h (lexer, parser),
 * sh_expand.h (word expansion); this file holds the shell state and
 * variables, redirections, processes and jobs, builtins, execution, input
 * and main.  The headers are included once, below.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <scarlet.h>
#include <unistd.h>

#include "sh_util.h"

#define DEFAULT_PATH "/system/scarlet/bin:/bin"
#define SAVED_FD_MIN 10      /* descriptors the shell keeps for itself live at or above this */
#define MODE_SAVED   0x10000 /* beside TTY_MODE_* bits: a saved mode */
#ifndef SIGTTIN
#define SIGTTIN 21
#define SIGTTOU 22
#endif

/* ------------------------------------------------------------ shell state */

struct var {
	char *name;
	char *value; /* NULL: exported but not set */
	int exported;
};

static struct shell {
	pid_t pid;       /* $$ */
	pid_t pgid;      /* the shell's own process group */
	int interactive; /* prompts, job messages */
	int job_control; /* jobs get process groups and the terminal */
	int status;      /* $? */
	pid_t last_bg;   /* $! */
	char *name;      /* $0 */
	struct svec params;
	struct var *vars;
	size_t nvars;
	struct {
		pid_t *v;
		unsigned *tty_mode; /* a stopped job's terminal mode | MODE_SAVED */
		size_t n;
	} jobs;                    /* background children not yet reaped */
	unsigned tty_mode;         /* the shell's own terminal mode */
	int loop_depth, brk, cont; /* pending break/continue counts */
	int cond_depth;            /* > 0 while running a condition (set -e) */
	int cmdsub_status;         /* status of the last $(...), -1 if none */
	int xtrace, errexit;
} sh;

static void sh_exit(int status) __attribute__((noreturn));
static void sh_exit(int status)
{
	exit(status);
}

/* ------------------------------------------------------------ variables */

static struct var *var_find(const char *name)
{
	for (size_t i = 0; i < sh.nvars; i++)
		if (!strcmp(sh.vars[i].name, name))
			return &sh.vars[i];
	return NULL;
}

static const char *var_get(const char *name)
{
	struct var *v = var_find(name);
	return v ? v->value : NULL;
}

/* Sets a variable; export > 0 marks it exported, otherwise the flag stays. */
static void var_set(const char *name, const char *value, int export)
{
	struct var *v = var_find(name);
	if (!v) {
		sh.vars = xrealloc(sh.vars, (sh.nvars + 1) * sizeof(*v));
		v = &sh.vars[sh.nvars++];
		v->name = xstrdup(name);
		v->value = NULL;
		v->exported = 0;
	}
	char *nv = value ? xstrdup(value) : NULL;
	if (value || !v->value) {
		free(v->value);
		v->value = nv;
	}
	if (export > 0)
		v->exported = 1;
}

static void var_unset(const char *name)
{
	struct var *v = var_find(name);
	if (!v)
		return;
	free(v->name);
	free(v->value);
	*v = sh.vars[--sh.nvars];
}

/* Sets "NAME=value" (as found in environ or an assignment word). */
static void var_assign(const char *assign, int export)
{
	const char *eq = strchr(assign, '=');
	char *name = xstrndup(assign, eq - assign);
	var_set(name, eq + 1, export);
	free(name);
}

static void vars_import(void)
{
	for (char **e = environ; e && *e; e++)
		if (strchr(*e, '=') && name_len(*e) == (size_t)(strchr(*e, '=') - *e))
			var_assign(*e, 1);
}

/* Environment for a new program: exported variables, then `extra` assignments. */
static char **env_build(struct svec *extra)
{
	struct svec env = {0};
	for (size_t i = 0; i < sh.nvars; i++) {
		struct var *v = &sh.vars[i];
		if (!v->exported || !v->value)
			continue;
		int overridden = 0;
		for (size_t j = 0; j < extra->n; j++) {
			size_t n = strchr(extra->v[j], '=') - extra->v[j];
			if (strlen(v->name) == n && !strncmp(v->name, extra->v[j], n))
				overridden = 1;
		}
		if (overridden)
			continue;
		char *s = xmalloc(strlen(v->name) + strlen(v->value) + 2);
		sprintf(s, "%s=%s", v->name, v->value);
		sv_push(&env, s);
	}
	for (size_t j = 0; j < extra->n; j++)
		sv_push(&env, xstrdup(extra->v[j]));
	if (!env.v)
		sv_push(&env, NULL), env.n = 0;
	return env.v;
}

#include "sh_parse.h"
#include "sh_expand.h"

/* ------------------------------------------------------------ redirections */

struct saved_fd {
	int fd, copy; /* copy < 0: fd was closed before */
};

struct saved {
	struct saved_fd *v;
	size_t n;
};

/* A close-on-exec duplicate of fd numbered at least SAVED_FD_MIN, or -1. */
static int dup_high(int fd)
{
	int low[SAVED_FD_MIN], nlow = 0, d;
	while ((d = dup(fd)) >= 0 && d < SAVED_FD_MIN)
		low[nlow++] = d;
	while (nlow)
		close(low[--nlow]);
	if (d >= 0)
		fcntl(d, F_SETFD, FD_CLOEXEC);
	return d;
}

static void save_fd(struct saved *sv, int fd)
{
	for (size_t i = 0; i < sv->n; i++)
		if (sv->v[i].fd == fd)
			return;
	sv->v = xrealloc(sv->v, (sv->n + 1) * sizeof(*sv->v));
	sv->v[sv->n].fd = fd;
	sv->v[sv->n++].copy = dup_high(fd);
}

static void restore_fds(struct saved *sv)
{
	while (sv->n) {
		struct saved_fd *s = &sv->v[--sv->n];
		if (s->copy >= 0) {
			dup2(s->copy, s->fd);
			close(s->copy);
		} else {
			close(s->fd);
		}
	}
	free(sv->v);
	sv->v = NULL;
}

/*
 * A descriptor reading the given text, through a pipe.  Text larger than
 * a pipe can surely hold is written by a grandchild (reaped by init) so
 * that nobody blocks.
 */
static int heredoc_fd(const char *text)
{
	int fds[2];
	size_t len = strlen(text);
	if (pipe(fds) < 0)
		return -1;
	if (len <= 4096) {
		write(fds[1], text, len);
	} else {
		pid_t pid = fork();
		if (pid == 0) {
			close(fds[0]);
			if (fork() == 0)
				write(fds[1], text, len);
			_exit(0);
		}
		if (pid > 0)
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
	}
	close(fds[1]);
	return fds[0];
}

/* Applies redirections, saving the old descriptors in sv if not NULL. */
static int apply_redirs(struct redir *r, struct saved *sv)
{
	for (; r; r = r->next) {
		char *target = r->kind != R_HEREDOC ? expand_str(r->word)
		               : r->quoted          ? xstrdup(r->word)
		                                    : expand_heredoc(r->word);
		int src, ok = 1;
		if (sv)
			save_fd(sv, r->fd);
		if (r->kind == R_DUPIN || r->kind == R_DUPOUT) {
			if (!strcmp(target, "-")) {
				close(r->fd);
			} else if (parse_int(target, &src) < 0 || src < 0 ||
			           (src != r->fd && dup2(src, r->fd) < 0) ||
			           (src == r->fd && fcntl(src, F_GETFD) < 0)) {
				dprintf(2, "sh: %s: bad file descriptor\n", target);
				ok = 0;
			}
		} else if (r->kind == R_HEREDOC) {
			int fd = heredoc_fd(target);
			if (fd < 0) {
				dprintf(2, "sh: here-document: %s\n", strerror(errno));
				ok = 0;
			} else if (fd != r->fd) {
				dup2(fd, r->fd);
				close(fd);
			}
		} else {
			int flags = r->kind == R_IN    ? O_RDONLY
			            : r->kind == R_OUT ? O_WRONLY | O_CREAT | O_TRUNC
			                               : O_WRONLY | O_CREAT | O_APPEND;
			int fd = open(target, flags, 0666);
			if (fd < 0) {
				dprintf(2, "sh: %s: %s\n", target, strerror(errno));
				ok = 0;
			} else if (fd != r->fd) {
				dup2(fd, r->fd);
				close(fd);
			}
		}
		free(target);
		if (!ok)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ processes */

static int wait_status(int ws)
{
	return WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : WEXITSTATUS(ws);
}

/*
 * Forks a child of the shell.  With job control the child joins process
 * group *pgid (a new one named after it when *pgid is 0), and a
 * foreground job is given the terminal.  In the child returns 0 with the
 * shell state reset to that of a non-interactive subshell.
 */
static pid_t fork_child(pid_t *pgid, int fg)
{
	pid_t pid = fork();
	if (pid < 0) {
		dprintf(2, "sh: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (sh.job_control) {
			pid_t me = getpid();
			setpgid(0, *pgid ? *pgid : me);
			if (fg)
				tcsetpgrp(0, *pgid ? *pgid : me);
		}
		if (sh.interactive) {
			signal(SIGINT, SIG_DFL_H);
			signal(SIGQUIT, SIG_DFL_H);
			signal(SIGTSTP, SIG_DFL_H);
			signal(SIGTTIN, SIG_DFL_H);
			signal(SIGTTOU, SIG_DFL_H);
		} else if (!fg) {
			signal(SIGINT, SIG_IGN_H);
			signal(SIGQUIT, SIG_IGN_H);
		}
		sh.interactive = sh.job_control = 0;
		sh.jobs.n = 0;
		return 0;
	}
	if (sh.job_control) {
		if (!*pgid)
			*pgid = pid;
		setpgid(pid, *pgid);
		if (fg)
			tcsetpgrp(0, *pgid);
	}
	return pid;
}

static void job_add(pid_t pid);

/* A job that stopped keeps its terminal mode for fg and becomes a
 * background job. */
static void job_stopped(pid_t pid)
{
	unsigned mode = 0;
	sc_tty_getmode(0, &mode);
	job_add(pid);
	sh.jobs.tty_mode[sh.jobs.n - 1] = mode | MODE_SAVED;
	dprintf(2, "\n[%d] Stopped\n", (int)pid);
}

/* Waits for a foreground job; returns the status of its last process.
 * With job control a process that stops becomes a background job, and
 * the shell takes back its terminal mode from a job that stopped or was
 * killed in a mode of its own. */
static int wait_fg(pid_t *pids, size_t n)
{
	int status = 0, ws, restore = 0;
	for (size_t i = 0; i < n; i++) {
		if (pids[i] <= 0)
			continue;
		pid_t r;
		while ((r = waitpid(pids[i], &ws, sh.job_control ? WUNTRACED : 0)) < 0 &&
		       errno == EINTR)
			;
		if (r > 0 && WIFSTOPPED(ws)) {
			job_stopped(pids[i]);
			ws = W_EXITCODE(0, WSTOPSIG(ws));
		}
		if (r > 0 && WIFSIGNALED(ws))
			restore = 1;
		if (i == n - 1)
			status = r < 0 ? 127 : wait_status(ws);
	}
	if (sh.job_control && restore)
		sc_tty_setmode(0, sh.tty_mode);
	if (sh.job_control && status == 128 + SIGINT)
		write(2, "\n", 1);
	if (sh.job_control)
		tcsetpgrp(0, sh.pgid);
	return status;
}

static void job_add(pid_t pid)
{
	sh.jobs.v = xrealloc(sh.jobs.v, (sh.jobs.n + 1) * sizeof(pid_t));
	sh.jobs.tty_mode = xrealloc(sh.jobs.tty_mode, (sh.jobs.n + 1) * sizeof(unsigned));
	sh.jobs.tty_mode[sh.jobs.n] = 0;
	sh.jobs.v[sh.jobs.n++] = pid;
}

static void job_remove(size_t i)
{
	sh.jobs.n--;
	sh.jobs.v[i] = sh.jobs.v[sh.jobs.n];
	sh.jobs.tty_mode[i] = sh.jobs.tty_mode[sh.jobs.n];
}

/* Collects finished background jobs, reporting them when interactive. */
static void jobs_reap(void)
{
	for (size_t i = 0; i < sh.jobs.n;) {
		int ws = 0;
		pid_t r = waitpid(sh.jobs.v[i], &ws, WNOHANG);
		if (r == 0 || (r < 0 && errno == EINTR)) {
			i++;
			continue;
		}
		if (sh.interactive) {
			int st = wait_status(ws);
			if (r < 0 || st == 0)
				dprintf(2, "[%d] Done\n", (int)sh.jobs.v[i]);
			else
				dprintf(2, "[%d] Exit %d\n", (int)sh.jobs.v[i], st);
		}
		job_remove(i);
	}
}

/*
 * Runs argv[0] with the given environment: PATH search when the name has
 * no '/', files without a known binary format run as shell scripts.
 * Never returns.
 */
static void exec_command(char **argv, char **envp) __attribute__((noreturn));
static void exec_command(char **argv, char **envp)
{
	const char *name = argv[0];
	int err = ENOENT;
	struct sbuf path = {0};
	if (strchr(name, '/')) {
		execve(name, argv, envp);
		err = errno;
		sb_puts(&path, name);
	} else {
		const char *dirs = var_get("PATH");
		if (!dirs)
			dirs = DEFAULT_PATH;
		while (1) {
			size_t n = strcspn(dirs, ":");
			path.len = 0;
			sb_putn(&path, n ? dirs : ".", n ? n : 1);
			sb_putc(&path, '/');
			sb_puts(&path, name);
			execve(path.s, argv, envp);
			if (errno == ENOEXEC || errno == EACCES || errno == EISDIR) {
				err = errno;
				break;
			}
			if (!dirs[n])
				break;
			dirs += n + 1;
		}
	}
	if (err == ENOEXEC) {
		/* a script without #!: run it in this (child) shell */
		sv_free(&sh.params);
		for (int i = 1; argv[i]; i++)
			sv_push(&sh.params, xstrdup(argv[i]));
		sh.name = path.s;
		int fd = open(path.s, O_RDONLY);
		if (fd >= 0) {
			struct sbuf text = {0};
			char buf[512];
			ssize_t n;
			while ((n = read(fd, buf, sizeof(buf))) > 0)
				sb_putn(&text, buf, (size_t)n);
			close(fd);
			sh_exit(run_string(text.s ? text.s : ""));
		}
		err = errno;
	}
	if (err == ENOENT)
		dprintf(2, "sh: %s: not found\n", name);
	else
		dprintf(2, "sh: %s: %s\n", name, strerror(err));
	_exit(err == ENOENT ? 127 : 126);
}

/* ------------------------------------------------------------ builtins */

static int bi_true(int argc, char **argv)
{
	(void)argc, (void)argv;
	return 0;
}

static int bi_false(int argc, char **argv)
{
	(void)argc, (void)argv;
	return 1;
}

static int bi_cd(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : var_get("HOME");
	int print = 0;
	char cwd[4096];
	if (!dir) {
		dprintf(2, "sh: cd: HOME not set\n");
		return 1;
	}
	if (!strcmp(dir, "-")) {
		dir = var_get("OLDPWD");
		if (!dir) {
			dprintf(2, "sh: cd: OLDPWD not set\n");
			return 1;
		}
		print = 1;
	}
	char *old = getcwd(cwd, sizeof(cwd)) ? xstrdup(cwd) : NULL;
	if (chdir(dir) < 0) {
		dprintf(2, "sh: cd: %s: %s\n", dir, strerror(errno));
		free(old);
		return 1;
	}
	if (old)
		var_set("OLDPWD", old, 0);
	free(old);
	if (getcwd(cwd, sizeof(cwd))) {
		var_set("PWD", cwd, 0);
		if (print)
			dprintf(1, "%s\n", cwd);
	}
	return 0;
}

static int bi_pwd(int argc, char **argv)
{
	char cwd[4096];
	(void)argc, (void)argv;
	if (!getcwd(cwd, sizeof(cwd))) {
		dprintf(2, "sh: pwd: %s\n", strerror(errno));
		return 1;
	}
	dprintf(1, "%s\n", cwd);
	return 0;
}

static int bi_exit(int argc, char **argv)
{
	int code = sh.status;
	if (argc > 1 && parse_int(argv[1], &code) < 0) {
		dprintf(2, "sh: exit: %s: numeric argument required\n", argv[1]);
		code = 2;
	}
	sh_exit(code & 0xff);
}

static int bi_export(int argc, char **argv)
{
	int status = 0;
	if (argc == 1)
		for (size_t i = 0; i < sh.nvars; i++)
			if (sh.vars[i].exported && sh.vars[i].value)
				dprintf(1, "export %s='%s'\n", sh.vars[i].name, sh.vars[i].value);
	for (int i = 1; i < argc; i++) {
		size_t n = name_len(argv[i]);
		if (!n || (argv[i][n] && argv[i][n] != '=')) {
			dprintf(2, "sh: export: %s: bad variable name\n", argv[i]);
			status = 1;
		} else if (argv[i][n] == '=') {
			var_assign(argv[i], 1);
		} else {
			var_set(argv[i], NULL, 1);
		}
	}
	return status;
}

static int bi_unset(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		var_unset(argv[i]);
	return 0;
}

static int bi_set(int argc, char **argv)
{
	int i = 1;
	if (argc == 1)
		for (size_t k = 0; k < sh.nvars; k++)
			if (sh.vars[k].value)
				dprintf(1, "%s='%s'\n", sh.vars[k].name, sh.vars[k].value);
	for (; i < argc && (argv[i][0] == '-' || argv[i][0] == '+'); i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		for (const char *f = argv[i] + 1; *f; f++) {
			if (*f == 'x')
				sh.xtrace = argv[i][0] == '-';
			else if (*f == 'e')
				sh.errexit = argv[i][0] == '-';
			else
				dprintf(2, "sh: set: -%c: unknown option\n", *f);
		}
	}
	if (i < argc || (i > 1 && !strcmp(argv[i - 1], "--"))) {
		sv_free(&sh.params);
		for (; i < argc; i++)
			sv_push(&sh.params, xstrdup(argv[i]));
	}
	return 0;
}

static int bi_shift(int argc, char **argv)
{
	int n = 1;
	if (argc > 1 && (parse_int(argv[1], &n) < 0 || n < 0)) {
		dprintf(2, "sh: shift: %s: bad number\n", argv[1]);
		return 1;
	}
	if ((size_t)n > sh.params.n)
		return 1;
	for (int i = 0; i < n; i++)
		free(sh.params.v[i]);
	memmove(sh.params.v, sh.params.v + n, (sh.params.n - n + 1) * sizeof(char *));
	sh.params.n -= n;
	return 0;
}

static int loop_control(int argc, char **argv, int *counter)
{
	int n = 1;
	if (argc > 1 && (parse_int(argv[1], &n) < 0 || n < 1)) {
		dprintf(2, "sh: %s: %s: bad number\n", argv[0], argv[1]);
		return 1;
	}
	if (!sh.loop_depth)
		return 0;
	*counter = n < sh.loop_depth ? n : sh.loop_depth;
	return 0;
}

static int bi_break(int argc, char **argv)
{
	return loop_control(argc, argv, &sh.brk);
}

static int bi_continue(int argc, char **argv)
{
	return loop_control(argc, argv, &sh.cont);
}

static int bi_wait(int argc, char **argv)
{
	int status = 0, ws, pid;
	if (argc == 1) {
		while (sh.jobs.n) {
			while (waitpid(sh.jobs.v[0], &ws, 0) < 0 && errno == EINTR)
				;
			job_remove(0);
		}
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		if (parse_int(argv[i], &pid) < 0) {
			dprintf(2, "sh: wait: %s: bad pid\n", argv[i]);
			return 2;
		}
		pid_t r;
		while ((r = waitpid(pid, &ws, 0)) < 0 && errno == EINTR)
			;
		status = r < 0 ? 127 : wait_status(ws);
		for (size_t k = 0; k < sh.jobs.n; k++)
			if (sh.jobs.v[k] == pid)
				job_remove(k);
	}
	return status;
}

/* fg [PID], bg [PID]: continues a stopped job (the newest by default)
 * in the foreground or in the background. */
static int continue_job(int argc, char **argv, int fg)
{
	int pid = 0;
	if (!sh.job_control || !sh.jobs.n) {
		dprintf(2, "sh: %s: no current job\n", argv[0]);
		return 1;
	}
	if (argc > 1 && parse_int(argv[1], &pid) < 0) {
		dprintf(2, "sh: %s: %s: bad pid\n", argv[0], argv[1]);
		return 2;
	}
	size_t k = sh.jobs.n - 1;
	if (argc > 1) {
		for (k = 0; k < sh.jobs.n && sh.jobs.v[k] != pid; k++)
			;
		if (k == sh.jobs.n) {
			dprintf(2, "sh: %s: %d: no such job\n", argv[0], pid);
			return 1;
		}
	}
	pid_t job = sh.jobs.v[k], pg = getpgid(job);
	unsigned mode = sh.jobs.tty_mode[k];
	if (pg < 0)
		pg = job;
	if (fg) {
		job_remove(k);
		if (mode & MODE_SAVED)
			sc_tty_setmode(0, mode & ~MODE_SAVED);
		tcsetpgrp(0, pg);
	}
	kill(-pg, SIGCONT);
	return fg ? wait_fg(&job, 1) : 0;
}

static int bi_fg(int argc, char **argv)
{
	return continue_job(argc, argv, 1);
}

static int bi_bg(int argc, char **argv)
{
	return continue_job(argc, argv, 0);
}

static int bi_jobs(int argc, char **argv)
{
	(void)argc, (void)argv;
	for (size_t i = 0; i < sh.jobs.n; i++)
		dprintf(1, "[%d] Running\n", (int)sh.jobs.v[i]);
	return 0;
}

/* read [-r] NAME...: one line of stdin split at blanks over the names. */
static int bi_read(int argc, char **argv)
{
	struct sbuf line = {0};
	int raw = 0, i = 1, got = 0;
	char c;
	if (i < argc && !strcmp(argv[i], "-r"))
		raw = 1, i++;
	sb_putn(&line, "", 0);
	for (;;) {
		ssize_t n = read(0, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got = 1;
		if (c == '\n')
			break;
		if (c == '\\' && !raw) {
			if (read(0, &c, 1) == 1 && c != '\n')
				sb_putc(&line, c);
			continue;
		}
		sb_putc(&line, c);
	}
	char *s = line.s;
	if (i == argc)
		var_set("REPLY", s, 0);
	for (; i < argc; i++) {
		while (*s == ' ' || *s == '\t')
			s++;
		size_t n = i == argc - 1 ? strlen(s) : strcspn(s, " \t");
		char *v = xstrndup(s, n);
		while (i == argc - 1 && n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
			v[--n] = 0;
		var_set(argv[i], v, 0);
		free(v);
		s += n;
	}
	free(line.s);
	return got ? 0 : 1;
}

static int run_file(const char *path, int must_exist);

static int bi_source(int argc, char **argv)
{
	if (argc < 2) {
		dprintf(2, "sh: %s: filename argument required\n", argv[0]);
		return 2;
	}
	return run_file(argv[1], 1);
}

struct builtin {
	const char *name;
	int (*fn)(int argc, char **argv);
};

static const struct builtin builtins[] = {
    {"cd", bi_cd},         {"pwd", bi_pwd},           {"exit", bi_exit},
    {"export", bi_export}, {"unset", bi_unset},       {"set", bi_set},
    {"shift", bi_shift},   {"true", bi_true},         {"false", bi_false},
    {":", bi_true},        {"wait", bi_wait},         {"jobs", bi_jobs},
    {"read", bi_read},     {".", bi_source},          {"source", bi_source},
    {"break", bi_break},   {"continue", bi_continue}, {"fg", bi_fg},
    {"bg", bi_bg},
};

static const struct builtin *builtin_find(const char *name)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(builtins[i].name, name))
			return &builtins[i];
	return NULL;
}

/* ------------------------------------------------------------ execution */

enum { FL_NOFORK = 1 }; /* running in a child that ends afterwards: exec in place */

static int exec_node(struct node *n, int flags);

static void trace(struct svec *assigns, struct svec *argv)
{
	struct sbuf b = {0};
	sb_puts(&b, "+");
	for (size_t i = 0; i < assigns->n; i++)
		sb_puts(&b, " "), sb_puts(&b, assigns->v[i]);
	for (size_t i = 0; i < argv->n; i++)
		sb_puts(&b, " "), sb_puts(&b, argv->v[i]);
	sb_puts(&b, "\n");
	write(2, b.s, b.len);
	free(b.s);
}

/* exec [cmd args]: replace the shell, or make redirections permanent. */
static int exec_builtin_exec(struct node *n, struct svec *argv, struct svec *assigns)
{
	if (apply_redirs(n->redirs, NULL) < 0)
		return 1;
	if (argv->n < 2)
		return 0;
	if (sh.interactive) {
		signal(SIGINT, SIG_DFL_H);
		signal(SIGQUIT, SIG_DFL_H);
	}
	exec_command(argv->v + 1, env_build(assigns));
}

static int exec_simple(struct node *n, int flags)
{
	struct svec argv = {0}, assigns = {0};
	struct saved sv = {0};
	int status = 0;
	sh.cmdsub_status = -1;
	for (size_t i = 0; i < n->assigns.n; i++) {
		const char *w = n->assigns.v[i], *eq = strchr(w, '=');
		char *val = expand_str(eq + 1);
		char *a = xmalloc((size_t)(eq - w) + strlen(val) + 2);
		sprintf(a, "%.*s=%s", (int)(eq - w), w, val);
		sv_push(&assigns, a);
		free(val);
	}
	for (size_t i = 0; i < n->words.n; i++)
		expand_fields(n->words.v[i], &argv);
	if (sh.xtrace)
		trace(&assigns, &argv);
	const struct builtin *bi = argv.n ? builtin_find(argv.v[0]) : NULL;
	if (!argv.n || bi) {
		for (size_t i = 0; i < assigns.n; i++)
			var_assign(assigns.v[i], 0);
		if (apply_redirs(n->redirs, &sv) < 0)
			status = 1;
		else if (bi)
			status = bi->fn((int)argv.n, argv.v);
		else
			status = sh.cmdsub_status >= 0 ? sh.cmdsub_status : 0;
		restore_fds(&sv);
	} else if (!strcmp(argv.v[0], "exec")) {
		status = exec_builtin_exec(n, &argv, &assigns);
	} else if (flags & FL_NOFORK) {
		if (apply_redirs(n->redirs, NULL) < 0)
			_exit(1);
		exec_command(argv.v, env_build(&assigns));
	} else {
		pid_t pgid = 0, pid = fork_child(&pgid, 1);
		if (pid == 0) {
			if (apply_redirs(n->redirs, NULL) < 0)
				_exit(1);
			exec_command(argv.v, env_build(&assigns));
		}
		status = pid < 0 ? 1 : wait_fg(&pid, 1);
	}
	sv_free(&argv);
	sv_free(&assigns);
	return status;
}

static int exec_pipeline(struct node *n)
{
	pid_t *pids = xmalloc(n->nitems * sizeof(pid_t)), pgid = 0;
	int in = -1;
	for (size_t i = 0; i < n->nitems; i++) {
		int fds[2] = {-1, -1};
		pids[i] = -1;
		if (i + 1 < n->nitems && pipe(fds) < 0) {
			dprintf(2, "sh: pipe: %s\n", strerror(errno));
			break;
		}
		pids[i] = fork_child(&pgid, 1);
		if (pids[i] == 0) {
			if (in >= 0) {
				dup2(in, 0);
				close(in);
			}
			if (fds[1] >= 0) {
				close(fds[0]);
				dup2(fds[1], 1);
				close(fds[1]);
			}
			sh_exit(exec_node(n->items[i], FL_NOFORK));
		}
		if (in >= 0)
			close(in);
		if (fds[1] >= 0)
			close(fds[1]);
		in = fds[0];
	}
	if (in >= 0)
		close(in);
	int status = wait_fg(pids, n->nitems);
	free(pids);
	return status;
}

static int exec_background(struct node *n)
{
	pid_t pgid = 0, pid = fork_child(&pgid, 0);
	if (pid == 0)
		sh_exit(exec_node(n, FL_NOFORK));
	if (pid < 0)
		return 1;
	job_add(pid);
	sh.last_bg = pid;
	if (sh.interactive)
		dprintf(2, "[%d]\n", (int)pid);
	return 0;
}

static int exec_subshell(struct node *n, int flags)
{
	if (flags & FL_NOFORK) {
		if (apply_redirs(n->redirs, NULL) < 0)
			return 1;
		return exec_node(n->a, FL_NOFORK);
	}
	pid_t pgid = 0, pid = fork_child(&pgid, 1);
	if (pid == 0) {
		if (apply_redirs(n->redirs, NULL) < 0)
			_exit(1);
		sh_exit(exec_node(n->a, FL_NOFORK));
	}
	return pid < 0 ? 1 : wait_fg(&pid, 1);
}

static int exec_cond(struct node *n)
{
	sh.cond_depth++;
	int status = exec_node(n, 0);
	sh.cond_depth--;
	return status;
}

/* After a loop body: 1 if the loop must stop (break, or continue of an outer loop). */
static int loop_stop(void)
{
	if (sh.brk) {
		sh.brk--;
		return 1;
	}
	if (sh.cont)
		return --sh.cont > 0;
	return 0;
}

static int exec_loop(struct node *n)
{
	int status = 0;
	sh.loop_depth++;
	if (n->type == N_FOR) {
		struct svec items = {0};
		if (n->words.v)
			for (size_t i = 0; i < n->words.n; i++)
				expand_fields(n->words.v[i], &items);
		else
			for (size_t i = 0; i < sh.params.n; i++)
				sv_push(&items, xstrdup(sh.params.v[i]));
		for (size_t i = 0; i < items.n; i++) {
			var_set(n->var, items.v[i], 0);
			status = exec_node(n->b, 0);
			if (loop_stop())
				break;
		}
		sv_free(&items);
	} else {
		for (;;) {
			int c = exec_cond(n->a);
			if (sh.brk || sh.cont) {
				if (loop_stop())
					break;
				continue;
			}
			if ((c == 0) != (n->type == N_WHILE))
				break;
			status = exec_node(n->b, 0);
			if (loop_stop())
				break;
		}
	}
	sh.loop_depth--;
	return status;
}

/* Compound commands that run in the shell itself, with their redirections. */
static int exec_compound(struct node *n)
{
	struct saved sv = {0};
	int status = 1;
	if (apply_redirs(n->redirs, &sv) == 0) {
		switch (n->type) {
		case N_GROUP:
			status = exec_node(n->a, 0);
			break;
		case N_IF:
			if (exec_cond(n->a) == 0)
				status = exec_node(n->b, 0);
			else
				status = exec_node(n->c, 0);
			break;
		default:
			status = exec_loop(n);
			break;
		}
	}
	restore_fds(&sv);
	return status;
}

static int loop_pending(void)
{
	return sh.brk || sh.cont;
}

static int exec_node(struct node *n, int flags)
{
	int status = 0;
	if (!n)
		return sh.status = 0;
	switch (n->type) {
	case N_CMD:
		status = exec_simple(n, flags);
		break;
	case N_PIPE:
		status = exec_pipeline(n);
		break;
	case N_SEQ:
		exec_node(n->a, 0);
		if (loop_pending())
			return sh.status;
		status = exec_node(n->b, flags);
		break;
	case N_AND:
	case N_OR:
		status = exec_cond(n->a);
		if (!loop_pending() && (status == 0) == (n->type == N_AND))
			status = exec_node(n->b, flags);
		break;
	case N_NOT:
		status = !exec_cond(n->a);
		break;
	case N_BG:
		status = exec_background(n->a);
		break;
	case N_SUB:
		status = exec_subshell(n, flags);
		break;
	default:
		status = exec_compound(n);
		break;
	}
	sh.status = status;
	if (sh.errexit && status && !sh.cond_depth &&
	    (n->type == N_CMD || n->type == N_PIPE || n->type == N_SUB))
		sh_exit(status);
	return status;
}

/* ------------------------------------------------------------ input */

/*
 * Line reader.  Standard input is read one byte at a time so that no
 * input meant for the commands the shell runs is consumed; scripts and
 * strings are read in blocks.
 */
struct input {
	int fd; /* -1: reading from str */
	const char *str;
	int bytewise;
	char buf[512];
	size_t len, pos;
	int eof;
	int exit_on_error; /* syntax errors end the shell (scripts) */
};

static int input_getc(struct input *in)
{
	if (in->fd < 0)
		return *in->str ? (unsigned char)*in->str++ : -1;
	if (in->pos == in->len) {
		ssize_t n;
		do
			n = read(in->fd, in->buf, in->bytewise ? 1 : sizeof(in->buf));
		while (n < 0 && errno == EINTR);
		if (n <= 0)
			return -1;
		in->len = (size_t)n;
		in->pos = 0;
	}
	return (unsigned char)in->buf[in->pos++];
}

/* Appends one line (with its newline) to text; 0 at end of input. */
static int input_line(struct input *in, struct sbuf *text)
{
	int c, got = 0;
	if (in->eof)
		return 0;
	while ((c = input_getc(in)) >= 0) {
		got = 1;
		sb_putc(text, (char)c);
		if (c == '\n')
			return 1;
	}
	in->eof = 1;
	if (got)
		sb_putc(text, '\n');
	return got;
}

static void prompt(const char *var, const char *dflt)
{
	if (!sh.interactive)
		return;
	const char *p = var_get(var);
	if (!p)
		p = dflt;
	write(2, p, strlen(p));
}

/* Reads, parses and runs commands until end of input; returns the last status. */
static int run_input(struct input *in)
{
	struct sbuf text = {0};
	struct parser p;
	for (;;) {
		jobs_reap();
		prompt("PS1", "$ ");
		text.len = 0;
		if (!input_line(in, &text))
			break;
		struct node *tree;
		while (!(tree = parse_program(&p, text.s)) && p.incomplete && !in->eof) {
			prompt("PS2", "> ");
			if (!input_line(in, &text))
				break;
		}
		if (p.err) {
			dprintf(2, "sh: syntax error: %s\n", p.msg);
			sh.status = 2;
			if (in->exit_on_error)
				sh_exit(2);
			continue;
		}
		if (!tree)
			continue;
		exec_node(tree, 0);
		node_free(tree);
		sh.brk = sh.cont = 0;
	}
	free(text.s);
	if (sh.interactive)
		write(2, "\n", 1);
	return sh.status;
}

/* Runs a whole string (sh -c, $(...), scripts without #!). */
static int run_string(const char *text)
{
	struct parser p;
	struct node *tree = parse_program(&p, text);
	if (!tree) {
		if (p.err) {
			dprintf(2, "sh: syntax error: %s\n", p.msg);
			return sh.status = 2;
		}
		return sh.status = 0;
	}
	exec_node(tree, 0);
	node_free(tree);
	return sh.status;
}

/* Runs the commands of a file in the current shell. */
static int run_file(const char *path, int must_exist)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (must_exist)
			dprintf(2, "sh: %s: %s\n", path, strerror(errno));
		return errno == ENOENT ? 127 : 126;
	}
	int high = dup_high(fd);
	if (high >= 0) {
		close(fd);
		fd = high;
	}
	struct input in = {.fd = fd, .exit_on_error = !sh.interactive};
	int saved_interactive = sh.interactive;
	sh.interactive = 0;
	int status = run_input(&in);
	sh.interactive = saved_interactive;
	close(fd);
	return status;
}

/* ------------------------------------------------------------ main */

static void usage(void)
{
	dprintf(2, "usage: sh [-ex] [-c command [name [args...]] | script [args...]]\n");
	sh_exit(2);
}

int main(int argc, char **argv)
{
	const char *command = NULL;
	int i = 1, cflag = 0, script = 0;
	char cwd[4096];

	sh.pid = getpid();
	sh.name = argv[0] ? argv[0] : "sh";
	vars_import();
	if (getcwd(cwd, sizeof(cwd)))
		var_set("PWD", cwd, 1);
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		for (const char *f = argv[i] + 1; *f; f++) {
			if (*f == 'c')
				cflag = 1;
			else if (*f == 'e')
				sh.errexit = 1;
			else if (*f == 'x')
				sh.xtrace = 1;
			else
				usage();
		}
	}
	if (cflag) {
		if (i >= argc)
			usage();
		command = argv[i++];
		if (i < argc)
			sh.name = argv[i++];
	} else if (i < argc) {
		sh.name = argv[i++];
		script = 1;
	}
	for (; i < argc; i++)
		sv_push(&sh.params, xstrdup(argv[i]));

	if (command)
		sh_exit(run_string(command));
	if (script)
		sh_exit(run_file(sh.name, 1));

	sh.interactive = isatty(0);
	struct input in = {.fd = 0, .bytewise = 1, .exit_on_error = !sh.interactive};
	if (sh.interactive) {
		sh.job_control = 1;
		signal(SIGINT, SIG_IGN_H);
		signal(SIGQUIT, SIG_IGN_H);
		signal(SIGTSTP, SIG_IGN_H);
		signal(SIGTTIN, SIG_IGN_H);
		signal(SIGTTOU, SIG_IGN_H);
		setpgid(0, 0);
		sh.pgid = getpgrp();
		sc_tty_getmode(0, &sh.tty_mode);
		tcsetpgrp(0, sh.pgid);
	}
	sh_exit(run_input(&in));
}
