// SPDX-License-Identifier: MIT
/*
 * BTF -> C, the way libbpf's btf_dump.c (tools/lib/bpf/btf_dump.c) writes a
 * vmlinux.h, so that `clang -target bpf` compiles what we write:
 *
 * - Order.  C wants a struct complete before it is used by value (a member,
 *   an array element) and only declared before it is used through a
 *   pointer.  need() walks a type's declarator: a pointer makes what it
 *   points at "weak" (a forward declaration "struct x;" is enough), an
 *   array or a member keeps it "strong" (the definition must come first).
 *   A named struct is written once, after everything it needs strongly; an
 *   anonymous one is written inline where it is used.
 * - Names.  BTF may hold two types with one name (two "struct foo" of two
 *   compilation units of the kernel); C may not.  As libbpf does, the
 *   second to be written becomes foo___2, the third foo___3: tags (struct,
 *   union, enum) in one namespace, typedefs and enumerators in another.
 * - Layout.  Members are written in order, bitfields with their width; a
 *   gap the compiler would not leave is filled with unnamed bitfields
 *   ("long: 64;") and a struct that is not naturally aligned is packed, so
 *   that offsets match the BTF's (btf_dump_emit_bit_padding()).
 * - CO-RE.  Every struct and union is preserve_access_index (the pragma
 *   bpftool writes): clang records each field access by name in .BTF.ext
 *   and the loader moves it to the running kernel's offset.  So a struct
 *   cut down to the fields a program reads works on any kernel that has
 *   those fields: its own offsets and size are never used.
 *
 * Names are checked to be C identifiers before they are written: the BTF
 * may come from anywhere.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "btf_c.h"

/* Deeper than any real declarator or chain of structs by value: a loop. */
#define MAX_DEPTH 256

/* A growable string. */
struct sbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

/*
 * Ten times a vmlinux.h: what claims more is BTF written to blow up (an
 * anonymous struct nested in itself, shared at every level).
 */
#define MAX_TEXT (64u << 20)

static void sb_grow(struct sbuf *sb, size_t more)
{
	size_t cap = sb->cap ? sb->cap : 64;
	char *s;

	if (sb->oom)
		return;
	if (more > MAX_TEXT || sb->len + more > MAX_TEXT) {
		sb->oom = true;
		return;
	}
	while (cap < sb->len + more + 1)
		cap *= 2;
	if (cap == sb->cap)
		return;
	s = realloc(sb->s, cap);
	if (!s) {
		sb->oom = true;
		return;
	}
	if (!sb->s)
		s[0] = '\0';
	sb->s = s;
	sb->cap = cap;
}

static void sb_put(struct sbuf *sb, const char *s)
{
	size_t n = strlen(s);

	sb_grow(sb, n);
	if (sb->oom)
		return;
	memcpy(sb->s + sb->len, s, n + 1);
	sb->len += n;
}

__attribute__((format(printf, 2, 3))) static void sb_printf(struct sbuf *sb, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = fmt_v(NULL, 0, f, ap);
	va_end(ap);
	if (n < 0)
		return;
	sb_grow(sb, n);
	if (sb->oom)
		return;
	va_start(ap, f);
	fmt_v(sb->s + sb->len, n + 1, f, ap);
	va_end(ap);
	sb->len += n;
}

static void sb_prepend(struct sbuf *sb, const char *s)
{
	size_t n = strlen(s);

	sb_grow(sb, n);
	if (sb->oom)
		return;
	memmove(sb->s + n, sb->s, sb->len + 1);
	memcpy(sb->s, s, n);
	sb->len += n;
}

static void sb_indent(struct sbuf *sb, int lvl)
{
	while (lvl-- > 0)
		sb_put(sb, "\t");
}

/* How often a name was given out: open addressing, grown at half full. */
struct name_cnt {
	const char *name;
	size_t cnt;
};

struct names {
	struct name_cnt *tab;
	size_t cap, used;
};

static size_t name_hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

/* One more use of name: how many there are now, or 0 out of memory. */
static size_t names_bump(struct names *n, const char *name)
{
	size_t i;

	if (2 * (n->used + 1) > n->cap) {
		size_t cap = n->cap ? n->cap * 2 : 1024;
		struct name_cnt *tab = calloc(cap, sizeof(*tab));

		if (!tab)
			return 0;
		for (i = 0; i < n->cap; i++) {
			size_t j;

			if (!n->tab[i].name)
				continue;
			for (j = name_hash(n->tab[i].name) & (cap - 1); tab[j].name;
			     j = (j + 1) & (cap - 1))
				;
			tab[j] = n->tab[i];
		}
		free(n->tab);
		n->tab = tab;
		n->cap = cap;
	}
	for (i = name_hash(name) & (n->cap - 1); n->tab[i].name; i = (i + 1) & (n->cap - 1))
		if (!strcmp(n->tab[i].name, name))
			return ++n->tab[i].cnt;
	n->tab[i].name = name;
	n->used++;
	return n->tab[i].cnt = 1;
}

/* What has been written of a type. */
enum {
	DECLARED = 1, /* "struct x;" */
	DONE = 2,     /* its definition */
	BUSY = 4,     /* its definition is waiting for what it needs */
	USED = 8,     /* another type refers to it */
};

