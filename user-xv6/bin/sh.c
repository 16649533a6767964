/*
 * sh: the shell of our xv6 userland.
 *
 * Reads command lines from standard input, or from the script named by
 * its first argument, and runs them.  A line is a list of pipelines
 * separated by ';' (run in turn) or '&' (run in the background); a
 * pipeline is commands joined by '|'; a command is words with
 * redirections (< file, > file, >> file) or a parenthesized list with
 * redirections.  Words may be quoted with '' or ""; '#' starts a
 * comment.  Built-ins (also inside a ';' list): cd dir, exit [status].
 * A command name without '/' is tried as given, then under "/" (where
 * xv6 programs live).
 *
 * The prompt "$ " is printed only when reading from the console, so
 * that scripts and piped input run silently.  The shell exits at end
 * of input.
 *
 * A line is lexed into tokens, parsed into a tree of struct cmd held in
 * a fixed pool, and run by a forked child that walks the tree.
 */
#include "types.h"
#include "stat.h"
#include "fcntl.h"
#include "param.h"
#include "user.h"

#define LINE_MAX  1024
#define MAXTOKENS 256
#define MAXCMDS   64
#define MAXREDIRS 4

/* ------------------------------------------------------------ lexer */

enum { T_WORD = 'w', T_END = 0 }; /* other tokens are their own character */

struct token {
	int kind;   /* T_WORD, T_END, or one of < > A | ; & ( ) (A is >>) */
	char *word; /* T_WORD: the unquoted text, in word_space */
};

static struct token tokens[MAXTOKENS];
static int ntokens, pos;
static char word_space[LINE_MAX * 2];

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_symbol(char c)
{
	return strchr("<>|;&()", c) != NULL && c != '\0';
}

/* Copies one word starting at *sp into *wp; handles quotes. */
static int lex_word(const char **sp, char **wp)
{
	const char *s = *sp;
	char *w = *wp, quote;

	while (*s && !is_blank(*s) && !is_symbol(*s)) {
		if (*s != '\'' && *s != '"') {
			*w++ = *s++;
			continue;
		}
		quote = *s++;
		while (*s && *s != quote)
			*w++ = *s++;
		if (*s != quote)
			return -1;
		s++;
	}
	*w++ = '\0';
	*sp = s;
	*wp = w;
	return 0;
}

/* Splits line into tokens; -1 on an unterminated quote or too many tokens. */
static int lex(const char *s)
{
	char *w = word_space;

	ntokens = pos = 0;
	for (;;) {
		while (is_blank(*s))
			s++;
		if (*s == '\0' || *s == '#' || ntokens == MAXTOKENS - 1)
			break;
		tokens[ntokens].word = w;
		if (s[0] == '>' && s[1] == '>') {
			tokens[ntokens++].kind = 'A';
			s += 2;
		} else if (is_symbol(*s)) {
			tokens[ntokens++].kind = *s++;
		} else {
			tokens[ntokens++].kind = T_WORD;
			if (lex_word(&s, &w) < 0)
				return -1;
		}
	}
	tokens[ntokens].kind = T_END;
	return *s && *s != '#' ? -1 : 0;
}

/* ------------------------------------------------------------ parser */

enum { C_EXEC, C_PIPE, C_LIST, C_BACK, C_BLOCK };
enum { R_IN, R_OUT, R_APPEND };

struct redir {
	int how; /* R_IN, R_OUT, R_APPEND */
	char *file;
};

struct cmd {
	int type;
	char *argv[MAXARG];       /* C_EXEC */
	struct cmd *left, *right; /* C_PIPE, C_LIST; C_BACK and C_BLOCK use left */
	struct redir redirs[MAXREDIRS];
	int nredirs;
};

static struct cmd pool[MAXCMDS];
static int npool;
static const char *parse_error;

static struct cmd *node(int type, struct cmd *left, struct cmd *right)
{
	struct cmd *c;

	if (npool == MAXCMDS) {
		parse_error = "command too long";
		return NULL;
	}
	c = &pool[npool++];
	memset(c, 0, sizeof(*c));
	c->type = type;
	c->left = left;
	c->right = right;
	return c;
}

static int peek(void)
{
	return tokens[pos].kind;
}

static struct cmd *parse_list(void);

