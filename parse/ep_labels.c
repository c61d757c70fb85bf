// SPDX-License-Identifier: MIT
/*
 * Finds EP_LABELS_SECTION among the object's sections and walks its
 * entries.  The section is never loaded: only this file reads it.  Every
 * offset is checked against the bytes that hold it, as in elf.c; an
 * object elf.c has accepted is no excuse to trust the section's contents.
 */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elf_link.h"
#include "ep_labels.h"
#include "events.h"

/* The section called name: its bytes and size, or -ENOENT. */
static int find_section(const unsigned char *obj, size_t size, const char *name,
			const unsigned char **data, size_t *len)
{
	const Elf64_Ehdr *eh = (const void *)obj;
	const Elf64_Shdr *sh, *shstr;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_shoff % 8 ||
	    !in_range(eh->e_shoff, (__u64)eh->e_shnum * sizeof(*sh), size) ||
	    eh->e_shstrndx >= eh->e_shnum)
		return -EINVAL;
	sh = (const void *)(obj + eh->e_shoff);
	shstr = &sh[eh->e_shstrndx];
	if (!in_range(shstr->sh_offset, shstr->sh_size, size))
		return -EINVAL;
	for (unsigned i = 1; i < eh->e_shnum; i++) {
		const char *n =
			str_at((const char *)obj + shstr->sh_offset, shstr->sh_size, sh[i].sh_name);

		if (!n || strcmp(n, name))
			continue;
		if (sh[i].sh_type != SHT_PROGBITS ||
		    !in_range(sh[i].sh_offset, sh[i].sh_size, size))
			return -EINVAL;
		*data = obj + sh[i].sh_offset;
		*len = sh[i].sh_size;
		return 0;
	}
	return -ENOENT;
}

int ep_labels_parse(struct ep_labels *l, const void *obj, size_t size, struct diag *d)
{
	const unsigned char *p;
	size_t len, off = 0;
	int err;

	memset(l, 0, sizeof(*l));
	err = find_section(obj, size, EP_LABELS_SECTION, &p, &len);
	if (err == -ENOENT)
		return 0;
	if (err)
		return diag(d, err, "elf: section '%s' out of range", EP_LABELS_SECTION);
	while (off < len) {
		struct ep_label_hdr h;
		const char *s;
		size_t n;
		struct ep_label *v;

		if (len - off < sizeof(h) + 1)
			return diag(d, -EINVAL, "elf: %s: entry at %zu is cut short",
				    EP_LABELS_SECTION, off);
		memcpy(&h, p + off, sizeof(h));
		s = (const char *)p + off + sizeof(h);
		n = strnlen(s, len - off - sizeof(h));
		if (n == len - off - sizeof(h))
			return diag(d, -EINVAL, "elf: %s: label at %zu is not NUL-terminated",
				    EP_LABELS_SECTION, off);
		v = realloc(l->v, (l->cnt + 1) * sizeof(*l->v));
		if (!v)
			return diag(d, -ENOMEM, "elf: out of memory");
		l->v = v;
		l->v[l->cnt++] = (struct ep_label){ h.counter, h.flags, s };
		/* The next entry starts at the next multiple of 4 past the NUL. */
		off += sizeof(h) + n + 1;
		off = (off + 3) & ~(size_t)3;
	}
	return 0;
}

void ep_labels_free(struct ep_labels *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

const struct ep_label *ep_label_find(const struct ep_labels *l, __u8 counter)
{
	for (size_t i = 0; i < l->cnt; i++)
		if ((__u8)l->v[i].counter == counter)
			return &l->v[i];
	return NULL;
}