/* A member of a cut-down struct, maybe from inside an anonymous one. */
struct pick {
	const struct btf_member *m;
	unsigned long long bit_off;
	__u32 bits; /* bitfield width, 0 for none */
};

struct picks {
	struct pick *v;
	size_t n;
};

struct dumper {
	const struct btf *b;
	struct diag *d;
	struct sbuf out;
	__u32 n;
	unsigned char *state;
	char **names;	      /* the name given to each type, once written */
	signed char *align;   /* alignment of each type, 0 while unknown */
	struct picks *picks;  /* cut-down structs' members; v NULL: all */
	size_t *seen, search; /* the anonymous structs one find_member() saw */
	struct names tags, idents;
	__u32 cont;   /* the named struct whose members are being needed */
	bool records; /* a struct or union was written */
	int depth;
	int err;
};

static int fail(struct dumper *dp, int err, const char *what, __u32 id)
{
	if (!dp->err)
		dp->err = diag(dp->d, err, "btf: type %u: %s", id, what);
	return dp->err;
}

/* Whether to stop writing: an error, or a text grown past MAX_TEXT. */
static bool stop(struct dumper *dp, const struct sbuf *sb)
{
	if (sb->oom && !dp->err)
		dp->err = diag(dp->d, -E2BIG, "btf: out of memory, or over %u MiB of C",
			       MAX_TEXT >> 20);
	return dp->err != 0;
}

static bool is_ident(const char *s, bool spaces)
{
	if (!s || !*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || (spaces && *s == ' ')))
			return false;
	return true;
}

static const struct btf_type *type_of(struct dumper *dp, __u32 id)
{
	const struct btf_type *t = btf_type_by_id(dp->b, id);

	if (!t)
		fail(dp, -EINVAL, "refers to a type that does not exist", id);
	return t;
}

static int kind(const struct btf_type *t)
{
	return BTF_INFO_KIND(t->info);
}

static const struct btf_member *members(const struct btf_type *t)
{
	return (const void *)(t + 1);
}

static __u32 member_bit_off(const struct btf_type *t, const struct btf_member *m)
{
	return BTF_INFO_KFLAG(t->info) ? BTF_MEMBER_BIT_OFFSET(m->offset) : m->offset;
}

/* A member's bitfield width: in the offset (kflag), or in an INT's bits. */
static __u32 member_bits(struct dumper *dp, const struct btf_type *t, const struct btf_member *m)
{
	const struct btf_type *mt;
	__u32 enc;

	if (BTF_INFO_KFLAG(t->info))
		return BTF_MEMBER_BITFIELD_SIZE(m->offset);
	mt = btf_skip_mods(dp->b, m->type, NULL);
	if (!mt || kind(mt) != BTF_KIND_INT)
		return 0;
	enc = *(const __u32 *)(mt + 1);
	return BTF_INT_BITS(enc) != mt->size * 8 ? BTF_INT_BITS(enc) : 0;
}

static const char *raw_name(struct dumper *dp, const struct btf_type *t)
{
	return t->name_off ? btf_name(dp->b, t->name_off) : NULL;
}

/*
 * The name type id is written under: its own, or with ___N when another
 * type took it first in the same C namespace.  "" for an anonymous type.
 */
static const char *type_name(struct dumper *dp, __u32 id)
{
	const struct btf_type *t = btf_type_by_id(dp->b, id);
	const char *name;
	size_t cnt;

	if (dp->names[id])
		return dp->names[id];
	name = raw_name(dp, t);
	if (!name || !*name)
		return "";
	if (!is_ident(name, false)) {
		fail(dp, -EINVAL, "name is not a C identifier", id);
		return "";
	}
	cnt = names_bump(kind(t) == BTF_KIND_TYPEDEF ? &dp->idents : &dp->tags, name);
	if (!cnt) {
		fail(dp, -ENOMEM, "out of memory", id);
		return "";
	}
	dp->names[id] = malloc(strlen(name) + 24);
	if (dp->names[id])
		fmt(dp->names[id], strlen(name) + 24, cnt == 1 ? "%s" : "%s___%zu", name, cnt);
	if (!dp->names[id]) {
		fail(dp, -ENOMEM, "out of memory", id);
		return "";
	}
	return dp->names[id];
}

static void mark(struct dumper *dp, __u32 id)
{
	if (id <= dp->n)
		dp->state[id] |= USED;
}

/* Marks each type another type refers to (btf_dump_mark_referenced()). */
static void mark_used(struct dumper *dp)
{
	for (__u32 id = 1; id <= dp->n; id++) {
		const struct btf_type *t = btf_type_by_id(dp->b, id);
		const struct btf_param *p = (const void *)(t + 1);

		switch (kind(t)) {
		case BTF_KIND_PTR:
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_CONST:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
		case BTF_KIND_VAR: mark(dp, t->type); break;
		case BTF_KIND_ARRAY: mark(dp, ((const struct btf_array *)(t + 1))->type); break;
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			for (__u32 i = 0; i < BTF_INFO_VLEN(t->info); i++)
				mark(dp, members(t)[i].type);
			break;
		case BTF_KIND_FUNC_PROTO:
			mark(dp, t->type);
			for (__u32 i = 0; i < BTF_INFO_VLEN(t->info); i++)
				mark(dp, p[i].type);
			break;
		default: break;
		}
	}
}

