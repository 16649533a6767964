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
 * jobs own the terminal, so Ctrl-C reaches the job and not the shell.
 *
 * Sections: utilities, variables, lexer, parser, expansion, redirections,
 * processes and jobs, builtins, execution, input, main.
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
#include <unistd.h>

#define DEFAULT_PATH "/system/scarlet/bin:/bin"
#define SAVED_FD_MIN 10 /* descriptors the shell keeps for itself live at or above this */

/* ------------------------------------------------------------ utilities */

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		dprintf(2, "sh: out of memory\n");
		_exit(2);
	}
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		dprintf(2, "sh: out of memory\n");
		_exit(2);
	}
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

static char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* Growable string; s is always NUL-terminated once anything was added. */
struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_putn(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

static void sb_putc(struct sbuf *b, char c)
{
	sb_putn(b, &c, 1);
}

static void sb_puts(struct sbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

/* The contents as a malloc'd string; the buffer is left empty. */
static char *sb_take(struct sbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

/* Growable NULL-terminated array of malloc'd strings. */
struct svec {
	char **v;
	size_t n, cap;
};

static void sv_push(struct svec *v, char *s)
{
	if (v->n + 2 > v->cap) {
		v->cap = (v->n + 2) * 2;
		v->v = xrealloc(v->v, v->cap * sizeof(char *));
	}
	v->v[v->n++] = s;
	v->v[v->n] = NULL;
}

static void sv_free(struct svec *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	v->v = NULL;
	v->n = v->cap = 0;
}

static int is_name_start(int c)
{
	return isalpha(c) || c == '_';
}

static int is_name_char(int c)
{
	return isalnum(c) || c == '_';
}

/* Length of the identifier at the start of s (0 if none). */
static size_t name_len(const char *s)
{
	size_t n = 0;
	if (!is_name_start((unsigned char)s[0]))
		return 0;
	while (is_name_char((unsigned char)s[n]))
		n++;
	return n;
}

static int parse_int(const char *s, int *out)
{
	char *end;
	if (!*s)
		return -1;
	long v = strtol(s, &end, 10);
	if (*end)
		return -1;
	*out = (int)v;
	return 0;
}

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
		size_t n;
	} jobs;                    /* background children not yet reaped */
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

/* ------------------------------------------------------------ lexer */

enum tok {
	T_EOF,
	T_WORD,
	T_NL,
	T_SEMI,
	T_AMP,
	T_PIPE,
	T_ANDIF,
	T_ORIF,
	T_LPAR,
	T_RPAR,
	T_LESS,     /* <  */
	T_GREAT,    /* >  */
	T_DGREAT,   /* >> */
	T_LESSAND,  /* <& */
	T_GREATAND, /* >& */
};

static const char *const tok_text[] = {
    [T_EOF] = "end of file", [T_NL] = "newline",  [T_SEMI] = ";",  [T_AMP] = "&",
    [T_PIPE] = "|",          [T_ANDIF] = "&&",    [T_ORIF] = "||", [T_LPAR] = "(",
    [T_RPAR] = ")",          [T_LESS] = "<",      [T_GREAT] = ">", [T_DGREAT] = ">>",
    [T_LESSAND] = "<&",      [T_GREATAND] = ">&",
};

struct parser {
	const char *s;
	size_t pos;
	int have; /* a token is buffered in tok/word/quoted/ionum */
	enum tok tok;
	char *word;     /* raw text of a T_WORD, owned until taken */
	int quoted;     /* the word contains quoting (so it is no keyword) */
	int ionum;      /* descriptor before a redirection operator, or -1 */
	int err;        /* a syntax error was found */
	int incomplete; /* ... because the input ended early */
	char msg[128];
};

static void syntax_error(struct parser *p, const char *fmt, const char *arg)
{
	if (p->err)
		return;
	p->err = 1;
	snprintf(p->msg, sizeof(p->msg), fmt, arg);
}

/* Index just past the ')' closing a "$(" whose body starts at i, or -1. */
static long scan_paren(const char *s, size_t i)
{
	int depth = 1;
	for (; s[i]; i++) {
		char c = s[i];
		if (c == '\\' && s[i + 1]) {
			i++;
		} else if (c == '\'' || c == '`') {
			while (s[++i] && s[i] != c)
				;
			if (!s[i])
				return -1;
		} else if (c == '"') {
			while (s[++i] && s[i] != '"')
				if (s[i] == '\\' && s[i + 1])
					i++;
			if (!s[i])
				return -1;
		} else if (c == '(') {
			depth++;
		} else if (c == ')' && --depth == 0) {
			return (long)i + 1;
		}
	}
	return -1;
}

/* Index just past the quote closing a '"' opened at i - 1, or -1. */
static long scan_dquote(const char *s, size_t i)
{
	for (; s[i]; i++) {
		if (s[i] == '\\' && s[i + 1]) {
			i++;
		} else if (s[i] == '"') {
			return (long)i + 1;
		} else if (s[i] == '$' && s[i + 1] == '(') {
			long e = scan_paren(s, i + 2);
			if (e < 0)
				return -1;
			i = e - 1;
		} else if (s[i] == '`') {
			while (s[++i] && s[i] != '`')
				if (s[i] == '\\' && s[i + 1])
					i++;
			if (!s[i])
				return -1;
		}
	}
	return -1;
}

/* Scans the word at p->pos; sets p->word.  Returns -1 if input ends inside quotes. */
static int lex_word(struct parser *p)
{
	const char *s = p->s;
	size_t i = p->pos;
	p->quoted = 0;
	while (s[i] && !strchr(" \t\n;&|<>()", s[i])) {
		char c = s[i];
		long end = (long)i + 1;
		if (c == '\\') {
			if (s[i + 1] == '\n' && !s[i + 2])
				return -1;
			end = s[i + 1] ? (long)i + 2 : (long)i + 1;
			p->quoted = 1;
		} else if (c == '\'') {
			const char *q = strchr(s + i + 1, '\'');
			end = q ? q - s + 1 : -1;
			p->quoted = 1;
		} else if (c == '"') {
			end = scan_dquote(s, i + 1);
			p->quoted = 1;
		} else if (c == '`') {
			end = (long)i + 1;
			while (s[end] && s[end] != '`')
				end += (s[end] == '\\' && s[end + 1]) ? 2 : 1;
			end = s[end] ? end + 1 : -1;
		} else if (c == '$' && s[i + 1] == '(') {
			end = scan_paren(s, i + 2);
		} else if (c == '$' && s[i + 1] == '{') {
			const char *q = strchr(s + i, '}');
			end = q ? q - s + 1 : -1;
		}
		if (end < 0)
			return -1;
		i = (size_t)end;
	}
	p->word = xstrndup(s + p->pos, i - p->pos);
	p->pos = i;
	return 0;
}

static void lex(struct parser *p)
{
	const char *s = p->s;
	p->ionum = -1;
	p->word = NULL;
	for (;;) {
		while (s[p->pos] == ' ' || s[p->pos] == '\t')
			p->pos++;
		if (s[p->pos] == '\\' && s[p->pos + 1] == '\n') {
			if (!s[p->pos + 2])
				goto incomplete;
			p->pos += 2;
			continue;
		}
		if (s[p->pos] == '#')
			while (s[p->pos] && s[p->pos] != '\n')
				p->pos++;
		break;
	}
	size_t i = p->pos;
	while (isdigit((unsigned char)s[i]))
		i++;
	if (i > p->pos && i - p->pos < 4 && (s[i] == '<' || s[i] == '>')) {
		p->ionum = atoi(s + p->pos);
		p->pos = i;
	}
	char c = s[p->pos], d = c ? s[p->pos + 1] : 0;
	int two = 1;
	switch (c) {
	case 0:
		p->tok = T_EOF;
		return;
	case '\n':
		p->tok = T_NL;
		break;
	case ';':
		p->tok = T_SEMI;
		break;
	case '(':
		p->tok = T_LPAR;
		break;
	case ')':
		p->tok = T_RPAR;
		break;
	case '&':
		p->tok = d == '&' ? (two = 2, T_ANDIF) : T_AMP;
		break;
	case '|':
		p->tok = d == '|' ? (two = 2, T_ORIF) : T_PIPE;
		break;
	case '<':
		p->tok = d == '&' ? (two = 2, T_LESSAND) : T_LESS;
		break;
	case '>':
		p->tok = d == '>'   ? (two = 2, T_DGREAT)
		         : d == '&' ? (two = 2, T_GREATAND)
		                    : T_GREAT;
		break;
	default:
		p->tok = T_WORD;
		if (lex_word(p) < 0)
			goto incomplete;
		return;
	}
	p->pos += two;
	return;
incomplete:
	p->tok = T_EOF;
	p->incomplete = 1;
	syntax_error(p, "%s", "unterminated quote or escape");
}

static enum tok peek(struct parser *p)
{
	if (!p->have) {
		lex(p);
		p->have = 1;
	}
	return p->tok;
}

static void advance(struct parser *p)
{
	peek(p);
	free(p->word);
	p->word = NULL;
	p->have = 0;
}

/* Takes ownership of the current word and moves on. */
static char *take_word(struct parser *p)
{
	char *w = p->word;
	p->word = NULL;
	p->have = 0;
	return w;
}

static int is_kw(struct parser *p, const char *kw)
{
	return peek(p) == T_WORD && !p->quoted && !strcmp(p->word, kw);
}

static void unexpected(struct parser *p)
{
	if (peek(p) == T_EOF) {
		p->incomplete = 1;
		syntax_error(p, "%s", "unexpected end of file");
	} else {
		syntax_error(p, "unexpected '%s'", p->tok == T_WORD ? p->word : tok_text[p->tok]);
	}
}

static void expect_kw(struct parser *p, const char *kw)
{
	if (is_kw(p, kw))
		advance(p);
	else
		unexpected(p);
}

static void skip_newlines(struct parser *p)
{
	while (peek(p) == T_NL)
		advance(p);
}

/* ------------------------------------------------------------ parser */

enum node_type {
	N_CMD,   /* simple command: assigns, words, redirs */
	N_PIPE,  /* items[0] | items[1] | ... */
	N_SEQ,   /* a ; b */
	N_AND,   /* a && b */
	N_OR,    /* a || b */
	N_NOT,   /* ! a */
	N_BG,    /* a & */
	N_SUB,   /* ( a ) */
	N_GROUP, /* { a ; } */
	N_IF,    /* if a then b else c */
	N_WHILE, /* while a do b */
	N_UNTIL, /* until a do b */
	N_FOR,   /* for var in words do b */
};

enum redir_kind { R_IN, R_OUT, R_APPEND, R_DUPIN, R_DUPOUT };

struct redir {
	enum redir_kind kind;
	int fd;
	char *word; /* raw target */
	struct redir *next;
};

struct node {
	enum node_type type;
	struct node *a, *b, *c;
	struct node **items; /* N_PIPE */
	size_t nitems;
	struct svec assigns; /* N_CMD */
	struct svec words;   /* N_CMD; N_FOR: the list (NULL v: "$@") */
	char *var;           /* N_FOR */
	struct redir *redirs;
};

static struct node *node_new(enum node_type type, struct node *a, struct node *b)
{
	struct node *n = xmalloc(sizeof(*n));
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->a = a;
	n->b = b;
	return n;
}

static void node_free(struct node *n)
{
	if (!n)
		return;
	node_free(n->a);
	node_free(n->b);
	node_free(n->c);
	for (size_t i = 0; i < n->nitems; i++)
		node_free(n->items[i]);
	free(n->items);
	sv_free(&n->assigns);
	sv_free(&n->words);
	free(n->var);
	while (n->redirs) {
		struct redir *r = n->redirs;
		n->redirs = r->next;
		free(r->word);
		free(r);
	}
	free(n);
}

static struct node *parse_list(struct parser *p);

static int is_redir_tok(enum tok t)
{
	return t >= T_LESS && t <= T_GREATAND;
}

static void parse_redir(struct parser *p, struct node *n)
{
	static const enum redir_kind kinds[] = {
	    [T_LESS] = R_IN,       [T_GREAT] = R_OUT,       [T_DGREAT] = R_APPEND,
	    [T_LESSAND] = R_DUPIN, [T_GREATAND] = R_DUPOUT,
	};
	struct redir *r = xmalloc(sizeof(*r)), **tail;
	r->kind = kinds[p->tok];
	r->fd = p->ionum >= 0 ? p->ionum : (r->kind == R_IN || r->kind == R_DUPIN) ? 0 : 1;
	r->next = NULL;
	advance(p);
	if (peek(p) != T_WORD) {
		free(r);
		unexpected(p);
		return;
	}
	r->word = take_word(p);
	for (tail = &n->redirs; *tail; tail = &(*tail)->next)
		;
	*tail = r;
}

static void parse_redirs(struct parser *p, struct node *n)
{
	while (!p->err && is_redir_tok(peek(p)))
		parse_redir(p, n);
}

static int is_assignment(const char *w)
{
	size_t n = name_len(w);
	return n > 0 && w[n] == '=';
}

static struct node *parse_simple(struct parser *p)
{
	struct node *n = node_new(N_CMD, NULL, NULL);
	while (!p->err) {
		enum tok t = peek(p);
		if (t == T_WORD) {
			struct svec *dst =
			    !n->words.n && is_assignment(p->word) ? &n->assigns : &n->words;
			sv_push(dst, take_word(p));
		} else if (is_redir_tok(t)) {
			parse_redir(p, n);
		} else {
			break;
		}
	}
	if (!p->err && !n->words.n && !n->assigns.n && !n->redirs)
		unexpected(p);
	return n;
}

/* After "if" or "elif": cond then body [elif ... | else body] fi. */
static struct node *parse_if_rest(struct parser *p)
{
	struct node *n = node_new(N_IF, parse_list(p), NULL);
	expect_kw(p, "then");
	n->b = parse_list(p);
	if (p->err)
		return n;
	if (is_kw(p, "elif")) {
		advance(p);
		n->c = parse_if_rest(p);
		return n;
	}
	if (is_kw(p, "else")) {
		advance(p);
		n->c = parse_list(p);
	}
	expect_kw(p, "fi");
	return n;
}

static struct node *parse_for(struct parser *p)
{
	struct node *n = node_new(N_FOR, NULL, NULL);
	if (peek(p) != T_WORD || name_len(p->word) != strlen(p->word)) {
		unexpected(p);
		return n;
	}
	n->var = take_word(p);
	skip_newlines(p);
	if (is_kw(p, "in")) {
		advance(p);
		sv_push(&n->words, NULL);
		n->words.n = 0;
		while (peek(p) == T_WORD)
			sv_push(&n->words, take_word(p));
		if (peek(p) != T_SEMI && peek(p) != T_NL) {
			unexpected(p);
			return n;
		}
		advance(p);
	} else if (peek(p) == T_SEMI) {
		advance(p);
	}
	skip_newlines(p);
	expect_kw(p, "do");
	n->b = parse_list(p);
	expect_kw(p, "done");
	return n;
}

static struct node *parse_command(struct parser *p)
{
	struct node *n;
	if (peek(p) == T_LPAR) {
		advance(p);
		n = node_new(N_SUB, parse_list(p), NULL);
		if (peek(p) == T_RPAR)
			advance(p);
		else
			unexpected(p);
	} else if (is_kw(p, "{")) {
		advance(p);
		n = node_new(N_GROUP, parse_list(p), NULL);
		expect_kw(p, "}");
	} else if (is_kw(p, "if")) {
		advance(p);
		n = parse_if_rest(p);
	} else if (is_kw(p, "while") || is_kw(p, "until")) {
		n = node_new(p->word[0] == 'w' ? N_WHILE : N_UNTIL, NULL, NULL);
		advance(p);
		n->a = parse_list(p);
		expect_kw(p, "do");
		n->b = parse_list(p);
		expect_kw(p, "done");
	} else if (is_kw(p, "for")) {
		advance(p);
		n = parse_for(p);
	} else {
		return parse_simple(p);
	}
	parse_redirs(p, n);
	return n;
}

static struct node *parse_pipeline(struct parser *p)
{
	int negate = 0;
	if (is_kw(p, "!")) {
		advance(p);
		negate = 1;
	}
	struct node *n = parse_command(p);
	if (!p->err && peek(p) == T_PIPE) {
		struct node *pipe = node_new(N_PIPE, NULL, NULL);
		pipe->items = xmalloc(sizeof(struct node *));
		pipe->items[pipe->nitems++] = n;
		while (!p->err && peek(p) == T_PIPE) {
			advance(p);
			skip_newlines(p);
			pipe->items =
			    xrealloc(pipe->items, (pipe->nitems + 1) * sizeof(struct node *));
			pipe->items[pipe->nitems++] = parse_command(p);
		}
		n = pipe;
	}
	return negate ? node_new(N_NOT, n, NULL) : n;
}

static struct node *parse_and_or(struct parser *p)
{
	struct node *n = parse_pipeline(p);
	while (!p->err && (peek(p) == T_ANDIF || peek(p) == T_ORIF)) {
		enum node_type type = p->tok == T_ANDIF ? N_AND : N_OR;
		advance(p);
		skip_newlines(p);
		n = node_new(type, n, parse_pipeline(p));
	}
	return n;
}

/* True at a token that ends a list: end of input, ')' or a closing keyword. */
static int at_list_end(struct parser *p)
{
	static const char *const ends[] = {"then", "else", "elif", "fi", "do", "done", "}"};
	if (peek(p) == T_EOF || p->tok == T_RPAR)
		return 1;
	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
		if (is_kw(p, ends[i]))
			return 1;
	return 0;
}

/* and_or items separated by ; & or newlines; NULL if empty. */
static struct node *parse_list(struct parser *p)
{
	struct node *list = NULL;
	skip_newlines(p);
	while (!p->err && !at_list_end(p)) {
		struct node *n = parse_and_or(p);
		int more = 1;
		if (p->err) {
			node_free(n);
			break;
		}
		if (peek(p) == T_AMP) {
			advance(p);
			n = node_new(N_BG, n, NULL);
		} else if (p->tok == T_SEMI) {
			advance(p);
		} else if (p->tok != T_NL) {
			more = 0;
		}
		list = list ? node_new(N_SEQ, list, n) : n;
		if (!more)
			break;
		skip_newlines(p);
	}
	return list;
}

/* Parses a whole input text.  On error p->err is set and NULL returned. */
static struct node *parse_program(struct parser *p, const char *text)
{
	memset(p, 0, sizeof(*p));
	p->s = text;
	struct node *n = parse_list(p);
	if (!p->err && peek(p) != T_EOF)
		unexpected(p);
	free(p->word);
	p->word = NULL;
	if (p->err) {
		node_free(n);
		return NULL;
	}
	return n;
}

/* ------------------------------------------------------------ expansion */

static int run_string(const char *text);

/*
 * Expansion state for one word.  In field mode (out != NULL) unquoted
 * expansion results are split at blanks and fields with unquoted glob
 * characters are matched against file names; otherwise everything is
 * appended to a single string.
 */
struct exp {
	struct svec *out;
	struct sbuf cur; /* the current field */
	struct sbuf pat; /* the same with quoted glob characters escaped */
	int have;        /* the field exists even if empty ("" was seen) */
	int glob;        /* the field holds an unquoted *, ? or [ */
};

static int glob_expand(const char *pattern, struct svec *out);

static void ex_text(struct exp *e, const char *s, size_t n, int quoted)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		sb_putc(&e->cur, c);
		if (quoted && strchr("*?[\\", c))
			sb_putc(&e->pat, '\\');
		sb_putc(&e->pat, c);
		if (!quoted && strchr("*?[", c))
			e->glob = 1;
	}
	if (!e->cur.s)
		sb_putn(&e->cur, "", 0);
}