/* A redirection operator was seen: records it with its file name. */
static int parse_redir(struct cmd *c)
{
	int kind = tokens[pos++].kind;

	if (peek() != T_WORD) {
		parse_error = "missing file name";
		return -1;
	}
	if (c->nredirs == MAXREDIRS) {
		parse_error = "too many redirections";
		return -1;
	}
	c->redirs[c->nredirs].how = kind == '<' ? R_IN : kind == '>' ? R_OUT : R_APPEND;
	c->redirs[c->nredirs++].file = tokens[pos++].word;
	return 0;
}

static int is_redir(int kind)
{
	return kind == '<' || kind == '>' || kind == 'A';
}

/* ( list ) followed by redirections. */
static struct cmd *parse_block(void)
{
	struct cmd *inner, *c;

	pos++;
	if ((inner = parse_list()) == NULL)
		return NULL;
	if (peek() != ')') {
		parse_error = "missing )";
		return NULL;
	}
	pos++;
	if ((c = node(C_BLOCK, inner, NULL)) == NULL)
		return NULL;
	while (is_redir(peek())) {
		if (parse_redir(c) < 0)
			return NULL;
	}
	return c;
}

/* Words and redirections, or a block. */
static struct cmd *parse_command(void)
{
	struct cmd *c;
	int argc = 0;

	if (peek() == '(')
		return parse_block();
	if ((c = node(C_EXEC, NULL, NULL)) == NULL)
		return NULL;
	for (;;) {
		if (peek() == T_WORD && argc < MAXARG - 1) {
			c->argv[argc++] = tokens[pos++].word;
		} else if (peek() == T_WORD) {
			parse_error = "too many arguments";
			return NULL;
		} else if (is_redir(peek())) {
			if (parse_redir(c) < 0)
				return NULL;
		} else {
			break;
		}
	}
	if (argc == 0) {
		parse_error = "missing command";
		return NULL;
	}
	return c;
}

static struct cmd *parse_pipeline(void)
{
	struct cmd *left, *right;

	if ((left = parse_command()) == NULL)
		return NULL;
	if (peek() != '|')
		return left;
	pos++;
	if ((right = parse_pipeline()) == NULL)
		return NULL;
	return node(C_PIPE, left, right);
}

static struct cmd *parse_list(void)
{
	struct cmd *c, *rest;

	if ((c = parse_pipeline()) == NULL)
		return NULL;
	if (peek() == '&') {
		pos++;
		if ((c = node(C_BACK, c, NULL)) == NULL)
			return NULL;
	} else if (peek() == ';') {
		pos++;
	} else {
		return c;
	}
	if (peek() == T_END || peek() == ')')
		return c;
	if ((rest = parse_list()) == NULL)
		return NULL;
	return node(C_LIST, c, rest);
}

/* Parses a whole line; NULL with parse_error set on a syntax error. */
static struct cmd *parse(void)
{
	struct cmd *c;

	npool = 0;
	parse_error = NULL;
	c = parse_list();
	if (c && peek() != T_END) {
		parse_error = "syntax error";
		return NULL;
	}
	if (!c && !parse_error)
		parse_error = "syntax error";
	return c;
}

/* ------------------------------------------------------------ execution */

static void fail(const char *what, const char *name)
{
	fprintf(2, "sh: %s %s\n", what, name);
	exit(1);
}

static int fork_or_die(void)
{
	int pid = fork();

	if (pid < 0)
		fail("fork", "failed");
	return pid;
}

/* Opens the file of r on descriptor fd (0 or 1). */
static void apply_redir(const struct redir *r)
{
	static char skip[512];
	int fd = r->how == R_IN ? 0 : 1, got;
	int flags = r->how == R_IN    ? O_RDONLY
	            : r->how == R_OUT ? O_WRONLY | O_CREATE | O_TRUNC
	                              : O_RDWR | O_CREATE;

	close(fd);
	if ((got = open(r->file, flags)) < 0)
		fail("cannot open", r->file);
	if (got != fd) {
		close(fd);
		dup(got);
		close(got);
	}
	if (r->how == R_APPEND) /* xv6 has no O_APPEND: read to the end */
		while (read(fd, skip, sizeof(skip)) > 0)
			;
}

