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

int btf_kernel_load(const void *btf, size_t size, struct diag *d)
{
	struct bpf_btf_load_opts opts = { .log_level = 1, .log_size = 4096 };
	void *copy;
	int missing, fd;

	missing = btf_kernel_missing();
	if (missing < 0)
		return diag(d, -EOPNOTSUPP, "btf: this kernel loads no BTF");
	copy = malloc(size ?: 1);
	opts.log_buf = calloc(1, opts.log_size);
	if (!copy || !opts.log_buf) {
		free(copy);
		free(opts.log_buf);
		return diag(d, -ENOMEM, "btf: out of memory");
	}
	memcpy(copy, btf, size);
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
	return fd;
}