static void ex_end_field(struct exp *e)
{
	if (!e->out || (!e->cur.len && !e->have))
		return;
	if (!e->glob || !glob_expand(e->pat.s, e->out))
		sv_push(e->out, xstrdup(e->cur.s ? e->cur.s : ""));
	e->cur.len = e->pat.len = 0;
	if (e->cur.s)
		e->cur.s[0] = 0;
	if (e->pat.s)
		e->pat.s[0] = 0;
	e->have = e->glob = 0;
}

/* Appends the result of an expansion: split at blanks when unquoted. */
static void ex_result(struct exp *e, const char *s, int quoted)
{
	if (quoted || !e->out) {
		ex_text(e, s, strlen(s), 1);
		return;
	}
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n')
			ex_end_field(e);
		else
			ex_text(e, s, 1, 0);
	}
}

static char *expand_str(const char *word);

/* Output of a command, trailing newlines removed. */
static char *command_output(const char *cmd)
{
	int fds[2];
	struct sbuf out = {0};
	if (pipe(fds) < 0) {
		dprintf(2, "sh: pipe: %s\n", strerror(errno));
		return xstrdup("");
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		if (fds[1] != 1) {
			dup2(fds[1], 1);
			close(fds[1]);
		}
		if (sh.interactive) {
			signal(SIGINT, SIG_DFL_H);
			signal(SIGQUIT, SIG_DFL_H);
		}
		sh.interactive = sh.job_control = 0;
		sh.jobs.n = 0;
		sh_exit(run_string(cmd));
	}
	close(fds[1]);
	char buf[512];
	ssize_t n;
	while ((n = read(fds[0], buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			sb_putn(&out, buf, (size_t)n);
	close(fds[0]);
	int ws;
	if (pid > 0) {
		while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
			;
		sh.cmdsub_status = WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : WEXITSTATUS(ws);
	} else {
		dprintf(2, "sh: fork: %s\n", strerror(errno));
	}
	while (out.len && out.s[out.len - 1] == '\n')
		out.s[--out.len] = 0;
	return sb_take(&out);
}

static char *join_params(void)
{
	struct sbuf b = {0};
	sb_putn(&b, "", 0);
	for (size_t i = 0; i < sh.params.n; i++) {
		if (i)
			sb_putc(&b, ' ');
		sb_puts(&b, sh.params.v[i]);
	}
	return sb_take(&b);
}

/* Value of a parameter (special, positional or variable) or NULL if unset. */
static char *param_get(const char *name)
{
	char num[24];
	int n;
	switch (name[0]) {
	case '?':
		snprintf(num, sizeof(num), "%d", sh.status);
		return xstrdup(num);
	case '$':
		snprintf(num, sizeof(num), "%d", (int)sh.pid);
		return xstrdup(num);
	case '#':
		snprintf(num, sizeof(num), "%zu", sh.params.n);
		return xstrdup(num);
	case '@':
	case '*':
		return join_params();
	case '-':
		return xstrdup(sh.xtrace ? (sh.errexit ? "ex" : "x") : sh.errexit ? "e" : "");
	case '!':
		if (!sh.last_bg)
			return NULL;
		snprintf(num, sizeof(num), "%d", (int)sh.last_bg);
		return xstrdup(num);
	}
	if (isdigit((unsigned char)name[0])) {
		if (parse_int(name, &n) < 0)
			return NULL;
		if (n == 0)
			return xstrdup(sh.name);
		return (size_t)n <= sh.params.n ? xstrdup(sh.params.v[n - 1]) : NULL;
	}
	const char *v = var_get(name);
	return v ? xstrdup(v) : NULL;
}

/* Length of the parameter name at s: special char, digits or identifier. */
static size_t param_len(const char *s, int braced)
{
	if (strchr("?$#@*-!", s[0]) && s[0])
		return 1;
	if (isdigit((unsigned char)s[0])) {
		size_t n = 1;
		while (braced && isdigit((unsigned char)s[n]))
			n++;
		return n;
	}
	return name_len(s);
}

/* ${...} with inner text `in`. */
static void ex_braced(struct exp *e, const char *in, int dq)
{
	char num[24];
	if (in[0] == '#' && in[1]) {
		char *v = param_get(in + 1);
		snprintf(num, sizeof(num), "%zu", v ? strlen(v) : 0);
		free(v);
		ex_result(e, num, dq);
		return;
	}
	size_t k = param_len(in, 1);
	if (!k) {
		dprintf(2, "sh: ${%s}: bad substitution\n", in);
		return;
	}
	char *name = xstrndup(in, k), *val = param_get(name), *w = NULL;
	const char *op = in + k;
	int colon = *op == ':';
	op += colon;
	int unset = !val || (colon && !*val);
	if (*op && !strchr("-=+?", *op)) {
		dprintf(2, "sh: ${%s}: bad substitution\n", in);
	} else if (!*op) {
		if (val)
			ex_result(e, val, dq);
	} else if ((*op == '-' || *op == '=') && unset) {
		w = expand_str(op + 1);
		if (*op == '=')
			var_set(name, w, 0);
		ex_result(e, w, dq);
	} else if (*op == '+') {
		if (!unset)
			ex_result(e, (w = expand_str(op + 1)), dq);
	} else if (*op == '?' && unset) {
		w = expand_str(op + 1);
		dprintf(2, "sh: %s: %s\n", name, *w ? w : "parameter not set");
		if (!sh.interactive)
			sh_exit(1);
	} else {
		ex_result(e, val, dq);
	}
	free(w);
	free(val);
	free(name);
}

/* $((...)): integer arithmetic with C operators and precedence. */
struct arith {
	const char *s;
	int err;
};

static long ar_binary(struct arith *a, int min_prec);

static void ar_skip(struct arith *a)
{
	while (isspace((unsigned char)*a->s))
		a->s++;
}

static long ar_primary(struct arith *a)
{
	ar_skip(a);
	char c = *a->s;
	if (c == '(') {
		a->s++;
		long v = ar_binary(a, 1);
		ar_skip(a);
		if (*a->s == ')')
			a->s++;
		else
			a->err = 1;
		return v;
	}
	if (c == '-' || c == '+' || c == '!' || c == '~') {
		a->s++;
		long v = ar_primary(a);
		return c == '-' ? -v : c == '!' ? !v : c == '~' ? ~v : v;
	}
	if (isdigit((unsigned char)c)) {
		char *end;
		long v = strtol(a->s, &end, 0);
		a->s = end;
		return v;
	}
	size_t n = name_len(a->s);
	if (!n) {
		a->err = 1;
		return 0;
	}
	char *name = xstrndup(a->s, n);
	const char *val = var_get(name);
	free(name);
	a->s += n;
	return val ? strtol(val, NULL, 0) : 0;
}

static long ar_binary(struct arith *a, int min_prec)
{
	static const struct {
		const char *op;
		int prec;
	} ops[] = {
	    {"||", 1}, {"&&", 2}, {"==", 6}, {"!=", 6}, {"<=", 7}, {">=", 7},
	    {"<<", 8}, {">>", 8}, {"|", 3},  {"^", 4},  {"&", 5},  {"<", 7},
	    {">", 7},  {"+", 9},  {"-", 9},  {"*", 10}, {"/", 10}, {"%", 10},
	};
	long v = ar_primary(a);
	while (!a->err) {
		size_t k, nops = sizeof(ops) / sizeof(ops[0]);
		ar_skip(a);
		for (k = 0; k < nops; k++)
			if (!strncmp(a->s, ops[k].op, strlen(ops[k].op)))
				break;
		if (k == nops || ops[k].prec < min_prec)
			break;
		const char *op = ops[k].op;
		a->s += strlen(op);
		long r = ar_binary(a, ops[k].prec + 1);
		if ((op[0] == '/' || op[0] == '%') && r == 0) {
			dprintf(2, "sh: arithmetic: division by zero\n");
			a->err = 2;
			return 0;
		}
		switch (op[0] | op[1] << 8) {
		case '|' | '|' << 8:
			v = v || r;
			break;
		case '&' | '&' << 8:
			v = v && r;
			break;
		case '=' | '=' << 8:
			v = v == r;
			break;
		case '!' | '=' << 8:
			v = v != r;
			break;
		case '<' | '=' << 8:
			v = v <= r;
			break;
		case '>' | '=' << 8:
			v = v >= r;
			break;
		case '<' | '<' << 8:
			v = v << r;
			break;
		case '>' | '>' << 8:
			v = v >> r;
			break;
		case '|':
			v = v | r;
			break;
		case '^':
			v = v ^ r;
			break;
		case '&':
			v = v & r;
			break;
		case '<':
			v = v < r;
			break;
		case '>':
			v = v > r;
			break;
		case '+':
			v = v + r;
			break;
		case '-':
			v = v - r;
			break;
		case '*':
			v = v * r;
			break;
		case '/':
			v = v / r;
			break;
		default:
			v = v % r;
			break;
		}
	}
	return v;
}

/* Evaluates an (already expanded) arithmetic expression into buf. */
static void arith_eval(const char *expr, char *buf, size_t n)
{
	struct arith a = {expr, 0};
	long v = ar_binary(&a, 1);
	ar_skip(&a);
	if (!a.err && *a.s)
		a.err = 1;
	if (a.err == 1)
		dprintf(2, "sh: arithmetic: syntax error in '%s'\n", expr);
	snprintf(buf, n, "%ld", a.err ? 0L : v);
}

/* Expands the $ construct at w[i]; returns the index after it. */
static size_t ex_dollar(struct exp *e, const char *w, size_t i, int dq)
{
	const char *s = w + i + 1;
	if (s[0] == '(' && s[1] == '(') {
		long end = scan_paren(w, i + 2);
		if (end > 0 && w[end - 2] == ')') {
			char *raw = xstrndup(s + 2, (size_t)end - 2 - (i + 3));
			char *expr = expand_str(raw), num[24];
			arith_eval(expr, num, sizeof(num));
			ex_result(e, num, dq);
			free(raw);
			free(expr);
			return (size_t)end;
		}
	}
	if (s[0] == '(') {
		long end = scan_paren(w, i + 2);
		if (end < 0) {
			ex_text(e, "$", 1, 1);
			return i + 1;
		}
		char *cmd = xstrndup(s + 1, (size_t)end - 1 - (i + 2));
		char *out = command_output(cmd);
		ex_result(e, out, dq);
		free(cmd);
		free(out);
		return (size_t)end;
	}
	if (s[0] == '{') {
		const char *close = strchr(s, '}');
		if (!close) {
			ex_text(e, "$", 1, 1);
			return i + 1;
		}
		char *in = xstrndup(s + 1, close - s - 1);
		ex_braced(e, in, dq);
		free(in);
		return (size_t)(close - w) + 1;
	}
	if (s[0] == '@' && dq && e->out) {
		for (size_t k = 0; k < sh.params.n; k++) {
			if (k) {
				e->have = 1;
				ex_end_field(e);
			}
			ex_text(e, sh.params.v[k], strlen(sh.params.v[k]), 1);
		}
		return i + 2;
	}
	size_t k = param_len(s, 0);
	if (!k) {
		ex_text(e, "$", 1, 1);
		return i + 1;
	}
	char *name = xstrndup(s, k), *val = param_get(name);
	if (val)
		ex_result(e, val, dq);
	free(val);
	free(name);
	return i + 1 + k;
}

/* `command` at w[i]; returns the index after the closing backquote. */
static size_t ex_backquote(struct exp *e, const char *w, size_t i, int dq)
{
	struct sbuf cmd = {0};
	size_t j = i + 1;
	sb_putn(&cmd, "", 0);
	for (; w[j] && w[j] != '`'; j++) {
		if (w[j] == '\\' && strchr("$`\\", w[j + 1]) && w[j + 1])
			j++;
		sb_putc(&cmd, w[j]);
	}
	char *out = command_output(cmd.s);
	ex_result(e, out, dq);
	free(out);
	free(cmd.s);
	return w[j] ? j + 1 : j;
}

static void ex_word(struct exp *e, const char *w)
{
	size_t i = 0;
	int dq = 0;
	if (w[0] == '~' && (w[1] == '/' || !w[1])) {
		const char *home = var_get("HOME");
		ex_text(e, home ? home : "~", strlen(home ? home : "~"), 1);
		i = 1;
	}
	while (w[i]) {
		char c = w[i];
		if (c == '\'' && !dq) {
			size_t j = i + 1;
			while (w[j] && w[j] != '\'')
				j++;
			ex_text(e, w + i + 1, j - i - 1, 1);
			e->have = 1;
			i = w[j] ? j + 1 : j;
		} else if (c == '"') {
			if (!dq && !strncmp(w + i, "\"$@\"", 4) && !sh.params.n && e->out) {
				i += 4; /* "$@" with no parameters is no field at all */
				continue;
			}
			dq = !dq;
			e->have = 1;
			i++;
		} else if (c == '\\') {
			char n = w[i + 1];
			if (n == '\n') {
				i += 2;
			} else if (!n || (dq && !strchr("$`\"\\", n))) {
				ex_text(e, "\\", 1, 1);
				i++;
			} else {
				ex_text(e, &w[i + 1], 1, 1);
				i += 2;
			}
		} else if (c == '$') {
			i = ex_dollar(e, w, i, dq);
		} else if (c == '`') {
			i = ex_backquote(e, w, i, dq);
		} else {
			ex_text(e, &c, 1, dq);
			i++;
		}
	}
}

/* Expands a word to one string: no field splitting, no globbing. */
static char *expand_str(const char *word)
{
	struct exp e = {0};
	ex_word(&e, word);
	free(e.pat.s);
	return sb_take(&e.cur);
}

/* Expands a word into zero or more fields appended to out. */
static void expand_fields(const char *word, struct svec *out)
{
	struct exp e = {0};
	e.out = out;
	ex_word(&e, word);
	ex_end_field(&e);
	free(e.cur.s);
	free(e.pat.s);
}

/* [...] at *pp against c: 1 match, 0 no match, -1 not a class. Moves *pp to ']'. */
static int glob_class(const char **pp, char c)
{
	const char *p = *pp + 1;
	int neg = 0, match = 0;
	if (*p == '!' || *p == '^') {
		neg = 1;
		p++;
	}
	const char *start = p;
	for (; *p && (*p != ']' || p == start); p++) {
		char lo = *p, hi = *p;
		if (p[1] == '-' && p[2] && p[2] != ']') {
			hi = p[2];
			p += 2;
		}
		if (c >= lo && c <= hi)
			match = 1;
	}
	if (!*p)
		return -1;
	*pp = p;
	return match != neg;
}

/* Shell pattern match; backslash quotes the next pattern character. */
static int glob_match(const char *p, const char *s)
{
	for (;; p++, s++) {
		switch (*p) {
		case 0:
			return !*s;
		case '*':
			while (p[1] == '*')
				p++;
			for (;; s++) {
				if (glob_match(p + 1, s))
					return 1;
				if (!*s)
					return 0;
			}
		case '?':
			if (!*s)
				return 0;
			break;
		case '[': {
			int r = *s ? glob_class(&p, *s) : 0;
			if (r == 0)
				return 0;
			if (r < 0 && *s != '[')
				return 0;
			break;
		}
		case '\\':
			if (p[1])
				p++;
			/* fall through */
		default:
			if (*p != *s)
				return 0;
		}
	}
}

static int has_meta(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\\')
			i++;
		else if (strchr("*?[", p[i]))
			return 1;
	}
	return 0;
}

/* Matches pattern components `rest` below directory `prefix` ("" or ".../"). */
static void glob_walk(const char *prefix, const char *rest, struct svec *res)
{
	struct stat st;
	if (!*rest) {
		if (stat(prefix, &st) == 0 && S_ISDIR(st.mode))
			sv_push(res, xstrdup(prefix));
		return;
	}
	const char *slash = strchr(rest, '/');
	size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
	char *comp = xstrndup(rest, n);
	const char *next = slash ? slash + 1 : NULL;
	while (next && *next == '/')
		next++;
	struct sbuf path = {0};
	if (!has_meta(comp, n)) {
		sb_puts(&path, prefix);
		for (size_t i = 0; i < n; i++) {
			if (comp[i] == '\\' && comp[i + 1])
				i++;
			sb_putc(&path, comp[i]);
		}
		if (next) {
			sb_putc(&path, '/');
			glob_walk(path.s, next, res);
		} else if (lstat(path.s, &st) == 0) {
			sv_push(res, xstrdup(path.s));
		}
	} else {
		DIR *d = opendir(*prefix ? prefix : ".");
		struct dirent *de;
		while (d && (de = readdir(d))) {
			const char *name = de->d_name;
			if (!strcmp(name, ".") || !strcmp(name, ".."))
				continue;
			if (name[0] == '.' && comp[0] != '.')
				continue;
			if (!glob_match(comp, name))
				continue;
			path.len = 0;
			sb_puts(&path, prefix);
			sb_puts(&path, name);
			if (next) {
				sb_putc(&path, '/');
				glob_walk(path.s, next, res);
			} else {
				sv_push(res, xstrdup(path.s));
			}
		}
		if (d)
			closedir(d);
	}
	free(path.s);
	free(comp);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the sorted file names matching pattern; returns their count. */
static int glob_expand(const char *pattern, struct svec *out)
{
	struct svec res = {0};
	if (pattern[0] == '/')
		glob_walk("/", pattern + 1, &res);
	else
		glob_walk("", pattern, &res);
	if (res.n)
		qsort(res.v, res.n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < res.n; i++)
		sv_push(out, res.v[i]);
	free(res.v);
	return (int)res.n;
}

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

/* Applies redirections, saving the old descriptors in sv if not NULL. */
static int apply_redirs(struct redir *r, struct saved *sv)
{
	for (; r; r = r->next) {
		char *target = expand_str(r->word);
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

/* Waits for a foreground job; returns the status of its last process. */
static int wait_fg(pid_t *pids, size_t n)
{
	int status = 0, ws;
	for (size_t i = 0; i < n; i++) {
		if (pids[i] <= 0)
			continue;
		pid_t r;
		while ((r = waitpid(pids[i], &ws, 0)) < 0 && errno == EINTR)
			;
		if (i == n - 1)
			status = r < 0 ? 127 : wait_status(ws);
	}
	if (sh.job_control && status == 128 + SIGINT)
		write(2, "\n", 1);
	if (sh.job_control)
		tcsetpgrp(0, sh.pgid);
	return status;
}

static void job_add(pid_t pid)
{
	sh.jobs.v = xrealloc(sh.jobs.v, (sh.jobs.n + 1) * sizeof(pid_t));
	sh.jobs.v[sh.jobs.n++] = pid;
}

static void job_remove(size_t i)
{
	sh.jobs.v[i] = sh.jobs.v[--sh.jobs.n];
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
    {"break", bi_break},   {"continue", bi_continue},
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
		setpgid(0, 0);
		sh.pgid = getpgrp();
		tcsetpgrp(0, sh.pgid);
	}
	sh_exit(run_input(&in));
}
