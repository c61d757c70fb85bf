// SPDX-License-Identifier: MIT
/*
 * Every tracepoint describes its record in tracefs, in
 * events/<category>/<name>/format, on every kernel, BTF or not
 * (kernel/trace/trace_events.c, f_show()):
 *
 *	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
 *	...
 *	field:long ret;	offset:16;	size:8;	signed:1;
 *
 * These lines come from the same TP_STRUCT__entry() as the kernel's
 * struct trace_event_raw_<class> (include/trace/trace_events.h), so they
 * give the layout its BTF would give.  Here they become a small BTF blob
 * of that struct, which the CO-RE resolver (parse/core.c) reads as it
 * reads the kernel's BTF: a program's context struct is then relocated on
 * a kernel built without BTF, 32-bit ones included, whose longs are 4
 * bytes.  What the format file cannot say is left out: a pointer's target
 * (it becomes void *), and the struct's tail padding (its size is the end
 * of its last field, rounded up to its widest one).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <linux/btf.h>

#include "file.h"
#include "fmt.h"
#include "tp_format.h"

/* The encodings of include/uapi/linux/btf.h, which only its decoders are in. */
#define INFO_ENC(kind, vlen) ((__u32)(kind) << 24 | (vlen))
#define INT_ENC(enc, bits) ((__u32)(enc) << 24 | (bits))

#define FORMAT_MAX (64u << 10) /* a format file is a page or two */
#define FIELDS_MAX 128
#define NAME_MAX_LEN 64

struct field {
	char name[NAME_MAX_LEN + 16]; /* "__data_loc_" prefix */
	unsigned int off, size, nelems;
	bool is_signed, is_ptr, is_array;
};

/* The blob being built: type records, then strings. */
struct blob {
	__u32 *types;
	size_t tlen, tcap; /* in __u32 */
	char *strs;
	size_t slen, scap;
	__u32 nr;	  /* the last type id */
	__u32 ints[9][2]; /* the id of each (size, signedness) INT made */
	int err;
};

static void *grow(void *p, size_t *cap, size_t need, size_t elem, int *err)
{
	void *q;

	if (need <= *cap)
		return p;
	q = realloc(p, (need * 2) * elem);
	if (!q) {
		*err = -ENOMEM;
		return NULL;
	}
	*cap = need * 2;
	return q;
}

static __u32 add_str(struct blob *b, const char *s)
{
	size_t n = strlen(s) + 1, off = b->slen;
	char *p = grow(b->strs, &b->scap, b->slen + n, 1, &b->err);

	if (!p)
		return 0;
	b->strs = p;
	memcpy(b->strs + off, s, n);
	b->slen += n;
	return off;
}

static void add_words(struct blob *b, const __u32 *w, size_t n)
{
	__u32 *p = grow(b->types, &b->tcap, b->tlen + n, sizeof(*w), &b->err);

	if (!p)
		return;
	b->types = p;
	memcpy(b->types + b->tlen, w, n * sizeof(*w));
	b->tlen += n;
}

static __u32 add_type(struct blob *b, const char *name, __u32 kind, __u32 vlen, __u32 size_or_type)
{
	__u32 w[3] = { name ? add_str(b, name) : 0, INFO_ENC(kind, vlen), size_or_type };

	add_words(b, w, 3);
	return ++b->nr;
}

/* An INT of size bytes (1, 2, 4 or 8), made once per size and signedness. */
static __u32 int_type(struct blob *b, unsigned int size, bool is_signed)
{
	char name[8];
	__u32 id, enc;

	if (size > 8 || (size & (size - 1)) || !size)
		size = 1; /* an odd size: bytes */
	if (b->ints[size][is_signed])
		return b->ints[size][is_signed];
	fmt(name, sizeof(name), "%s%u", is_signed ? "__s" : "__u", size * 8);
	id = add_type(b, name, BTF_KIND_INT, 0, size);
	enc = INT_ENC(is_signed ? BTF_INT_SIGNED : 0, size * 8);
	add_words(b, &enc, 1);
	b->ints[size][is_signed] = id;
	return id;
}

/* The type of one field, made before the struct that holds it. */
static __u32 field_type(struct blob *b, const struct field *f)
{
	unsigned int esize = f->is_array ? f->size / f->nelems : f->size;
	__u32 elem, arr[3];

	if (f->is_ptr && !f->is_array)
		return add_type(b, NULL, BTF_KIND_PTR, 0, 0);
	elem = int_type(b, esize, f->is_signed);
	if (!f->is_array)
		return elem;
	arr[0] = elem;
	arr[1] = int_type(b, 4, false);
	arr[2] = f->nelems;
	{
		__u32 id = add_type(b, NULL, BTF_KIND_ARRAY, 0, 0);

		add_words(b, arr, 3);
		return id;
	}
}

