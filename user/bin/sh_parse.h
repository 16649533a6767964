/*
 * sh_parse.h: the shell's lexer and recursive-descent parser.
 *
 * parse_program() turns a complete input text into a tree of struct node;
 * words stay raw (quotes included) and are expanded only when run.  When
 * the text ends inside a construct, the parser reports it as incomplete
 * so that the caller can read another line and try again.
 *
 * Grammar:
 *   list     := and_or ((';' | '&' | newline) and_or)*
 *   and_or   := pipeline (('&&' | '||') pipeline)*
 *   pipeline := ['!'] command ('|' command)*
 *   command  := simple | '(' list ')' | '{' list '}' | if | while | until | for
 *               (compound commands may be followed by redirections)
 *   simple   := (NAME=value)* (word | redirection)*
 *
 * Part of the shell: included once by sh.c (each user/bin C file is its own
 * program), so these are static definitions, not a library interface.
 */
#ifndef SH_PARSE_H
#define SH_PARSE_H

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
	T_DLESS,    /* << and <<- */
};

static const char *const tok_text[] = {
    [T_EOF] = "end of file", [T_NL] = "newline",  [T_SEMI] = ";",   [T_AMP] = "&",
    [T_PIPE] = "|",          [T_ANDIF] = "&&",    [T_ORIF] = "||",  [T_LPAR] = "(",
    [T_RPAR] = ")",          [T_LESS] = "<",      [T_GREAT] = ">",  [T_DGREAT] = ">>",
    [T_LESSAND] = "<&",      [T_GREATAND] = ">&", [T_DLESS] = "<<",
};

struct redir;

struct parser {
	const char *s;
	size_t pos;
	int have; /* a token is buffered in tok/word/quoted/ionum */
	enum tok tok;
	char *word;              /* raw text of a T_WORD, owned until taken */
	int quoted;              /* the word contains quoting (so it is no keyword) */
	int ionum;               /* descriptor before a redirection operator, or -1 */
	int err;                 /* a syntax error was found */
	int incomplete;          /* ... because the input ended early */
	int strip_tabs;          /* the T_DLESS is <<- */
	struct redir **heredocs; /* here-documents whose body follows the next newline */
	size_t nheredocs;
	char msg[128];
};

static int read_heredocs(struct parser *p);

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
		p->tok = d == '&' ? (two = 2, T_LESSAND) : d == '<' ? (two = 2, T_DLESS) : T_LESS;
		p->strip_tabs = d == '<' && s[p->pos + 2] == '-';
		two += p->strip_tabs;
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
	if (p->tok == T_NL && p->nheredocs && read_heredocs(p) < 0)
		goto incomplete;
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

enum redir_kind { R_IN, R_OUT, R_APPEND, R_DUPIN, R_DUPOUT, R_HEREDOC };

struct redir {
	enum redir_kind kind;
	int fd;
	char *word; /* raw target; R_HEREDOC: the body */
	int quoted; /* R_HEREDOC: delimiter was quoted, no expansion in the body */
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
	return t >= T_LESS && t <= T_DLESS;
}

static void parse_redir(struct parser *p, struct node *n)
{
	static const enum redir_kind kinds[] = {
	    [T_LESS] = R_IN,       [T_GREAT] = R_OUT,       [T_DGREAT] = R_APPEND,
	    [T_LESSAND] = R_DUPIN, [T_GREATAND] = R_DUPOUT, [T_DLESS] = R_HEREDOC,
	};
	struct redir *r = xmalloc(sizeof(*r)), **tail;
	r->kind = kinds[p->tok];
	r->fd = p->ionum >= 0                                                     ? p->ionum
	        : (r->kind == R_IN || r->kind == R_DUPIN || r->kind == R_HEREDOC) ? 0
	                                                                          : 1;
	r->next = NULL;
	r->quoted = p->strip_tabs; /* remembered until the delimiter is read */
	advance(p);
	if (peek(p) != T_WORD) {
		free(r);
		unexpected(p);
		return;
	}
	r->word = take_word(p);
	if (r->kind == R_HEREDOC) {
		int strip = r->quoted;
		r->quoted = strcspn(r->word, "'\"\\") != strlen(r->word);
		/* the delimiter, unquoted, followed by a tab-stripping flag */
		struct sbuf d = {0};
		for (const char *c = r->word; *c; c++)
			if (!strchr("'\"\\", *c))
				sb_putc(&d, *c);
		sb_putc(&d, 0);
		sb_putc(&d, (char)('0' + strip));
		free(r->word);
		r->word = d.s;
		p->heredocs = xrealloc(p->heredocs, (p->nheredocs + 1) * sizeof(r));
		p->heredocs[p->nheredocs++] = r;
	}
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

/*
 * Reads the bodies of the pending here-documents from the lines after the
 * newline just lexed; each r->word changes from delimiter to body.
 * Returns -1 if the input ends first.
 */
static int read_heredocs(struct parser *p)
{
	for (size_t i = 0; i < p->nheredocs; i++) {
		struct redir *r = p->heredocs[i];
		const char *delim = r->word;
		int strip = delim[strlen(delim) + 1] == '1';
		struct sbuf body = {0};
		sb_putn(&body, "", 0);
		for (;;) {
			const char *line = p->s + p->pos;
			if (!*line) {
				free(body.s);
				return -1;
			}
			size_t n = strcspn(line, "\n");
			p->pos += n + (line[n] == '\n');
			while (strip && *line == '\t')
				line++, n--;
			if (n == strlen(delim) && !strncmp(line, delim, n))
				break;
			sb_putn(&body, line, n);
			sb_putc(&body, '\n');
		}
		free(r->word);
		r->word = body.s;
	}
	p->nheredocs = 0;
	return 0;
}

/* Parses a whole input text.  On error p->err is set and NULL returned. */
static struct node *parse_program(struct parser *p, const char *text)
{
	memset(p, 0, sizeof(*p));
	p->s = text;
	struct node *n = parse_list(p);
	if (!p->err && peek(p) != T_EOF)
		unexpected(p);
	if (!p->err && p->nheredocs) {
		p->incomplete = 1;
		syntax_error(p, "%s", "here-document without a body");
	}
	free(p->heredocs);
	free(p->word);
	p->word = NULL;
	if (p->err) {
		node_free(n);
		return NULL;
	}
	return n;
}

#endif