static bool is_builtin(const char *name)
{
	return name && !strcmp(name, "__builtin_va_list");
}

static bool is_struct(const struct btf_type *t)
{
	return kind(t) == BTF_KIND_STRUCT || kind(t) == BTF_KIND_UNION;
}

/* Alignment of a type as the BPF target lays it out (btf__align_of()). */
static int align_of(struct dumper *dp, __u32 id, int depth)
{
	const struct btf_type *t = btf_type_by_id(dp->b, id);
	int a = 1;

	if (!t || depth > MAX_DEPTH)
		return 1;
	if (dp->align[id])
		return dp->align[id];
	switch (kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT: a = t->size < 8 ? (t->size ? (int)t->size : 1) : 8; break;
	case BTF_KIND_PTR: a = 8; break;
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG: a = align_of(dp, t->type, depth + 1); break;
	case BTF_KIND_ARRAY:
		a = align_of(dp, ((const struct btf_array *)(t + 1))->type, depth + 1);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		for (__u32 i = 0; i < BTF_INFO_VLEN(t->info); i++) {
			const struct btf_member *m = &members(t)[i];
			int ma = align_of(dp, m->type, depth + 1);

			/* A member off its natural alignment: the struct is packed. */
			if (!member_bits(dp, t, m) && member_bit_off(t, m) % (8 * ma)) {
				a = 1;
				goto out;
			}
			if (ma > a)
				a = ma;
		}
		if (t->size % a)
			a = 1;
		break;
	default: break;
	}
out:
	dp->align[id] = (signed char)a;
	return a;
}

/* btf_is_struct_packed(): a member or the size off the natural alignment. */
static bool is_packed(struct dumper *dp, const struct btf_type *t)
{
	int max = 1;

	for (__u32 i = 0; i < BTF_INFO_VLEN(t->info); i++) {
		const struct btf_member *m = &members(t)[i];
		int a = align_of(dp, m->type, 0);

		if (!member_bits(dp, t, m) && member_bit_off(t, m) % (8 * a))
			return true;
		if (a > max)
			max = a;
	}
	return t->size % max != 0;
}

static int need(struct dumper *dp, __u32 id, bool strong);
static void emit_def(struct dumper *dp, __u32 id);

/* What every member of a struct needs, or of its picked members. */
static int need_members(struct dumper *dp, __u32 id, const struct btf_type *t)
{
	const struct picks *p = &dp->picks[id];

	if (p->v) {
		for (size_t i = 0; i < p->n; i++)
			if (need(dp, p->v[i].m->type, true))
				return dp->err;
		return 0;
	}
	for (__u32 i = 0; i < BTF_INFO_VLEN(t->info); i++)
		if (need(dp, members(t)[i].type, true))
			return dp->err;
	return 0;
}

static void emit_fwd(struct dumper *dp, __u32 id, const struct btf_type *t)
{
	bool is_union =
		kind(t) == BTF_KIND_UNION || (kind(t) == BTF_KIND_FWD && BTF_INFO_KFLAG(t->info));
	const char *name = type_name(dp, id);

	sb_printf(&dp->out, "%s %s;\n\n", is_union ? "union" : "struct", name);
	dp->state[id] |= DECLARED;
}

/*
 * Makes type id usable in a declaration written next: declared when weak
 * (behind a pointer), complete when strong, with what it needs first.
 */
