// SPDX-License-Identifier: MIT
/*
 * The kernel describes its own types in BTF at /sys/kernel/btf/vmlinux
 * (CONFIG_DEBUG_INFO_BTF, since 5.4; kernel/bpf/sysfs_btf.c), about 5.5 MB
 * on a distribution kernel.  It is read once, checked by the same reader as
 * the object's BTF (parse/btf.c: four bytes of index a type), and searched
 * in one pass for the names the object's relocations need; nothing else of
 * it is looked at.  A kernel built without it can be given one with --btf
 * (libbpf's btf_custom_path; BTFHub publishes them for old distributions).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "btf.h"
#include "core.h"
#include "core_load.h"
#include "file.h"
#include "fmt.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"
#define BTF_FILE_MAX (512u << 20)

void (*core_note)(const char *prog, const char *line);

static const char *btf_path;

/* The kernel's BTF, and the candidates of the object it was searched for. */
static struct {
	bool tried;
	int err;
	struct diag why;
	unsigned char *data; /* read into memory, or */
	void *map;	     /* mapped, of map_len bytes */
	size_t map_len;
	struct btf *btf;
	const struct spec *for_spec;
	struct core_cands *cands;
	size_t cand_cnt;
} kb;

void core_set_btf_path(const char *path)
{
	btf_path = path;
}

/*
 * The whole file: mapped when it can be (a regular file; sysfs's since 6.16,
 * kernel/bpf/sysfs_btf.c, btf_sysfs_vmlinux_mmap), else read in one buffer
 * of its size when it tells one (sysfs does, in page-sized reads).
 */
static int read_whole(const char *path, unsigned char **buf, size_t *len)
{
	struct stat st;
	size_t n = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (unsigned long long)st.st_size > BTF_FILE_MAX) {
		close(fd);
		return read_file(path, BTF_FILE_MAX, buf, len);
	}
	kb.map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (kb.map != MAP_FAILED) {
		close(fd);
		kb.map_len = *len = st.st_size;
		*buf = NULL;
		return 0;
	}
	kb.map = NULL;
	*buf = malloc(st.st_size + 1);
	if (!*buf) {
		close(fd);
		return -ENOMEM;
	}
	while (n < (size_t)st.st_size) {
		ssize_t got = read(fd, *buf + n, st.st_size - n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += got;
	}
	close(fd);
	(*buf)[n] = '\0';
	*len = n;
	return 0;
}

static int kernel_btf(struct diag *d)
{
	const char *path = btf_path ?: VMLINUX_BTF;
	size_t len = 0;
	int err;

	if (kb.tried) {
		if (kb.err)
			*d = kb.why;
		return kb.err;
	}
	kb.tried = true;
	err = read_whole(path, &kb.data, &len);
	if (err == -ENOENT && !btf_path)
		err = diag(&kb.why, err,
			   "this kernel has no BTF (%s): give its types with --btf PATH", path);
	else if (err)
		err = diag(&kb.why, err, "--btf %s: %s", path, strerror(-err));
	else
		err = btf_new(kb.map ?: kb.data, len, &kb.btf, &kb.why);
	if (err && (kb.data || kb.map)) {
		char msg[sizeof(kb.why.msg)];

		fmt(msg, sizeof(msg), "%s", kb.why.msg);
		diag(&kb.why, err, "kernel BTF %s: %s", path, msg);
	}
	kb.err = err;
	if (err)
		*d = kb.why;
	return err;
}

/* The essential names of every relocation's root type, searched for at once. */
static int find_cands(const struct spec *s, const struct btf *local, struct diag *d)
{
	size_t max = 0;

	if (kb.for_spec == s)
		return 0;
	core_cands_free(kb.cands, kb.cand_cnt);
	free(kb.cands);
	kb.cands = NULL;
	kb.cand_cnt = 0;
	for (size_t i = 0; i < s->prog_cnt; i++)
		max += s->progs[i].core_relo_cnt;
	kb.cands = calloc(max ?: 1, sizeof(*kb.cands));
	if (!kb.cands)
		return diag(d, -ENOMEM, "core: out of memory");
	for (size_t i = 0; i < s->prog_cnt; i++) {
		const struct spec_prog *p = &s->progs[i];

		for (size_t j = 0; j < p->core_relo_cnt && !p->skip; j++) {
			const char *name = core_root_name(local, &p->core_relos[j], d);
			size_t len, k;

			if (!name)
				continue; /* anonymous: core_resolve says what is wrong */
			len = core_essential_len(name);
			for (k = 0; k < kb.cand_cnt; k++)
				if (kb.cands[k].len == len && !memcmp(kb.cands[k].name, name, len))
					break;
			if (k == kb.cand_cnt && len)
				kb.cands[kb.cand_cnt++] = (struct core_cands){ name, len, NULL, 0 };
		}
	}
	kb.for_spec = s;
	return core_find_cands(kb.btf, kb.cands, kb.cand_cnt, d);
}

static const struct core_cands *cands_of(const struct btf *local, const struct bpf_core_relo *r)
{
	struct diag ignored;
	const char *name = core_root_name(local, r, &ignored);
	size_t len = name ? core_essential_len(name) : 0;

	for (size_t k = 0; name && k < kb.cand_cnt; k++)
		if (kb.cands[k].len == len && !memcmp(kb.cands[k].name, name, len))
			return &kb.cands[k];
	return NULL;
}