/* The size of a struct of the fields: their end rounded up to the widest. */
static unsigned int struct_size(const struct field *f, size_t n)
{
	unsigned int end = 0, align = 1;

	for (size_t i = 0; i < n; i++) {
		unsigned int w = f[i].is_array ? f[i].size / f[i].nelems : f[i].size;

		if (f[i].off + f[i].size > end)
			end = f[i].off + f[i].size;
		if (w <= 8 && w > align)
			align = w;
	}
	return (end + align - 1) / align * align;
}

/* A struct of the fields, whose types are ids[]. */
static __u32 add_struct(struct blob *b, const char *name, const struct field *f, const __u32 *ids,
			size_t n)
{
	__u32 id = add_type(b, name, BTF_KIND_STRUCT, n, struct_size(f, n));

	for (size_t i = 0; i < n; i++) {
		__u32 m[3] = { add_str(b, f[i].name), ids[i], f[i].off * 8 };

		add_words(b, m, 3);
	}
	return id;
}

static bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* "\tfield:DECL;\toffset:O;\tsize:S;\tsigned:G;" into *f; false for other lines. */
static bool parse_field(const char *line, struct field *f)
{
	const char *decl = strstr(line, "field:"), *end, *name, *p;
	unsigned long v[3];
	static const char *const keys[] = { "offset:", "size:", "signed:" };
	size_t len;

	if (!decl)
		return false;
	decl += 6;
	end = strchr(decl, ';');
	if (!end)
		return false;
	for (int i = 0; i < 3; i++) {
		char *e;

		p = strstr(end, keys[i]);
		if (!p)
			return false;
		p += strlen(keys[i]);
		if (*p < '0' || *p > '9')
			return false;
		v[i] = strtoul(p, &e, 10);
		if (*e != ';' || v[i] > 1u << 20)
			return false;
	}
	memset(f, 0, sizeof(*f));
	f->off = v[0];
	f->size = v[1];
	f->is_signed = v[2];
	/* "char comm[16]": the array's length after the name. */
	p = end;
	if (p > decl && p[-1] == ']') {
		const char *open = p - 1;

		while (open > decl && *open != '[')
			open--;
		if (*open != '[')
			return false;
		f->is_array = true;
		f->nelems = strtoul(open + 1, NULL, 10);
		if (!f->nelems || f->size % f->nelems)
			f->nelems = f->size; /* "[TASK_COMM_LEN]" or odd: bytes */
		p = open;
	}
	for (name = p; name > decl && is_ident(name[-1]); name--)
		;
	len = p - name;
	if (!len || !f->size || len > NAME_MAX_LEN)
		return false;
	/*
	 * A variable-length field is a 4-byte (offset, length) word: the
	 * kernel's struct names it __data_loc_<name> (__rel_loc_ since 5.19).
	 */
	if (!strncmp(decl, "__data_loc ", 11) || !strncmp(decl, "__rel_loc ", 10)) {
		fmt(f->name, sizeof(f->name), "%s_%.*s",
		    decl[2] == 'd' ? "__data_loc" : "__rel_loc", (int)len, name);
		f->is_array = f->is_ptr = f->is_signed = false;
		return true;
	}
	memcpy(f->name, name, len);
	f->name[len] = '\0';
	f->is_ptr = memchr(decl, '*', name - decl) != NULL;
	return true;
}

/* The fields of one event's format file, f->text, copied to cut it in lines. */
static int read_fields(const struct tp_format *tf, struct field *f, size_t *n, struct diag *d)
{
	char *buf, *line, *next;

	if (tf->len > FORMAT_MAX)
		return diag(d, -EFBIG, "tracefs: %s/format: longer than %u bytes", tf->event,
			    FORMAT_MAX);
	buf = malloc(tf->len + 1);
	if (!buf)
		return diag(d, -ENOMEM, "tracefs: out of memory");
	memcpy(buf, tf->text, tf->len);
	buf[tf->len] = '\0';
	*n = 0;
	for (line = buf; line && *line; line = next) {
		struct field one;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!parse_field(line, &one))
			continue;
		if (*n == FIELDS_MAX) {
			free(buf);
			return diag(d, -E2BIG, "tracefs: %s/format: more than %d fields", tf->event,
				    FIELDS_MAX);
		}
		f[(*n)++] = one;
	}
	free(buf);
	if (!*n)
		return diag(d, -EINVAL, "tracefs: %s/format: no fields", tf->event);
	return 0;
}