static int need(struct dumper *dp, __u32 id, bool strong)
{
	const struct btf_type *t;
	__u32 cont;
	int err = 0;

	if (!id)
		return 0;
	t = type_of(dp, id);
	if (!t)
		return dp->err;
	if (++dp->depth > MAX_DEPTH) {
		dp->depth--;
		return fail(dp, -ELOOP, "types nested too deep, or a loop", id);
	}
	switch (kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT: break;
	case BTF_KIND_PTR: err = need(dp, t->type, false); break;
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG: err = need(dp, t->type, strong); break;
	case BTF_KIND_ARRAY: err = need(dp, ((const struct btf_array *)(t + 1))->type, true); break;
	case BTF_KIND_FUNC_PROTO: {
		const struct btf_param *p = (const void *)(t + 1);

		err = need(dp, t->type, false);
		for (__u32 i = 0; !err && i < BTF_INFO_VLEN(t->info); i++)
			err = need(dp, p[i].type, false);
		break;
	}
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (t->name_off && !(dp->state[id] & DONE)) {
			dp->state[id] |= DONE;
			emit_def(dp, id);
		}
		break;
	case BTF_KIND_FWD:
		if (!(dp->state[id] & (DECLARED | DONE)))
			emit_fwd(dp, id, t);
		break;
	case BTF_KIND_FUNC:
		/* A kernel function, named as a root: a kfunc to call. */
		err = need(dp, t->type, false);
		if (!err && !(dp->state[id] & DONE)) {
			dp->state[id] |= DONE;
			emit_def(dp, id);
		}
		break;
	case BTF_KIND_TYPEDEF:
		/* A compiler's built-in: never declared again. */
		if (is_builtin(raw_name(dp, t)))
			break;
		if (dp->state[id] & DONE) {
			if (strong)
				err = need(dp, t->type, true);
			break;
		}
		/*
		 * Met again behind a pointer while its struct is being
		 * completed ("typedef struct x x_t;", struct x holding an
		 * x_t *): the typedef goes first, it needs struct x declared
		 * only.
		 */
		if (dp->state[id] & BUSY) {
			if (strong) {
				err = fail(dp, -ELOOP, "typedef contains itself", id);
				break;
			}
			cont = dp->cont;
			dp->cont = 0;
			err = need(dp, t->type, false);
			dp->cont = cont;
			if (!err) {
				dp->state[id] |= DONE;
				emit_def(dp, id);
			}
			break;
		}
		dp->state[id] |= BUSY;
		cont = dp->cont;
		dp->cont = 0;
		err = need(dp, t->type, strong);
		dp->cont = cont;
		dp->state[id] &= ~BUSY;
		if (!err && !(dp->state[id] & DONE)) {
			dp->state[id] |= DONE;
			emit_def(dp, id);
		}
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (!t->name_off) {
			/*
			 * Written inline, whole: what its members need, first,
			 * once (BTF dedup shares one among identical ones).
			 */
			if (!(dp->state[id] & DONE)) {
				err = need_members(dp, id, t);
				if (!err)
					dp->state[id] |= DONE;
			}
			break;
		}
		if (dp->state[id] & DONE)
			break;
		if (!strong) {
			/* Inside its own definition, its tag is declared already. */
			if (!(dp->state[id] & DECLARED) && dp->cont != id)
				emit_fwd(dp, id, t);
			break;
		}
		if (dp->state[id] & BUSY) {
			err = fail(dp, -ELOOP, "struct contains itself", id);
			break;
		}
		dp->state[id] |= BUSY;
		cont = dp->cont;
		dp->cont = id;
		err = need_members(dp, id, t);
		dp->cont = cont;
		dp->state[id] &= ~BUSY;
		if (!err) {
			dp->state[id] |= DONE;
			emit_def(dp, id);
		}
		break;
	default: err = fail(dp, -EINVAL, "is not a kind a C type can be made of", id);
	}
	dp->depth--;
	return err ? err : dp->err;
}

static void emit_body(struct sbuf *sb, struct dumper *dp, __u32 id, const struct btf_type *t,
		      int lvl);
static void emit_enum(struct sbuf *sb, struct dumper *dp, __u32 id, const struct btf_type *t,
		      int lvl);

/*
 * Qualifiers met on the way to a pointer or the base, the last met first
 * (as bpftool writes them); on an array they are its elements' (C11
 * 6.7.3p9), so they carry on through it.
 */
static void add_qual(char *quals, const char *q)
{
	size_t n = strlen(q);

	if (strstr(quals, q))
		return;
	memmove(quals + n, quals, strlen(quals) + 1);
	memcpy(quals, q, n);
}

/*
 * The declarator of type id named name ("*p", "(*fn)(int)", "a[4]") into
 * decl, and what it is declared of (the base: int, struct x, an inline
 * anonymous struct) into sb before it.
 */