static void exec_by_name(char **argv)
{
	char path[MAXPATH];

	exec(argv[0], argv);
	if (!strchr(argv[0], '/') && strlen(argv[0]) + 2 <= sizeof(path)) {
		path[0] = '/';
		strcpy(path + 1, argv[0]);
		exec(path, argv);
	}
	fprintf(2, "sh: exec %s failed\n", argv[0]);
	exit(1);
}

static void run(struct cmd *c) __attribute__((noreturn));

/* Runs c in a child with descriptor fd replaced by end. */
static int spawn_piped(struct cmd *c, int fd, int *p)
{
	int pid = fork_or_die();

	if (pid == 0) {
		close(fd);
		dup(p[fd]);
		close(p[0]);
		close(p[1]);
		run(c);
	}
	return pid;
}

static void run_pipe(struct cmd *c)
{
	int p[2], status = 0;

	if (pipe(p) < 0)
		fail("pipe", "failed");
	spawn_piped(c->left, 1, p);
	spawn_piped(c->right, 0, p);
	close(p[0]);
	close(p[1]);
	wait(0);
	wait(&status);
	exit(status);
}

/* Runs the tree c in this process (a child of the shell); never returns. */
static void run(struct cmd *c)
{
	int i, status = 0;

	for (i = 0; i < c->nredirs; i++)
		apply_redir(&c->redirs[i]);
	switch (c->type) {
	case C_EXEC:
		exec_by_name(c->argv);
		break;
	case C_PIPE:
		run_pipe(c);
		break;
	case C_LIST:
		if (fork_or_die() == 0)
			run(c->left);
		wait(&status);
		run(c->right);
		break;
	case C_BACK:
		if (fork_or_die() == 0)
			run(c->left);
		break;
	case C_BLOCK:
		run(c->left);
	}
	exit(0);
}

/* ------------------------------------------------------------ main loop */

/* Reads a line from fd byte by byte (leaving the rest for the commands). */
static int read_line(int fd, char *buf, int max)
{
	int n = 0;
	char c = 0;

	while (n + 1 < max && read(fd, &c, 1) == 1) {
		if (c == '\n')
			break;
		buf[n++] = c;
	}
	buf[n] = '\0';
	return n > 0 || c == '\n' ? 1 : 0;
}

/* cd and exit, which must run in the shell itself; 1 if c was one. */
static int builtin(struct cmd *c)
{
	if (c->type != C_EXEC || c->nredirs)
		return 0;
	if (strcmp(c->argv[0], "exit") == 0)
		exit(c->argv[1] ? atoi(c->argv[1]) : 0);
	if (strcmp(c->argv[0], "cd") != 0)
		return 0;
	if (chdir(c->argv[1] ? c->argv[1] : "/") < 0)
		fprintf(2, "cannot cd %s\n", c->argv[1] ? c->argv[1] : "/");
	return 1;
}

/*
 * Runs a parsed line: the parts of a top-level ';' list one after the
 * other, so that a built-in among them acts on the shell itself; every
 * other part in a child, waited for.
 */
static void run_top(struct cmd *c)
{
	int pid, w;

	if (c->type == C_LIST && c->nredirs == 0) {
		run_top(c->left);
		run_top(c->right);
		return;
	}
	if (builtin(c))
		return;
	if ((pid = fork()) < 0) {
		fprintf(2, "sh: fork failed\n");
		return;
	}
	if (pid == 0)
		run(c);
	while ((w = wait(0)) >= 0 && w != pid)
		;
}

static void run_line(char *line)
{
	struct cmd *c;

	if (lex(line) < 0) {
		fprintf(2, "sh: syntax error\n");
		return;
	}
	if (ntokens == 0)
		return;
	if ((c = parse()) == NULL) {
		fprintf(2, "sh: %s\n", parse_error);
		return;
	}
	run_top(c);
}

static int is_console(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && st.type == T_DEVICE;
}

int main(int argc, char **argv)
{
	static char line[LINE_MAX];
	int in = 0, interactive;

	if (argc > 1 && (in = open(argv[1], O_RDONLY)) < 0) {
		fprintf(2, "sh: cannot open %s\n", argv[1]);
		exit(1);
	}
	interactive = in == 0 && is_console(0);
	for (;;) {
		if (interactive)
			write(2, "$ ", 2);
		if (!read_line(in, line, sizeof(line)))
			break;
		run_line(line);
	}
	exit(0);
}