/* One struct of one event: struct trace_entry ent, then the event's own fields. */
static int add_event(struct blob *b, const struct tp_format *tf, struct diag *d)
{
	struct field *f = calloc(FIELDS_MAX + 1, sizeof(*f));
	__u32 *ids = calloc(FIELDS_MAX + 1, sizeof(*ids));
	size_t n = 0, common = 0;
	int err = -ENOMEM;

	if (!f || !ids) {
		diag(d, err, "tracefs: out of memory");
		goto out;
	}
	err = read_fields(tf, f + 1, &n, d);
	if (err)
		goto out;
	/* common_type, common_flags, ...: "struct trace_entry ent" at 0, without the prefix. */
	while (common < n && !strncmp(f[1 + common].name, "common_", 7)) {
		memmove(f[1 + common].name, f[1 + common].name + 7,
			strlen(f[1 + common].name + 7) + 1);
		ids[1 + common] = field_type(b, &f[1 + common]);
		common++;
	}
	if (common) {
		ids[0] = add_struct(b, "trace_entry", f + 1, ids + 1, common);
		f[0] = (struct field){ .name = "ent", .size = struct_size(f + 1, common) };
	}
	for (size_t i = 1 + common; i <= n; i++)
		ids[i] = field_type(b, &f[i]);
	memmove(f + 1, f + 1 + common, (n - common) * sizeof(*f));
	memmove(ids + 1, ids + 1 + common, (n - common) * sizeof(*ids));
	add_struct(b, tf->name, common ? f : f + 1, common ? ids : ids + 1, n - common + !!common);
	err = b->err;
	if (err)
		diag(d, err, "tracefs: out of memory");
out:
	free(f);
	free(ids);
	return err;
}

int tp_format_to_btf(const struct tp_format *tf, size_t n, void **blob, size_t *size,
		     struct diag *d)
{
	struct blob b = { 0 };
	struct btf_header h = { .magic = BTF_MAGIC, .version = BTF_VERSION, .hdr_len = sizeof(h) };
	unsigned char *out;
	int err = 0;

	*blob = NULL;
	*size = 0;
	add_str(&b, ""); /* offset 0: the empty name */
	for (size_t i = 0; !err && i < n; i++)
		err = add_event(&b, &tf[i], d);
	if (!err && b.err)
		err = diag(d, b.err, "tracefs: out of memory");
	if (!err) {
		h.type_len = b.tlen * sizeof(__u32);
		h.str_off = h.type_len;
		h.str_len = b.slen;
		out = malloc(sizeof(h) + h.type_len + h.str_len);
		if (!out) {
			err = diag(d, -ENOMEM, "tracefs: out of memory");
		} else {
			memcpy(out, &h, sizeof(h));
			memcpy(out + sizeof(h), b.types, h.type_len);
			memcpy(out + sizeof(h) + h.type_len, b.strs, h.str_len);
			*blob = out;
			*size = sizeof(h) + h.type_len + h.str_len;
		}
	}
	free(b.types);
	free(b.strs);
	return err;
}

int tp_format_btf(const char *tracefs, const char *const *events, const char *const *names,
		  size_t n, void **blob, size_t *size, struct diag *d)
{
	struct tp_format *tf = calloc(n ?: 1, sizeof(*tf));
	int err = 0;

	if (!tf)
		return diag(d, -ENOMEM, "tracefs: out of memory");
	for (size_t i = 0; !err && i < n; i++) {
		char path[512];
		unsigned char *text = NULL;

		tf[i] = (struct tp_format){ .event = events[i], .name = names[i] };
		if ((size_t)fmt(path, sizeof(path), "%s/events/%s/format", tracefs, events[i]) >=
		    sizeof(path)) {
			err = diag(d, -ENAMETOOLONG, "tracefs: %s: name too long", events[i]);
			break;
		}
		err = read_file(path, FORMAT_MAX, &text, &tf[i].len);
		if (err)
			diag(d, err, "%s: %s", path, strerror(-err));
		tf[i].text = (const char *)text;
	}
	if (!err)
		err = tp_format_to_btf(tf, n, blob, size, d);
	for (size_t i = 0; i < n; i++)
		free((void *)tf[i].text);
	free(tf);
	return err;
}