static void emit_decl(struct sbuf *sb, struct dumper *dp, __u32 id, const char *name, int lvl)
{
	struct sbuf decl = { 0 };
	char quals[sizeof("const volatile restrict ")] = "";
	const struct btf_type *t;
	int depth = 0;

	if (stop(dp, sb))
		return;
	sb_put(&decl, name);
	for (;; depth++) {
		if (depth > MAX_DEPTH) {
			fail(dp, -ELOOP, "declarator nested too deep, or a loop", id);
			break;
		}
		t = id ? type_of(dp, id) : NULL;
		if (!t)
			break;
		switch (kind(t)) {
		case BTF_KIND_PTR:
			/* "* const p": the qualifiers of the pointer itself. */
			if (*quals) {
				bool unnamed = !decl.len;

				sb_prepend(&decl, quals);
				sb_prepend(&decl, " ");
				if (unnamed && !decl.oom)
					decl.s[--decl.len] = '\0'; /* "* const" */
				*quals = '\0';
			}
			/* "* (*fn)(void)", as bpftool writes a function's pointer result. */
			sb_prepend(&decl, decl.len && decl.s[0] == '(' ? "* " : "*");
			id = t->type;
			continue;
		case BTF_KIND_CONST:
			add_qual(quals, "const ");
			id = t->type;
			continue;
		case BTF_KIND_VOLATILE:
			add_qual(quals, "volatile ");
			id = t->type;
			continue;
		case BTF_KIND_RESTRICT:
			add_qual(quals, "restrict ");
			id = t->type;
			continue;
		case BTF_KIND_TYPE_TAG: id = t->type; continue;
		case BTF_KIND_ARRAY: {
			const struct btf_array *a = (const void *)(t + 1);

			if (decl.len && decl.s[0] == '*') {
				sb_prepend(&decl, "(");
				sb_put(&decl, ")");
			}
			sb_printf(&decl, "[%u]", a->nelems);
			id = a->type;
			continue;
		}
		case BTF_KIND_FUNC_PROTO: {
			const struct btf_param *p = (const void *)(t + 1);
			__u32 vlen = BTF_INFO_VLEN(t->info);

			*quals = '\0'; /* a qualified function type means nothing */
			if (decl.len && decl.s[0] == '*') {
				sb_prepend(&decl, "(");
				sb_put(&decl, ")");
			}
			sb_put(&decl, "(");
			if (!vlen)
				sb_put(&decl, "void");
			for (__u32 i = 0; i < vlen && !stop(dp, &decl); i++) {
				const char *pn =
					p[i].name_off ? btf_name(dp->b, p[i].name_off) : "";

				if (i)
					sb_put(&decl, ", ");
				/* A last parameter of type void: "...". */
				if (i == vlen - 1 && !p[i].type) {
					sb_put(&decl, "...");
					break;
				}
				if (!pn || (*pn && !is_ident(pn, false))) {
					fail(dp, -EINVAL, "parameter name is not a C identifier",
					     id);
					pn = "";
				}
				emit_decl(&decl, dp, p[i].type, pn, lvl);
			}
			sb_put(&decl, ")");
			id = t->type;
			continue;
		}
		default: break;
		}
		break;
	}

	/* The base, with the qualifiers that apply to it. */
	sb_put(sb, quals);
	if (!t) {
		sb_put(sb, "void");
	} else {
		switch (kind(t)) {
		case BTF_KIND_INT:
		case BTF_KIND_FLOAT: {
			const char *n = raw_name(dp, t);

			if (!is_ident(n, true))
				fail(dp, -EINVAL, "name is not a C type name", id);
			else
				sb_put(sb, n);
			break;
		}
		case BTF_KIND_TYPEDEF: sb_put(sb, type_name(dp, id)); break;
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			if (t->name_off)
				sb_printf(sb, "enum %s", type_name(dp, id));
			else
				emit_enum(sb, dp, id, t, lvl);
			break;
		case BTF_KIND_FWD:
			sb_printf(sb, "%s %s", BTF_INFO_KFLAG(t->info) ? "union" : "struct",
				  type_name(dp, id));
			break;
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			if (t->name_off)
				sb_printf(sb, "%s %s",
					  kind(t) == BTF_KIND_UNION ? "union" : "struct",
					  type_name(dp, id));
			else
				emit_body(sb, dp, id, t, lvl);
			break;
		default: fail(dp, -EINVAL, "is not a kind a C type can be made of", id);
		}
	}
	if (decl.len) {
		sb_put(sb, " ");
		sb_put(sb, decl.s);
	}
	if (decl.oom)
		sb->oom = true;
	stop(dp, sb);
	free(decl.s);
}

/*
 * The widest gap padded: a member aligned to a 64 KiB page (arm64, ppc64)
 * leaves less.  What claims more is no kernel's struct, and would be
 * written as millions of lines.
 */
#define MAX_GAP_BITS (64LL * 1024 * 8)

/* Unnamed bitfields from bit cur to bit next (btf_dump_emit_bit_padding()). */
static void emit_padding(struct dumper *dp, __u32 id, struct sbuf *sb, long long cur,
			 long long next, int next_align, bool in_bitfield, int lvl)
{
	static const struct {
		const char *name;
		int bits;
	} pads[] = { { "long", 64 }, { "int", 32 }, { "short", 16 }, { "char", 8 } };
	long long new_off = 0;
	int bits = 0, i;
	const char *type = NULL;

	if (cur >= next)
		return;
	if (next - cur > MAX_GAP_BITS) {
		fail(dp, -E2BIG, "a gap of more than 64 KiB between members", id);
		return;
	}
	for (i = 0; i < 4; i++) {
		bits = pads[i].bits;
		type = pads[i].name;
		new_off = (cur + bits - 1) / bits * bits;
		if (new_off <= next)
			break;
	}
	if (new_off > cur && new_off <= next) {
		long long want = next_align ? (cur + next_align * 8 - 1) / (next_align * 8) *
						      (next_align * 8)
					    : cur;

		/*
		 * A "type: 0" mark when the compiler would not align there by
		 * itself, or when the next "type: N" would fit in the hole.
		 */
		if (in_bitfield || (new_off == next && want != new_off) ||
		    (new_off != next && next - new_off <= new_off - cur)) {
			sb_indent(sb, lvl);
			sb_printf(sb, "%s: %lld;\n", type, in_bitfield ? new_off - cur : 0);
		}
		cur = new_off;
	}
	while (cur < next) {
		long long left = next - cur;

		if (left >= bits) {
			sb_indent(sb, lvl);
			sb_printf(sb, "%s: %d;\n", type, bits);
			cur += bits;
			continue;
		}
		for (i = 3; i >= 0; i--) {
			if (pads[i].bits < left)
				continue;
			sb_indent(sb, lvl);
			sb_printf(sb, "%s: %lld;\n", pads[i].name, left);
			cur += left;
			break;
		}
	}
}

