// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for mini-trace-btfgen's reading of BTF (tools/btf_c.c):
 * the input is raw BTF, checked by btf_new() and then written as C three
 * times: every type (a vmlinux.h), one struct cut down to its first field,
 * and the first function as a kfunc's declaration.
 *
 * btf_new() checks each record's size and kind; what it leaves to its
 * readers is what the records say: type ids that may point anywhere or at
 * themselves (a struct holding itself by value, a typedef of itself),
 * name offsets outside the strings, names that are no C identifier.  The
 * generator must refuse those with a message, never loop, overflow its
 * stack or read outside the BTF.  Seeds: the .BTF of the fixtures.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "btf.h"
#include "btf_c.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One struct of the BTF and its first named member, as a root. */
static int first_field(const struct btf *b, struct btf_c_root *r, const char **field)
{
	for (__u32 id = 1; id <= btf_type_cnt(b); id++) {
		const struct btf_type *t = btf_type_by_id(b, id);
		const struct btf_member *m = (const void *)(t + 1);

		if (BTF_INFO_KIND(t->info) != BTF_KIND_STRUCT || !t->name_off)
			continue;
		for (__u32 i = 0; i < BTF_INFO_VLEN(t->info); i++) {
			const char *n = btf_name(b, m[i].name_off);

			if (!n || !*n || !btf_name(b, t->name_off))
				continue;
			r->name = btf_name(b, t->name_off);
			*field = n;
			r->fields = field;
			r->nr_fields = 1;
			return 1;
		}
	}
	return 0;
}

/* The first function of the BTF, as a root. */
static int first_func(const struct btf *b, struct btf_c_root *r)
{
	for (__u32 id = 1; id <= btf_type_cnt(b); id++) {
		const struct btf_type *t = btf_type_by_id(b, id);
		const char *n = btf_name(b, t->name_off);

		if (BTF_INFO_KIND(t->info) == BTF_KIND_FUNC && n && *n) {
			memset(r, 0, sizeof(*r));
			r->name = n;
			return 1;
		}
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d = { "" };
	struct btf *b = NULL;
	struct btf_c_root root;
	const char *field;
	void *copy = malloc(size ? size : 1);
	char *text = NULL;
	size_t len;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (!btf_new(copy, size, &b, &d)) {
		if (!btf_c_dump(b, NULL, 0, &text, &len, &d) && strlen(text) != len)
			abort();
		free(text);
		text = NULL;
		if (first_field(b, &root, &field) && !btf_c_dump(b, &root, 1, &text, &len, &d) &&
		    strlen(text) != len)
			abort();
		free(text);
		text = NULL;
		if (first_func(b, &root) && !btf_c_dump(b, &root, 1, &text, &len, &d) &&
		    strlen(text) != len)
			abort();
		free(text);
	}
	btf_free(b);
	free(copy);
	return 0;
}
