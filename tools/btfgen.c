// SPDX-License-Identifier: MIT
/*
 * mini-trace-btfgen: C declarations of kernel types, from BTF, for BPF
 * programs.
 *
 *	mini-trace-btfgen > vmlinux.h		every type of the running kernel
 *	mini-trace-btfgen task_struct.pid,comm mm_struct
 *						task_struct cut down, mm_struct whole
 *	mini-trace-btfgen --spec FILE		the roots, one a line
 *	mini-trace-btfgen --btf FILE ...	raw BTF from a file, not the kernel's
 *
 * What bpftool's "btf dump file F format c" does, for a board without
 * bpftool, and how make headers writes include/'s kernel structs.  The
 * kernel's BTF is /sys/kernel/btf/vmlinux (CONFIG_DEBUG_INFO_BTF, 5.4+);
 * an object's .BTF is had with llvm-objcopy --dump-section .BTF=FILE.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btf.h"
#include "btf_c.h"
#include "file.h"
#include "fmt.h"

#define MAX_BTF (256u << 20)
#define MAX_SPEC (1u << 20)

static void usage(void)
{
	fmt_write(STDERR_FILENO,
		  "usage: mini-trace-btfgen [--btf FILE] [--spec FILE] [TYPE[.FIELD,...]]...\n"
		  "  C declarations of the BTF's types (default /sys/kernel/btf/vmlinux):\n"
		  "  every type when none is named, else the named ones and what they need;\n"
		  "  TYPE.FIELD,... keeps only those fields.  --spec FILE: one TYPE a line.\n");
}

/* Adds the roots of a spec: a root a line, '#' starts a comment. */
static int add_spec(char *text, struct btf_c_root **roots, size_t *n, struct diag *d)
{
	for (char *line = text, *next; line; line = next) {
		char *end, *hash;
		void *grown;
		int err;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		line += strspn(line, " \t");
		end = line + strlen(line);
		while (end > line && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (!*line)
			continue;
		grown = realloc(*roots, (*n + 1) * sizeof(**roots));
		if (!grown)
			return diag(d, -ENOMEM, "out of memory");
		*roots = grown;
		err = btf_c_parse_root(line, &(*roots)[*n], d);
		if (err)
			return err;
		(*n)++;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *btf_path = "/sys/kernel/btf/vmlinux", *spec_path = NULL;
	unsigned char *data = NULL, *spec = NULL;
	struct btf_c_root *roots = NULL;
	size_t size, nr_roots = 0, spec_len, len = 0;
	struct btf *b = NULL;
	struct diag d = { "" };
	char *text = NULL;
	int i, err = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--btf") && i + 1 < argc) {
			btf_path = argv[++i];
		} else if (!strcmp(argv[i], "--spec") && i + 1 < argc) {
			spec_path = argv[++i];
		} else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else {
			usage();
			return 2;
		}
	}

	/* The roots: the spec's, then the command line's. */
	if (spec_path) {
		err = read_file(spec_path, MAX_SPEC, &spec, &spec_len);
		if (err) {
			diag(&d, err, "%s: %s", spec_path, strerror(-err));
			goto out;
		}
		/* read_file() leaves room for nothing after: make it a string. */
		spec = realloc(spec, spec_len + 1);
		if (!spec) {
			err = diag(&d, -ENOMEM, "out of memory");
			goto out;
		}
		spec[spec_len] = '\0';
		err = add_spec((char *)spec, &roots, &nr_roots, &d);
		if (err)
			goto out;
	}
	for (; i < argc; i++) {
		err = add_spec(argv[i], &roots, &nr_roots, &d);
		if (err)
			goto out;
	}

	/* The BTF, checked whole by btf_new() before a type is read. */
	err = read_file(btf_path, MAX_BTF, &data, &size);
	if (err) {
		diag(&d, err, "%s: %s", btf_path, strerror(-err));
		goto out;
	}
	err = btf_new(data, size, &b, &d);
	if (err)
		goto out;

	err = btf_c_dump(b, roots, nr_roots, &text, &len, &d);
	if (err)
		goto out;
	err = write_all(STDOUT_FILENO, text, len);
	if (err)
		diag(&d, err, "stdout: %s", strerror(-err));
out:
	if (err) {
		/* A name or path of the user's may be in it: nothing unprintable goes out raw. */
		char shown[4 * sizeof(d.msg)];
		size_t n = escape(shown, d.msg, strnlen(d.msg, sizeof(d.msg)), 0, false);

		fmt_write(STDERR_FILENO, "mini-trace-btfgen: %.*s\n", (int)n, shown);
	}
	for (size_t r = 0; r < nr_roots; r++)
		free((void *)roots[r].fields);
	free(roots);
	free(text);
	btf_free(b);
	free(data);
	free(spec);
	return err ? 1 : 0;
}