static void emit_member(struct sbuf *sb, struct dumper *dp, const struct btf_member *m, __u32 bits,
			int lvl)
{
	const char *n = m->name_off ? btf_name(dp->b, m->name_off) : "";

	if (!n || (*n && !is_ident(n, false))) {
		fail(dp, -EINVAL, "member name is not a C identifier", m->type);
		n = "";
	}
	sb_indent(sb, lvl);
	emit_decl(sb, dp, m->type, n, lvl);
	if (bits)
		sb_printf(sb, ": %u", bits);
	sb_put(sb, ";\n");
}

/* "struct name {...}": every member in its place, or the picked ones. */
static void emit_body(struct sbuf *sb, struct dumper *dp, __u32 id, const struct btf_type *t,
		      int lvl)
{
	const struct picks *p = &dp->picks[id];
	bool is_union = kind(t) == BTF_KIND_UNION;
	bool packed = false, prev_bitfield = false;
	long long off = 0;

	dp->records = true;

	if (t->name_off)
		sb_printf(sb, "%s %s {", is_union ? "union" : "struct", type_name(dp, id));
	else
		sb_put(sb, is_union ? "union {" : "struct {");
	if (p->v) {
		/* Cut down: CO-RE relocates each field, so no layout is kept. */
		if (p->n)
			sb_put(sb, "\n");
		for (size_t i = 0; i < p->n && !stop(dp, sb); i++)
			emit_member(sb, dp, p->v[i].m, p->v[i].bits, lvl + 1);
	} else {
		packed = is_packed(dp, t);
		if (BTF_INFO_VLEN(t->info))
			sb_put(sb, "\n");
		for (__u32 i = 0; i < BTF_INFO_VLEN(t->info) && !stop(dp, sb); i++) {
			const struct btf_member *m = &members(t)[i];
			__u32 bits = member_bits(dp, t, m);
			long long m_off = member_bit_off(t, m);

			emit_padding(dp, id, sb, off, m_off, packed ? 1 : align_of(dp, m->type, 0),
				     prev_bitfield && bits, lvl + 1);
			emit_member(sb, dp, m, bits, lvl + 1);
			if (bits) {
				off = m_off + bits;
				prev_bitfield = true;
			} else {
				long long sz = btf_type_size(dp->b, m->type);

				off = m_off + (sz > 0 ? sz * 8 : 0);
				prev_bitfield = false;
			}
		}
		if (!is_union)
			emit_padding(dp, id, sb, off, (long long)t->size * 8, align_of(dp, id, 0),
				     false, lvl + 1);
	}
	if (BTF_INFO_VLEN(t->info) && (!p->v || p->n))
		sb_indent(sb, lvl);
	sb_put(sb, "}");
	if (packed)
		sb_put(sb, " __attribute__((packed))");
}

static void emit_enum(struct sbuf *sb, struct dumper *dp, __u32 id, const struct btf_type *t,
		      int lvl)
{
	__u32 vlen = BTF_INFO_VLEN(t->info);
	bool is_signed = BTF_INFO_KFLAG(t->info), hi = false;

	if (t->name_off)
		sb_printf(sb, "enum %s", type_name(dp, id));
	else
		sb_put(sb, "enum");
	if (!vlen)
		return;
	sb_put(sb, " {\n");
	for (__u32 i = 0; i < vlen && !stop(dp, sb); i++) {
		__u32 name_off;
		unsigned long long v;
		const char *n;
		size_t cnt;

		if (kind(t) == BTF_KIND_ENUM) {
			const struct btf_enum *e = &((const struct btf_enum *)(t + 1))[i];

			name_off = e->name_off;
			v = is_signed ? (unsigned long long)(long long)(__s32)e->val
				      : (__u32)e->val;
		} else {
			const struct btf_enum64 *e = &((const struct btf_enum64 *)(t + 1))[i];

			name_off = e->name_off;
			v = (unsigned long long)e->val_hi32 << 32 | e->val_lo32;
			hi |= e->val_hi32 != 0;
		}
		n = btf_name(dp->b, name_off);
		if (!is_ident(n, false)) {
			fail(dp, -EINVAL, "enumerator name is not a C identifier", id);
			continue;
		}
		/* Enumerators share the typedefs' namespace. */
		cnt = names_bump(&dp->idents, n);
		sb_indent(sb, lvl + 1);
		sb_put(sb, n);
		if (cnt > 1)
			sb_printf(sb, "___%zu", cnt);
		if (is_signed)
			sb_printf(sb, " = %lld%s,\n", (long long)v,
				  kind(t) == BTF_KIND_ENUM ? "" : "LL");
		else
			sb_printf(sb, " = %llu%s,\n", v, kind(t) == BTF_KIND_ENUM ? "" : "ULL");
	}
	sb_indent(sb, lvl);
	sb_put(sb, "}");
	/* An enum of another size than int's (btf_dump_emit_enum_def()). */
	if (t->size == 1)
		sb_put(sb, " __attribute__((mode(byte)))");
	else if (t->size == 8 && (kind(t) == BTF_KIND_ENUM || !hi))
		sb_put(sb, " __attribute__((mode(word)))");
}

