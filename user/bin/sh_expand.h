/*
 * sh_expand.h: word expansion: quote removal, parameters and variables,
 * command substitution, arithmetic, tilde, field splitting and globbing.
 *
 * expand_str() gives one string (assignments, redirection targets);
 * expand_fields() gives the fields of a command word.
 *
 * Part of the shell: included once by sh.c (each user/bin C file is its own
 * program), so these are static definitions, not a library interface.
 */
#ifndef SH_EXPAND_H
#define SH_EXPAND_H

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
	int heredoc;     /* here-document body: like "...", but " is plain text */
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
	int dq = e->heredoc;
	if (!dq && w[0] == '~' && (w[1] == '/' || !w[1])) {
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
		} else if (c == '"' && !e->heredoc) {
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

/* Expands $, ` and \ in a here-document body. */
static char *expand_heredoc(const char *body)
{
	struct exp e = {0};
	e.heredoc = 1;
	ex_word(&e, body);
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

#endif