static bool needs_kernel(const struct spec_prog *p)
{
	for (size_t i = 0; i < p->core_relo_cnt; i++)
		if (p->core_relos[i].kind != BPF_CORE_TYPE_ID_LOCAL)
			return true;
	return false;
}

/* Resolves relocation i of p: the object's BTF opened by the caller. */
static int resolve(const struct btf *local, const struct spec_prog *p, size_t i,
		   struct core_res *res, struct diag *d)
{
	const struct bpf_core_relo *r = &p->core_relos[i];
	static const struct core_cands none;
	const struct core_cands *c = kb.btf ? cands_of(local, r) : NULL;
	struct diag why;
	int err;

	err = core_resolve(local, kb.btf, c ?: (kb.btf ? &none : NULL), r, res, &why);
	if (err)
		return diag(d, err, "prog '%s': CO-RE relocation %zu (%s): %s", p->name, i,
			    core_kind_name(r->kind), why.msg);
	return 0;
}

static void note(const struct spec_prog *p, const struct bpf_core_relo *r,
		 const struct core_res *res)
{
	char line[256];

	if (!core_note)
		return;
	if (res->poison)
		fmt(line, sizeof(line), "%s: %s %llu -> not in the kernel (poisoned)", res->what,
		    core_kind_name(r->kind), (unsigned long long)res->orig);
	else
		fmt(line, sizeof(line), "%s: %s %llu -> %llu", res->what, core_kind_name(r->kind),
		    (unsigned long long)res->orig, (unsigned long long)res->val);
	core_note(p->name, line);
}

int core_apply(const struct spec *s, const struct spec_prog *p, struct bpf_insn *insns, size_t cnt,
	       struct diag *d)
{
	struct btf *local = NULL;
	int err;

	if (!p->core_relo_cnt)
		return 0;
	if (!s->btf)
		return diag(d, -EINVAL, "prog '%s': CO-RE relocations without .BTF", p->name);
	err = btf_new(s->btf, s->btf_size, &local, d);
	if (err)
		return err;
	if (needs_kernel(p)) {
		struct diag why;

		err = kernel_btf(&why);
		if (err) {
			btf_free(local);
			return diag(d, err, "prog '%s': %zu CO-RE relocation%s: %s", p->name,
				    p->core_relo_cnt, p->core_relo_cnt == 1 ? "" : "s", why.msg);
		}
		err = find_cands(s, local, d);
	}
	/* Compute every value first, then patch: nothing half-done on an error. */
	for (size_t i = 0; !err && i < p->core_relo_cnt; i++) {
		struct core_res res;
		struct diag why;

		err = resolve(local, p, i, &res, d);
		if (err)
			break;
		note(p, &p->core_relos[i], &res);
		err = core_patch(insns, cnt, &p->core_relos[i], &res, &why);
		if (err)
			diag(d, err, "prog '%s': CO-RE relocation %zu (%s, %s): %s", p->name, i,
			     res.what, core_kind_name(p->core_relos[i].kind), why.msg);
	}
	btf_free(local);
	return err;
}

/* The source line of instruction insn, from the program's line_info. */
static void source_line(const struct btf *local, const struct spec_prog *p, __u32 insn, char *buf,
			size_t size)
{
	const struct bpf_line_info *best = NULL;
	const char *file, *base;

	buf[0] = '\0';
	for (size_t i = 0; i < p->line_info_cnt; i++)
		if (p->line_info[i].insn_off <= insn &&
		    (!best || p->line_info[i].insn_off >= best->insn_off))
			best = &p->line_info[i];
	if (!best)
		return;
	file = btf_name(local, best->file_name_off);
	base = file ? strrchr(file, '/') : NULL;
	fmt(buf, size, ", near %s:%u",
	    base   ? base + 1
	    : file ? file
		   : "?",
	    BPF_LINE_INFO_LINE_NUM(best->line_col));
}

int core_explain(const struct spec *s, const struct spec_prog *p, const char *log, struct diag *d)
{
	char want[48], where[96];
	const char *hit, *line;
	struct btf *local = NULL;
	struct core_res res;
	struct diag why;
	unsigned long insn;
	size_t i;

	if (!log || !p->core_relo_cnt || !s->btf)
		return 0;
	fmt(want, sizeof(want), ") call unknown#%d\n", CORE_POISON);
	hit = strstr(log, want);
	if (!hit)
		return 0;
	for (line = hit; line > log && line[-1] != '\n'; line--)
		;
	insn = strtoul(line, NULL, 10);
	for (i = 0; i < p->core_relo_cnt; i++)
		if (p->core_relos[i].insn_off == insn)
			break;
	if (i == p->core_relo_cnt || btf_new(s->btf, s->btf_size, &local, &why))
		return 0;
	if (resolve(local, p, i, &res, &why)) {
		btf_free(local);
		return 0;
	}
	source_line(local, p, insn, where, sizeof(where));
	diag(d, -EINVAL,
	     "prog '%s': CO-RE relocation %zu (%s: %s) found nothing in the kernel's BTF, and "
	     "the verifier reached the instruction it poisoned (instruction %lu%s)",
	     p->name, i, res.what, core_kind_name(p->core_relos[i].kind), insn, where);
	btf_free(local);
	return 1;
}

void core_release(void)
{
	core_cands_free(kb.cands, kb.cand_cnt);
	free(kb.cands);
	btf_free(kb.btf);
	free(kb.data);
	if (kb.map)
		munmap(kb.map, kb.map_len);
	memset(&kb, 0, sizeof(kb));
}