/* A named type's top-level definition. */
static void emit_def(struct dumper *dp, __u32 id)
{
	const struct btf_type *t = btf_type_by_id(dp->b, id);
	struct sbuf *sb = &dp->out;

	switch (kind(t)) {
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64: emit_enum(sb, dp, id, t, 0); break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: emit_body(sb, dp, id, t, 0); break;
	case BTF_KIND_TYPEDEF: {
		const char *name = type_name(dp, id);

		/*
		 * Old GCCs write __gnuc_va_list as a typedef of void; clang
		 * knows the real one (btf_dump_emit_typedef_def()).
		 */
		if (!t->type && !strcmp(name, "__gnuc_va_list")) {
			sb_put(sb, "typedef __builtin_va_list __gnuc_va_list");
			break;
		}
		sb_put(sb, "typedef ");
		emit_decl(sb, dp, t->type, name, 0);
		break;
	}
	case BTF_KIND_FUNC: {
		const char *name = raw_name(dp, t);

		/*
		 * A function of the kernel that a program calls, a kfunc: an
		 * extern the loader finds in the kernel's BTF (__ksym), weak so
		 * that a kernel without it still loads a program that does not
		 * reach the call (bpf/bpf_helpers.h).
		 */
		if (!is_ident(name, false) ||
		    kind(type_of(dp, t->type) ?: t) != BTF_KIND_FUNC_PROTO) {
			fail(dp, -EINVAL, "is not a function a program can call", id);
			return;
		}
		sb_put(sb, "extern ");
		emit_decl(sb, dp, t->type, name, 0);
		sb_put(sb, " __ksym __weak");
		break;
	}
	default: return;
	}
	sb_put(sb, ";\n\n");
	stop(dp, sb);
}

static int pick_cmp(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;

	return x->bit_off < y->bit_off ? -1 : x->bit_off > y->bit_off;
}

/* Finds member name of struct t, in its anonymous members too. */
static int find_member(struct dumper *dp, const struct btf_type *t, const char *name,
		       unsigned long long base, struct pick *out, int depth)
{
	if (depth > MAX_DEPTH)
		return -ELOOP;
	for (__u32 i = 0; i < BTF_INFO_VLEN(t->info); i++) {
		const struct btf_member *m = &members(t)[i];
		const char *n = btf_name(dp->b, m->name_off);
		const struct btf_type *mt;
		__u32 mid;

		if (n && *n) {
			if (strcmp(n, name))
				continue;
			out->m = m;
			out->bit_off = base + member_bit_off(t, m);
			out->bits = member_bits(dp, t, m);
			return 0;
		}
		/* Each anonymous struct looked into once: BTF may share one. */
		mt = btf_skip_mods(dp->b, m->type, &mid);
		if (!mt || !is_struct(mt) || dp->seen[mid] == dp->search)
			continue;
		dp->seen[mid] = dp->search;
		if (!find_member(dp, mt, name, base + member_bit_off(t, m), out, depth + 1))
			return 0;
	}
	return -ENOENT;
}

/*
 * The type a root names: a struct or union first, then an enum, a typedef
 * or a function (a kfunc).
 */
static __u32 find_type(struct dumper *dp, const char *name)
{
	__u32 other = 0;

	for (__u32 id = 1; id <= dp->n; id++) {
		const struct btf_type *t = btf_type_by_id(dp->b, id);
		const char *n = raw_name(dp, t);

		if (!n || strcmp(n, name))
			continue;
		if (is_struct(t))
			return id;
		if (!other && (kind(t) == BTF_KIND_TYPEDEF || kind(t) == BTF_KIND_ENUM ||
			       kind(t) == BTF_KIND_ENUM64 || kind(t) == BTF_KIND_FWD ||
			       kind(t) == BTF_KIND_FUNC))
			other = id;
	}
	return other;
}

static int pick_fields(struct dumper *dp, __u32 id, const struct btf_c_root *r)
{
	const struct btf_type *t = btf_type_by_id(dp->b, id);
	struct picks *p = &dp->picks[id];

	if (!is_struct(t))
		return diag(dp->d, -EINVAL, "btf: '%s' is not a struct or union, it has no fields",
			    r->name);
	if (p->v)
		return diag(dp->d, -EINVAL, "btf: '%s' is named twice", r->name);
	p->v = calloc(r->nr_fields, sizeof(*p->v));
	if (!p->v)
		return diag(dp->d, -ENOMEM, "btf: out of memory");
	for (size_t i = 0; i < r->nr_fields; i++) {
		dp->search++;
		if (find_member(dp, t, r->fields[i], 0, &p->v[p->n], 0))
			return diag(dp->d, -ENOENT, "btf: '%s' has no field '%s'", r->name,
				    r->fields[i]);
		for (size_t j = 0; j < p->n; j++)
			if (p->v[j].m == p->v[p->n].m)
				return diag(dp->d, -EINVAL, "btf: '%s.%s' is named twice", r->name,
					    r->fields[i]);
		p->n++;
	}
	/* In the kernel's order: the header reads like the kernel's source. */
	qsort(p->v, p->n, sizeof(*p->v), pick_cmp);
	return 0;
}

