// SPDX-License-Identifier: MIT
/*
 * The object's .BTF handed to the kernel with BPF_BTF_LOAD (since 4.18), so
 * that each program can name it (prog_btf_fd) with its func_info and
 * line_info: the verifier then checks global functions on their own and
 * prints the source line beside the instructions in its log, and bpftool
 * shows source with the translated program.
 *
 * What the kernel accepts grows with its version, and a kind it does not know
 * makes it refuse the whole blob.  Which kinds it knows is probed, not
 * guessed from the version (a distribution backports): a tiny blob using
 * the kind is offered, as libbpf does (tools/lib/bpf/features.c,
 * probe_kern_btf_*), and what it refuses is replaced (btf.c, btf_sanitize).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/btf.h>

#include "bpf.h"
#include "btf.h"
#include "btf_kernel.h"

#define TYPE(kind, vlen) ((__u32)(kind) << 24 | (vlen))

/* A header, the types and the strings, back to back: is it accepted? */
static int probe_blob(const __u32 *types, __u32 types_len, const char *strs, __u32 strs_len)
{
	struct btf_header h = {
		.magic = BTF_MAGIC,
		.version = BTF_VERSION,
		.hdr_len = sizeof(h),
		.type_off = 0,
		.type_len = types_len,
		.str_off = types_len,
		.str_len = strs_len,
	};
	unsigned char blob[128];
	int fd;

	memcpy(blob, &h, sizeof(h));
	memcpy(blob + sizeof(h), types, types_len);
	memcpy(blob + sizeof(h) + types_len, strs, strs_len);
	fd = bpf_btf_load(blob, sizeof(h) + types_len + strs_len, NULL);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

int btf_kernel_missing(void)
{
	/* Strings: "", "int", "x" */
	static const char strs[] = "\0int\0x";
	static const __u32 int_only[] = {
		1, TYPE(BTF_KIND_INT, 0), 4, 32, /* [1] int */
	};
	static const __u32 with_float[] = {
		5, TYPE(BTF_KIND_FLOAT, 0), 4, /* [1] float x */
	};
	static const __u32 with_decl_tag[] = {
		1, TYPE(BTF_KIND_INT, 0),      4, 32,	     /* [1] int */
		5, TYPE(BTF_KIND_VAR, 0),      1, 0,	     /* [2] static int x */
		5, TYPE(BTF_KIND_DECL_TAG, 0), 2, (__u32)-1, /* [3] tag "x" on [2] */
	};
	static const __u32 with_type_tag[] = {
		1, TYPE(BTF_KIND_INT, 0),      4, 32, /* [1] int */
		5, TYPE(BTF_KIND_TYPE_TAG, 0), 1,     /* [2] int __tag("x") */
		0, TYPE(BTF_KIND_PTR, 0),      2,     /* [3] pointer to [2] */
	};
	static const __u32 with_enum64[] = {
		5, TYPE(BTF_KIND_ENUM64, 1), 8, 5, 0, 1, /* [1] enum64 x { x = 1 << 32 } */
	};
	int missing = 0;

	if (!probe_blob(int_only, sizeof(int_only), strs, sizeof(strs)))
		return -1;
	if (!probe_blob(with_float, sizeof(with_float), strs, sizeof(strs)))
		missing |= BTF_NEW_FLOAT;
	if (!probe_blob(with_decl_tag, sizeof(with_decl_tag), strs, sizeof(strs)))
		missing |= BTF_NEW_DECL_TAG;
	if (!probe_blob(with_type_tag, sizeof(with_type_tag), strs, sizeof(strs)))
		missing |= BTF_NEW_TYPE_TAG;
	if (!probe_blob(with_enum64, sizeof(with_enum64), strs, sizeof(strs)))
		missing |= BTF_NEW_ENUM64;
	return missing;
}

/* The kernel's verdict on a blob: the last line of its BTF log. */
static void last_line(char *log, struct diag *d, int err)
{
	char *end = log + strlen(log), *line;

	while (end > log && end[-1] == '\n')
		*--end = '\0';
	line = strrchr(log, '\n');
	line = line ? line + 1 : log;
	if (*line)
		diag(d, err, "btf: the kernel refused it: %s", line);
	else
		diag(d, err, "btf: the kernel refused it: %s", strerror(-err));
}

/*
 * The kernel wants a func_info for every subprogram once it has any
 * (kernel/bpf/verifier.c, check_btf_func: "number of funcs in func_info
 * doesn't match number of subprogs"), and a line_info where each starts
 * (check_btf_line: "missing bpf_line_info for func#N").  Code the loader
 * appends has none in .BTF.ext, so it gets a FUNC of its own here: three
 * types after the object's last (INT "int", FUNC_PROTO int (void), FUNC
 * name, static) and their strings after its strings; every id and string
 * offset of the object stays as it was.  A static function's prototype is
 * not checked against its use (only a global's is, btf_prepare_func_args).
 */
static const char stand_in_file[] = "mini-trace";
static const char stand_in_line[] = "bpf_strncmp() for kernels before 5.17, appended by mini-trace";

static int add_stand_in(const void *btf, size_t *size, const char *name, struct btf_stand_in *si,
			void **copy, struct diag *d)
{
	const struct btf_header *h = btf;
	struct btf_header *nh;
	struct btf *b;
	__u32 n, types[10], str_base, pos = 0, off = 0;
	size_t name_len = strlen(name) + 1, strs_len;
	unsigned char *out, *p;
	int err = btf_new(btf, *size, &b, d);

	if (err) /* the header and every type checked before they are read */
		return err;
	n = btf_type_cnt(b);
	btf_free(b);
	str_base = h->str_len;
	strs_len = sizeof("int") + name_len + sizeof(stand_in_file) + sizeof(stand_in_line);
	/* [n+1] int */
	types[pos++] = str_base;
	types[pos++] = BTF_KIND_INT << 24;
	types[pos++] = 4;
	types[pos++] = BTF_INT_SIGNED << 24 | 32;
	/* [n+2] int (void) */
	types[pos++] = 0;
	types[pos++] = BTF_KIND_FUNC_PROTO << 24;
	types[pos++] = n + 1;
	/* [n+3] static int name(void) */
	types[pos++] = str_base + sizeof("int");
	types[pos++] = BTF_KIND_FUNC << 24 | BTF_FUNC_STATIC;
	types[pos++] = n + 2;

	out = malloc(h->hdr_len + h->type_len + sizeof(types) + h->str_len + strs_len);
	if (!out)
		return diag(d, -ENOMEM, "btf: out of memory");
	memcpy(out, btf, h->hdr_len);
	p = out + h->hdr_len;
	memcpy(p, (const char *)btf + h->hdr_len + h->type_off, h->type_len);
	memcpy(p + h->type_len, types, sizeof(types));
	p += h->type_len + sizeof(types);
	memcpy(p, (const char *)btf + h->hdr_len + h->str_off, h->str_len);
	p += h->str_len;
	/* Strings: "int", name, file, line */
	memcpy(p, "int", sizeof("int"));
	off = sizeof("int");
	memcpy(p + off, name, name_len);
	off += name_len;
	memcpy(p + off, stand_in_file, sizeof(stand_in_file));
	si->file_name_off = str_base + off;
	off += sizeof(stand_in_file);
	memcpy(p + off, stand_in_line, sizeof(stand_in_line));
	si->line_off = str_base + off;
	si->func_id = n + 3;
	nh = (struct btf_header *)out;
	nh->type_off = 0;
	nh->type_len = h->type_len + sizeof(types);
	nh->str_off = nh->type_len;
	nh->str_len = h->str_len + strs_len;
	*size = h->hdr_len + nh->type_len + nh->str_len;
	*copy = out;
	return 0;
}

int btf_kernel_load(const void *btf, size_t size, const char *stand_in, struct btf_stand_in *si,
		    struct diag *d)
{
	struct bpf_btf_load_opts opts = { .log_level = 1, .log_size = 4096 };
	void *copy = NULL;
	int missing, fd;

	memset(si, 0, sizeof(*si));
	missing = btf_kernel_missing();
	if (missing < 0)
		return diag(d, -EOPNOTSUPP, "btf: this kernel loads no BTF");
	if (stand_in) {
		fd = add_stand_in(btf, &size, stand_in, si, &copy, d);
		if (fd)
			return fd;
	} else {
		copy = malloc(size ?: 1);
		if (copy)
			memcpy(copy, btf, size);
	}
	opts.log_buf = calloc(1, opts.log_size);
	if (!copy || !opts.log_buf) {
		free(copy);
		free(opts.log_buf);
		memset(si, 0, sizeof(*si));
		return diag(d, -ENOMEM, "btf: out of memory");
	}
	fd = btf_sanitize(copy, size, missing, d);
	if (!fd) {
		/* The log only on failure: a first try without it, as libbpf does. */
		fd = bpf_btf_load(copy, size, NULL);
		if (fd < 0 && fd != -ENOMEM) {
			fd = bpf_btf_load(copy, size, &opts);
			if (fd < 0)
				last_line(opts.log_buf, d, fd);
		} else if (fd < 0) {
			diag(d, fd, "btf: load: %s", strerror(-fd));
		}
	}
	free(opts.log_buf);
	free(copy);
	if (fd < 0)
		memset(si, 0, sizeof(*si));
	return fd;
}