static const char pragma_push[] =
	"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
	"#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
	"#endif\n\n";
static const char pragma_pop[] = "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
				 "#pragma clang attribute pop\n"
				 "#endif\n";

int btf_c_dump(const struct btf *b, const struct btf_c_root *roots, size_t nr_roots, char **text,
	       size_t *len, struct diag *d)
{
	struct dumper dp = { .b = b, .d = d, .n = btf_type_cnt(b) };
	__u32 *ids = NULL;
	int err = 0;

	dp.state = calloc(dp.n + 1, 1);
	dp.names = calloc(dp.n + 1, sizeof(*dp.names));
	dp.align = calloc(dp.n + 1, 1);
	dp.picks = calloc(dp.n + 1, sizeof(*dp.picks));
	dp.seen = calloc(dp.n + 1, sizeof(*dp.seen));
	ids = calloc(nr_roots + 1, sizeof(*ids));
	if (!dp.state || !dp.names || !dp.align || !dp.picks || !dp.seen || !ids) {
		err = diag(d, -ENOMEM, "btf: out of memory");
		goto out;
	}
	for (size_t i = 0; i < nr_roots; i++) {
		ids[i] = find_type(&dp, roots[i].name);
		if (!ids[i]) {
			err = diag(d, -ENOENT, "btf: no type named '%s'", roots[i].name);
			goto out;
		}
		if (roots[i].nr_fields) {
			err = pick_fields(&dp, ids[i], &roots[i]);
			if (err)
				goto out;
		}
	}

	if (nr_roots) {
		for (size_t i = 0; !err && i < nr_roots; i++)
			err = need(&dp, ids[i], true);
	} else {
		mark_used(&dp);
		/* Every named type, in id order, as bpftool does. */
		for (__u32 id = 1; !err && id <= dp.n; id++) {
			const struct btf_type *t = btf_type_by_id(b, id);

			switch (kind(t)) {
			case BTF_KIND_STRUCT:
			case BTF_KIND_UNION:
			case BTF_KIND_ENUM:
			case BTF_KIND_ENUM64:
			case BTF_KIND_TYPEDEF:
			case BTF_KIND_FWD:
				/* A compiler's built-in: never declared again. */
				if (t->name_off && !is_builtin(raw_name(&dp, t)))
					err = need(&dp, id, true);
				break;
			default: break;
			}
			/*
			 * An anonymous enum no type uses only declares its
			 * enumerators (the others are written where used).
			 */
			if ((kind(t) == BTF_KIND_ENUM || kind(t) == BTF_KIND_ENUM64) &&
			    !t->name_off && !(dp.state[id] & USED)) {
				emit_enum(&dp.out, &dp, id, t, 0);
				sb_put(&dp.out, ";\n\n");
			}
		}
	}

	/* The pragma around them, where there are structs (always in a vmlinux.h). */
	if (dp.records || !nr_roots) {
		sb_prepend(&dp.out, pragma_push);
		sb_put(&dp.out, pragma_pop);
	}
	if (!nr_roots) {
		sb_prepend(&dp.out, "#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n");
		sb_put(&dp.out, "\n#endif /* __VMLINUX_H__ */\n");
	}
	if (!err && dp.out.oom)
		err = diag(d, -ENOMEM, "btf: out of memory");
	if (!err)
		err = dp.err;
	if (!err) {
		*text = dp.out.s;
		*len = dp.out.len;
		dp.out.s = NULL;
	}
out:
	free(dp.out.s);
	free(ids);
	if (dp.names)
		for (__u32 id = 0; id <= dp.n; id++)
			free(dp.names[id]);
	if (dp.picks)
		for (__u32 id = 0; id <= dp.n; id++)
			free(dp.picks[id].v);
	free(dp.names);
	free(dp.picks);
	free(dp.seen);
	free(dp.state);
	free(dp.align);
	free(dp.tags.tab);
	free(dp.idents.tab);
	return err;
}

int btf_c_parse_root(char *s, struct btf_c_root *root, struct diag *d)
{
	char *dot = strchr(s, '.');
	const char **fields;
	size_t n = 1;

	memset(root, 0, sizeof(*root));
	root->name = s;
	if (!dot)
		return is_ident(s, false) ? 0 : diag(d, -EINVAL, "btf: '%s' is not a type name", s);
	*dot++ = '\0';
	if (!is_ident(s, false))
		return diag(d, -EINVAL, "btf: '%s' is not a type name", s);
	for (char *c = dot; *c; c++)
		n += *c == ',';
	fields = calloc(n, sizeof(*fields));
	if (!fields)
		return diag(d, -ENOMEM, "btf: out of memory");
	n = 0;
	for (char *f = strtok(dot, ","); f; f = strtok(NULL, ",")) {
		if (!is_ident(f, false)) {
			free(fields);
			return diag(d, -EINVAL, "btf: '%s' is not a field name", f);
		}
		fields[n++] = f;
	}
	if (!n) {
		free(fields);
		return diag(d, -EINVAL, "btf: '%s.' names no field", s);
	}
	root->fields = fields;
	root->nr_fields = n;
	return 0;
}
