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
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <linux/btf.h>
#include <sys/utsname.h>

#include "bpf.h"
#include "btf.h"
#include "core.h"
#include "core_load.h"
#include "file.h"
#include "fmt.h"
#include "tp_format.h"

#define SYSFS_BTF "/sys/kernel/btf"
#define VMLINUX_BTF SYSFS_BTF "/vmlinux"
#define BTF_FILE_MAX (512u << 20)

void (*core_note)(const char *prog, const char *line);

static const char *btf_path;
static const char *tracefs_path;
static int obj_btf_fd = -1;

/*
 * A module's BTF, /sys/kernel/btf/<module> (CONFIG_DEBUG_INFO_BTF_MODULES,
 * 5.11; kernel/bpf/btf.c, btf_module_notify): split BTF on top of
 * vmlinux's, so its type ids go on after vmlinux's last (parse/btf.c,
 * btf_new_split).  The kernel knows it as a BTF object of its own, which a
 * program names by fd when it uses one of its kfuncs or variables.
 */
struct kmod {
	char name[64];
	unsigned char *data;
	struct btf *btf;
	int fd;	    /* its BTF object, once an extern needs it; -1 before */
	int fd_idx; /* its index in fd_array, once a kfunc call needs it; 0 before */
};

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
	int *cand_mod; /* per candidate set: the module whose they are, or -1: vmlinux's */
	/* Modules' BTF, read only when vmlinux lacks a name looked for. */
	bool mods_read;
	struct kmod *mods;
	size_t mod_cnt;
	int *fd_array; /* BPF_PROG_LOAD's: [0] unused, then modules' BTF fds */
	size_t fd_cnt;
	/* The ".kconfig" map of for_spec's externs, once made. */
	int kconfig_fd;
	__u32 kconfig_size;
} kb = { .kconfig_fd = -1 };

void core_set_btf_path(const char *path)
{
	btf_path = path;
}

void core_set_tracefs(const char *path)
{
	tracefs_path = path;
}

void core_set_object_btf(int fd)
{
	obj_btf_fd = fd;
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

static int mod_by_name(const void *a, const void *b)
{
	return strcmp(((const struct kmod *)a)->name, ((const struct kmod *)b)->name);
}

/* Every module's BTF, split on vmlinux's; none with --btf, whose ids they do not continue. */
static int read_modules(struct diag *d)
{
	struct dirent *e;
	DIR *dir;
	int err = 0;

	if (kb.mods_read)
		return 0;
	kb.mods_read = true;
	if (btf_path || !(dir = opendir(SYSFS_BTF)))
		return 0;
	while (!err && (e = readdir(dir))) {
		char path[sizeof(SYSFS_BTF) + sizeof(e->d_name)];
		struct kmod *m;
		struct diag why;
		size_t len;

		if (e->d_name[0] == '.' || !strcmp(e->d_name, "vmlinux") ||
		    strlen(e->d_name) >= sizeof(m->name))
			continue;
		m = realloc(kb.mods, (kb.mod_cnt + 1) * sizeof(*m));
		if (!m) {
			err = diag(d, -ENOMEM, "core: out of memory");
			break;
		}
		kb.mods = m;
		m = &kb.mods[kb.mod_cnt];
		*m = (struct kmod){ .fd = -1 };
		fmt(m->name, sizeof(m->name), "%s", e->d_name);
		fmt(path, sizeof(path), SYSFS_BTF "/%s", e->d_name);
		if (read_file(path, BTF_FILE_MAX, &m->data, &len))
			continue; /* unloaded since the directory was read */
		err = btf_new_split(m->data, len, kb.btf, &m->btf, &why);
		if (err) {
			free(m->data);
			err = diag(d, err, "kernel BTF of module %s: %s", m->name, why.msg);
			break;
		}
		kb.mod_cnt++;
	}
	closedir(dir);
	if (kb.mod_cnt)
		qsort(kb.mods, kb.mod_cnt, sizeof(*kb.mods), mod_by_name);
	return err;
}

/*
 * What vmlinux lacks may be a loaded module's: one of its structs, or a
 * kfunc it registers.  As libbpf does (relo_core.c's candidates,
 * libbpf.c's find_ksym_btf_id), modules are searched only for names
 * vmlinux does not have; here the first module, by name, that has the
 * name gives every candidate.
 */
static int module_cands(size_t k, struct diag *d)
{
	int err = read_modules(d);

	for (size_t i = 0; !err && i < kb.mod_cnt && !kb.cands[k].cnt; i++) {
		err = core_find_cands(kb.mods[i].btf, &kb.cands[k], 1, d);
		if (!err && kb.cands[k].cnt)
			kb.cand_mod[k] = (int)i;
	}
	return err;
}

/* The essential names of every relocation's root type, searched for at once. */
static int find_cands(const struct spec *s, const struct btf *local, struct diag *d)
{
	size_t max = 0;
	int err;

	if (kb.for_spec == s)
		return 0;
	core_cands_free(kb.cands, kb.cand_cnt);
	free(kb.cands);
	kb.cands = NULL;
	kb.cand_cnt = 0;
	for (size_t i = 0; i < s->prog_cnt; i++)
		max += s->progs[i].core_relo_cnt + s->progs[i].extern_cnt;
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
		/* __ksym externs: kernel functions and variables, by name. */
		for (size_t j = 0; j < p->extern_cnt && !p->skip; j++) {
			const char *name = p->externs[j].name;
			size_t len = core_essential_len(name), k;

			if (p->externs[j].kind != SPEC_EXTERN_KSYM)
				continue;
			for (k = 0; k < kb.cand_cnt; k++)
				if (kb.cands[k].len == len && !memcmp(kb.cands[k].name, name, len))
					break;
			if (k == kb.cand_cnt && len)
				kb.cands[kb.cand_cnt++] = (struct core_cands){ name, len, NULL, 0 };
		}
	}
	kb.for_spec = s;
	free(kb.cand_mod);
	kb.cand_mod = malloc((kb.cand_cnt ?: 1) * sizeof(*kb.cand_mod));
	if (!kb.cand_mod)
		return diag(d, -ENOMEM, "core: out of memory");
	for (size_t k = 0; k < kb.cand_cnt; k++)
		kb.cand_mod[k] = -1;
	err = core_find_cands(kb.btf, kb.cands, kb.cand_cnt, d);
	for (size_t k = 0; !err && k < kb.cand_cnt; k++)
		if (!kb.cands[k].cnt)
			err = module_cands(k, d);
	return err;
}

static const struct core_cands *cands_of(const struct btf *local, const struct bpf_core_relo *r,
					 const struct core_cands *set, size_t n)
{
	struct diag ignored;
	const char *name = core_root_name(local, r, &ignored);
	size_t len = name ? core_essential_len(name) : 0;

	for (size_t k = 0; name && k < n; k++)
		if (set[k].len == len && !memcmp(set[k].name, name, len))
			return &set[k];
	return NULL;
}

static bool needs_kernel(const struct spec_prog *p)
{
	for (size_t i = 0; i < p->core_relo_cnt; i++)
		if (p->core_relos[i].kind != BPF_CORE_TYPE_ID_LOCAL)
			return true;
	for (size_t i = 0; i < p->extern_cnt; i++)
		if (p->externs[i].kind == SPEC_EXTERN_KSYM)
			return true;
	return false;
}

/*
 * The kernel's FUNC or VAR (kind) called name, by its essential name; 0 if
 * none.  *mod: the module whose it is, or NULL for vmlinux's.
 */
static __u32 kernel_named(const char *name, int kind, struct kmod **mod)
{
	size_t len = core_essential_len(name);

	*mod = NULL;
	for (size_t k = 0; k < kb.cand_cnt; k++) {
		struct kmod *m = kb.cand_mod[k] >= 0 ? &kb.mods[kb.cand_mod[k]] : NULL;
		const struct btf *b = m ? m->btf : kb.btf;

		if (kb.cands[k].len != len || memcmp(kb.cands[k].name, name, len))
			continue;
		for (size_t i = 0; i < kb.cands[k].cnt; i++) {
			const struct btf_type *t = btf_type_by_id(b, kb.cands[k].ids[i]);

			if ((int)BTF_INFO_KIND(t->info) == kind) {
				*mod = m;
				return kb.cands[k].ids[i];
			}
		}
	}
	return 0;
}

/*
 * A module's BTF object, as the kernel numbers it: the one of its name
 * among all (BPF_BTF_GET_NEXT_ID, BPF_BTF_GET_FD_BY_ID, and
 * BPF_OBJ_GET_INFO_BY_FD's bpf_btf_info: name, kernel_btf), as libbpf's
 * load_module_btfs finds them.  An fd, kept until core_release().
 */
static int module_fd(struct kmod *m, struct diag *d)
{
	__u32 id = 0;

	if (m->fd >= 0)
		return m->fd;
	while (!bpf_btf_get_next_id(id, &id)) {
		struct bpf_btf_info info;
		__u32 len = sizeof(info);
		char name[sizeof(m->name)] = "";
		int fd = bpf_btf_get_fd_by_id(id);

		if (fd < 0)
			continue; /* gone since */
		memset(&info, 0, sizeof(info));
		info.name = (__u64)(unsigned long)name;
		info.name_len = sizeof(name);
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) && info.kernel_btf &&
		    !strcmp(name, m->name)) {
			m->fd = fd;
			return fd;
		}
		close(fd);
	}
	return diag(d, -ENOENT, "module %s: no BTF object of that name in the kernel", m->name);
}

/*
 * A kfunc call names the BTF its FUNC is in by insn->off: 0 for vmlinux,
 * else an index into the program's fd_array holding that BTF's fd
 * (kernel/bpf/verifier.c, add_kfunc_call and find_kfunc_desc_btf); as
 * libbpf, index 0 is left unused.  The index, or -errno with d.
 */
static int module_fd_idx(struct kmod *m, struct diag *d)
{
	int fd, *arr;

	if (m->fd_idx)
		return m->fd_idx;
	fd = module_fd(m, d);
	if (fd < 0)
		return fd;
	if (kb.fd_cnt >= INT16_MAX)
		return diag(d, -E2BIG, "module %s: more module BTFs than insn->off counts",
			    m->name);
	arr = realloc(kb.fd_array, (kb.fd_cnt + 2) * sizeof(*arr));
	if (!arr)
		return diag(d, -ENOMEM, "core: out of memory");
	kb.fd_array = arr;
	if (!kb.fd_cnt)
		kb.fd_array[kb.fd_cnt++] = 0;
	kb.fd_array[kb.fd_cnt] = fd;
	m->fd_idx = (int)kb.fd_cnt++;
	return m->fd_idx;
}

const int *core_fd_array(void)
{
	return kb.fd_cnt ? kb.fd_array : NULL;
}

/*
 * Calls fn on each line of path (NUL-terminated, without its newline; a
 * line longer than 511 bytes is cut) until it returns non-zero, read a
 * page at a time: /proc/kallsyms is megabytes long.  fn's value, 0 at the
 * end, or -errno.  No stdio: it would cost the static binary more than this.
 */
static int for_each_line(const char *path, int (*fn)(char *line, void *ctx), void *ctx)
{
	char buf[4096], line[512];
	size_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = 0;
	ssize_t got;

	if (fd < 0)
		return -errno;
	while (!ret && (got = read(fd, buf, sizeof(buf))) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		for (ssize_t i = 0; i < got && !ret; i++) {
			if (buf[i] != '\n') {
				if (n < sizeof(line) - 1)
					line[n++] = buf[i];
				continue;
			}
			line[n] = '\0';
			n = 0;
			ret = fn(line, ctx);
		}
	}
	if (!ret && n) {
		line[n] = '\0';
		ret = fn(line, ctx);
	}
	close(fd);
	return ret;
}

struct ksym_find {
	const char *name;
	__u64 addr;
};

/* "ffffffff81000000 T _text [module]": 1 when it is the one looked for. */
static int kallsyms_line(char *line, void *ctx)
{
	struct ksym_find *k = ctx;
	char *end, *sym;
	__u64 a = strtoull(line, &end, 16);
	size_t len = strlen(k->name);

	if (end == line || end[0] != ' ' || !end[1] || end[2] != ' ')
		return 0;
	sym = end + 3;
	if (strncmp(sym, k->name, len) || (sym[len] && sym[len] != '\t' && sym[len] != ' '))
		return 0;
	k->addr = a;
	return 1;
}

/*
 * An untyped ksym (extern const void sym __ksym) is an address, found in
 * /proc/kallsyms, as libbpf does (libbpf.c, bpf_object__read_kallsyms_file).
 * Without CAP_SYSLOG (kptr_restrict) every address there reads 0.
 */
static int kallsyms_addr(const char *name, __u64 *addr)
{
	struct ksym_find k = { .name = name };
	int ret = for_each_line("/proc/kallsyms", kallsyms_line, &k);

	if (ret < 0)
		return ret;
	if (!ret)
		return -ENOENT;
	*addr = k.addr;
	return k.addr ? 0 : -EPERM;
}

/* LINUX_KERNEL_VERSION: KERNEL_VERSION(a, b, c) of uname's release, c at most 255. */
static __u64 kernel_version(void)
{
	struct utsname u;
	unsigned long v[3] = { 0, 0, 0 };
	char *p;

	if (uname(&u))
		return 0;
	p = u.release;
	for (int i = 0; i < 3; i++) {
		v[i] = strtoul(p, &p, 10);
		if (*p != '.')
			break;
		p++;
	}
	return (__u64)(v[0] & 0xff) << 16 | (v[1] & 0xff) << 8 | (v[2] > 255 ? 255 : v[2]);
}

struct kconfig_find {
	const char *name;
	__u64 val;
	int err;
};

/* "CONFIG_X=y": 1 when it is the one looked for. */
static int kconfig_line(char *line, void *ctx)
{
	struct kconfig_find *k = ctx;
	size_t len = strlen(k->name);
	char *v = line + len + 1, *end;

	if (strncmp(line, k->name, len) || line[len] != '=')
		return 0;
	if (*v == 'y')
		k->val = 1;
	else if (*v == 'm')
		k->val = 2;
	else if (*v == 'n')
		k->val = 0;
	else if ((k->val = strtoull(v, &end, 0)), end == v)
		k->err = -EINVAL;
	return 1;
}

/*
 * A CONFIG_ value from /boot/config-<release> (mini-trace has no gzip for
 * /proc/config.gz): y 1, m 2, n and unset 0 (libbpf's enum
 * libbpf_tristate), or a number.  -ENOENT when the file is unreadable,
 * -EINVAL for a string value, which no integer holds.
 */
static int kconfig_value(const char *name, __u64 *val, bool *found)
{
	struct utsname u;
	char path[128 + sizeof(u.release)];
	struct kconfig_find k = { .name = name };
	int ret;

	*found = false;
	*val = 0;
	if (uname(&u))
		return -errno;
	fmt(path, sizeof(path), "/boot/config-%s", u.release);
	ret = for_each_line(path, kconfig_line, &k);
	if (ret < 0)
		return -ENOENT;
	*found = ret == 1;
	*val = k.val;
	return k.err;
}

/*
 * The __kconfig externs live in a read-only array map of their own, as
 * libbpf's ".kconfig" (libbpf.c, bpf_object__init_kconfig_map): the
 * program reads them through an ld_imm64 of their address in its value
 * (BPF_PSEUDO_MAP_VALUE), frozen so the verifier knows them constant.
 * Laid out as libbpf lays it (cmp_externs) in the object's ".kconfig"
 * DATASEC (parse/btf.c, kconfig_layout), which is also the type of the
 * map's value.
 */

/* Where name lies in the map, and the map's size; -ENOENT if not a __kconfig extern. */
static int kconfig_off(const struct btf *local, const char *name, __u32 *off, __u32 *total,
		       __u32 *datasec)
{
	__u32 id = btf_datasec_id(local, ".kconfig");
	const struct btf_type *t = btf_type_by_id(local, id);
	const struct btf_var_secinfo *vi = t ? (const void *)(t + 1) : NULL;

	*off = UINT32_MAX;
	*total = t ? t->size : 0;
	*datasec = id;
	for (__u32 i = 0; t && i < BTF_INFO_VLEN(t->info); i++) {
		const struct btf_type *v = btf_type_by_id(local, vi[i].type);
		const char *vname = v ? btf_name(local, v->name_off) : NULL;

		if (vname && !strcmp(vname, name))
			*off = vi[i].offset;
	}
	return *off == UINT32_MAX ? -ENOENT : 0;
}

static int kconfig_map(const struct spec *s, const struct btf *local, struct diag *d)
{
	struct bpf_map_create_opts opts = { .map_flags = BPF_F_RDONLY_PROG };
	unsigned char *val;
	__u32 cnt, off, key = 0, datasec;
	int fd, err = 0;

	if (kb.kconfig_fd >= 0)
		return 0;
	kconfig_off(local, "", &off, &cnt, &datasec);
	val = calloc(cnt ?: 1, 1);
	if (!val)
		return diag(d, -ENOMEM, "core: out of memory");
	for (size_t i = 0; i < s->prog_cnt && !err; i++)
		for (size_t j = 0; j < s->progs[i].extern_cnt && !err; j++) {
			const struct spec_extern *x = &s->progs[i].externs[j];
			const struct btf_type *v = btf_type_by_id(local, x->type);
			long long size = v ? btf_type_size(local, x->type) : -1;
			__u64 num = 0;
			bool found = true;

			if (x->kind != SPEC_EXTERN_KCONFIG)
				continue;
			if (size < 1 || size > 8) {
				err = diag(d, -EOPNOTSUPP,
					   "extern '%s' (__kconfig): only integers are supported",
					   x->name);
				break;
			}
			if (!strcmp(x->name, "LINUX_KERNEL_VERSION")) {
				num = kernel_version();
			} else if (!strncmp(x->name, "CONFIG_", 7)) {
				err = kconfig_value(x->name, &num, &found);
			} else {
				/*
				 * libbpf's other virtual externs (LINUX_HAS_SYSCALL_WRAPPER,
				 * LINUX_HAS_BPF_COOKIE): a value mini-trace does not give is
				 * refused, weak or not, as libbpf refuses one it does not know,
				 * rather than left 0 for a program to act on.
				 */
				err = diag(d, -EOPNOTSUPP,
					   "extern '%s' (__kconfig): not a value mini-trace gives "
					   "(LINUX_KERNEL_VERSION and CONFIG_* only)",
					   x->name);
				break;
			}
			if (err == -ENOENT && x->weak)
				err = 0; /* unreadable: as if unset */
			if (err == -ENOENT)
				err = diag(d, err,
					   "extern '%s' (__kconfig): this kernel's config is not "
					   "readable (/boot/config-$(uname -r))",
					   x->name);
			else if (err)
				err = diag(d, err, "extern '%s' (__kconfig): not an integer",
					   x->name);
			else if (!found && !x->weak)
				err = diag(d, -ENOENT,
					   "extern '%s' (__kconfig): not in this kernel's config",
					   x->name);
			if (kconfig_off(local, x->name, &off, &cnt, &datasec) || off + size > cnt) {
				err = diag(d, -EINVAL, "extern '%s' (__kconfig): no room", x->name);
				break;
			}
			/* The low bytes of num, wherever this host keeps them. */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
			memcpy(val + off, (unsigned char *)&num + 8 - size, size);
#else
			memcpy(val + off, &num, size);
#endif
		}
	if (!err) {
		/* Its value typed by the DATASEC, as libbpf does, if the kernel took the BTF. */
		if (obj_btf_fd >= 0 && datasec && cnt) {
			opts.btf_fd = obj_btf_fd;
			opts.btf_value_type_id = datasec;
		}
		fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, ".kconfig", sizeof(key), cnt ?: 1, 1,
				    &opts);
		if (fd < 0 && opts.btf_fd) {
			opts.btf_fd = opts.btf_value_type_id = 0;
			fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, ".kconfig", sizeof(key), cnt ?: 1,
					    1, &opts);
		}
		if (fd < 0)
			err = diag(d, fd, "map '.kconfig': create: %s", strerror(-fd));
		else if ((err = bpf_map_update_elem(fd, &key, val, 0)) ||
			 (err = bpf_map_freeze(fd)))
			diag(d, err, "map '.kconfig': fill: %s", strerror(-err));
		if (fd >= 0 && err)
			close(fd);
		else if (fd >= 0)
			kb.kconfig_fd = fd;
	}
	free(val);
	return err;
}

/*
 * Each extern's instruction, as libbpf writes it (libbpf.c,
 * bpf_object__relocate_data and bpf_object__resolve_ksym_*):
 *  - a kfunc call: src_reg BPF_PSEUDO_KFUNC_CALL, imm the FUNC's id in the
 *    kernel's BTF, off 0 for vmlinux (kernel/bpf/verifier.c,
 *    add_kfunc_call).  A missing __weak one is poisoned like a CO-RE
 *    relocation, for bpf_ksym_exists() to guard;
 *  - the address of a kfunc or a typed variable: BPF_PSEUDO_BTF_ID with
 *    its id (check_pseudo_btf_id), of an untyped one the number from
 *    /proc/kallsyms; of a missing __weak one, 0;
 *  - a __kconfig value's address: BPF_PSEUDO_MAP_VALUE in ".kconfig".
 */
static int resolve_extern(const struct spec *s, const struct spec_prog *p, const struct btf *local,
			  const struct spec_extern *x, struct bpf_insn *insns, size_t cnt,
			  struct diag *d)
{
	struct bpf_insn *insn = &insns[x->insn];
	const struct btf_type *lt = btf_type_by_id(local, x->type);
	bool call = insn->code == (BPF_JMP | BPF_CALL);
	bool is_func = lt && BTF_INFO_KIND(lt->info) == BTF_KIND_FUNC;
	__u32 id = 0, off, n, ds;
	struct kmod *mod = NULL;
	char line[160], where[96] = "kernel";
	int err;

	if (x->insn >= cnt || (!call && x->insn + 1 >= cnt))
		return diag(d, -EINVAL, "prog '%s': extern '%s' out of range", p->name, x->name);
	if (x->kind == SPEC_EXTERN_KCONFIG) {
		err = kconfig_map(s, local, d);
		if (err)
			return err;
		kconfig_off(local, x->name, &off, &n, &ds);
		insn[0].src_reg = BPF_PSEUDO_MAP_VALUE;
		insn[0].imm = kb.kconfig_fd;
		insn[1].imm = off;
		fmt(line, sizeof(line), "%s: __kconfig at .kconfig+%u", x->name, off);
		if (core_note)
			core_note(p->name, line);
		return 0;
	}
	if (kb.btf)
		id = kernel_named(x->name, is_func ? BTF_KIND_FUNC : BTF_KIND_VAR, &mod);
	if (mod)
		fmt(where, sizeof(where), "module %s", mod->name);
	if (call) {
		if (!is_func)
			return diag(d, -EINVAL, "prog '%s': call of '%s', which is no function",
				    p->name, x->name);
		if (!id && !x->weak)
			return diag(d, -ENOENT, "prog '%s': kfunc '%s' is not in this kernel",
				    p->name, x->name);
		err = mod ? module_fd_idx(mod, d) : 0;
		if (err < 0)
			return err;
		if (id)
			*insn = (struct bpf_insn){ .code = BPF_JMP | BPF_CALL,
						   .src_reg = BPF_PSEUDO_KFUNC_CALL,
						   .off = (__s16)err,
						   .imm = (__s32)id };
		else
			*insn = (struct bpf_insn){ .code = BPF_JMP | BPF_CALL, .imm = CORE_POISON };
		fmt(line, sizeof(line), "%s: kfunc, %s BTF id %u%s", x->name, where, id,
		    !id	  ? " (missing, __weak: poisoned)"
		    : mod ? " (via fd_array)"
			  : "");
	} else if (id && (is_func || (lt && BTF_INFO_KIND(lt->info) == BTF_KIND_VAR &&
				      btf_skip_mods(local, lt->type, NULL)))) {
		__u64 addr;

		/*
		 * The verifier finds a variable's address by name with
		 * kallsyms_lookup_name() (check_pseudo_btf_id), which knows
		 * vmlinux's data only with CONFIG_KALLSYMS_ALL: a readable
		 * /proc/kallsyms without the name means the load would fail.
		 */
		if (!is_func && kallsyms_addr(x->name, &addr) == -ENOENT)
			return diag(d, -ENOENT,
				    "prog '%s': extern '%s' (__ksym): a variable not in "
				    "/proc/kallsyms: this kernel was built without "
				    "CONFIG_KALLSYMS_ALL, the verifier cannot find its address",
				    p->name, x->name);
		/* The BTF's fd in the next insn: 0 for vmlinux (check_pseudo_btf_id). */
		err = mod ? module_fd(mod, d) : 0;
		if (err < 0)
			return err;
		insn[0].src_reg = BPF_PSEUDO_BTF_ID;
		insn[0].imm = (__s32)id;
		insn[1].imm = err;
		fmt(line, sizeof(line), "%s: __ksym, %s BTF id %u", x->name, where, id);
	} else {
		__u64 addr = 0;

		/*
		 * A typed variable is a BTF id or nothing: its address as a
		 * number would be a scalar to the verifier, no pointer.  pahole
		 * encodes per-CPU variables only (some 5.10 builds none).
		 */
		if (kb.btf && !is_func && !x->weak && lt &&
		    BTF_INFO_KIND(lt->info) == BTF_KIND_VAR && btf_skip_mods(local, lt->type, NULL))
			return diag(d, -ENOENT,
				    "prog '%s': extern '%s' (__ksym): a typed variable the "
				    "kernel's BTF does not have",
				    p->name, x->name);
		if (!is_func)
			err = kallsyms_addr(x->name, &addr);
		else
			err = -ENOENT;
		if (err && !x->weak)
			return diag(d, err, "prog '%s': extern '%s' (__ksym): %s", p->name, x->name,
				    err == -EPERM    ? "/proc/kallsyms hides its address"
				    : err == -ENOENT ? "not in /proc/kallsyms"
						     : strerror(-err));
		insn[0].imm = (__s32)(__u32)addr;
		insn[1].imm = (__s32)(__u32)(addr >> 32);
		fmt(line, sizeof(line), "%s: __ksym, %s", x->name,
		    addr ? "from /proc/kallsyms" : "missing, __weak: 0");
	}
	if (core_note)
		core_note(p->name, line);
	return 0;
}

/* The types relocations are resolved against: the kernel's BTF, or tracefs'. */
struct target {
	const struct btf *btf;
	const struct core_cands *cands;
	size_t cand_cnt;
	const int *cand_mod; /* the module of each candidate set (kb.cand_mod), or NULL */
};

/* Resolves relocation i of p: the object's BTF opened by the caller. */
static int resolve(const struct btf *local, const struct target *t, const struct spec_prog *p,
		   size_t i, struct core_res *res, struct diag *d)
{
	const struct bpf_core_relo *r = &p->core_relos[i];
	static const struct core_cands none;
	const struct core_cands *c = t->btf ? cands_of(local, r, t->cands, t->cand_cnt) : NULL;
	int mod = c && t->cand_mod ? t->cand_mod[c - t->cands] : -1;
	struct diag why;
	int err;

	/* A module's candidates are resolved in its BTF, which reads on into vmlinux's. */
	err = core_resolve(local, mod >= 0 ? kb.mods[mod].btf : t->btf,
			   c ?: (t->btf ? &none : NULL), r, res, &why);
	if (err)
		return diag(d, err, "prog '%s': CO-RE relocation %zu (%s): %s", p->name, i,
			    core_kind_name(r->kind), why.msg);
	if (mod >= 0) {
		size_t n = strlen(res->what);

		fmt(res->what + n, sizeof(res->what) - n, " (module %s)", kb.mods[mod].name);
	}
	return 0;
}

static void note(const struct spec_prog *p, const struct bpf_core_relo *r,
		 const struct core_res *res)
{
	char line[256];

	if (!core_note)
		return;
	if (res->poison)
		fmt(line, sizeof(line), "CO-RE %s: %s %llu -> not in the kernel (poisoned)",
		    res->what, core_kind_name(r->kind), (unsigned long long)res->orig);
	else if (res->fail_memsz && res->orig_sz != res->new_sz)
		fmt(line, sizeof(line),
		    "CO-RE %s: %s %llu -> %llu, a signed field of %u bytes read as %u (poisoned)",
		    res->what, core_kind_name(r->kind), (unsigned long long)res->orig,
		    (unsigned long long)res->val, res->new_sz, res->orig_sz);
	else
		fmt(line, sizeof(line), "CO-RE %s: %s %llu -> %llu", res->what,
		    core_kind_name(r->kind), (unsigned long long)res->orig,
		    (unsigned long long)res->val);
	core_note(p->name, line);
}

/*
 * Tracepoint contexts without kernel BTF.  A tracepoint program's context
 * is the record of its event, struct trace_event_raw_<class> in the
 * kernel's BTF; the syscall events' records read as trace_event_raw_sys_enter
 * and _sys_exit are raw_syscalls' (include/trace/events/syscalls.h: long id,
 * unsigned long args[6]; long id, long ret), whose first fields
 * struct syscall_trace_enter and _exit share (include/trace/syscall.h).
 * Where the kernel has no BTF, such relocations are resolved against the
 * layout tracefs gives (load/tp_format.c).  Any other root type needs the
 * kernel's BTF.
 */
#define TP_PREFIX "trace_event_raw_"
#define TP_NAMES_MAX 4

struct tp_target {
	void *blob;
	struct btf *btf;
	char names[TP_NAMES_MAX][128];
	struct core_cands cands[TP_NAMES_MAX];
	size_t cnt;
};

/* The format file that describes struct name (an essential name) for p, or NULL. */
static const char *tp_event(const struct spec_prog *p, const char *name)
{
	if (!strcmp(name, TP_PREFIX "sys_enter"))
		return "raw_syscalls/sys_enter";
	if (!strcmp(name, TP_PREFIX "sys_exit"))
		return "raw_syscalls/sys_exit";
	return p->attach == SPEC_ATTACH_TRACEPOINT ? p->target : NULL;
}

/*
 * Whether every relocation of p that needs the kernel is against a
 * tracepoint context; fills t->names with their essential names.
 */
static bool tp_only(const struct btf *local, const struct spec_prog *p, struct tp_target *t)
{
	for (size_t i = 0; i < p->extern_cnt; i++)
		if (p->externs[i].kind == SPEC_EXTERN_KSYM)
			return false;
	for (size_t i = 0; i < p->core_relo_cnt; i++) {
		const struct bpf_core_relo *r = &p->core_relos[i];
		struct diag ignored;
		const char *name;
		size_t len, k;

		if (r->kind == BPF_CORE_TYPE_ID_LOCAL)
			continue;
		name = core_root_name(local, r, &ignored);
		if (!name || strncmp(name, TP_PREFIX, strlen(TP_PREFIX)))
			return false;
		len = core_essential_len(name);
		if (len >= sizeof(t->names[0]))
			return false;
		for (k = 0; k < t->cnt; k++)
			if (strlen(t->names[k]) == len && !memcmp(t->names[k], name, len))
				break;
		if (k < t->cnt)
			continue;
		if (t->cnt == TP_NAMES_MAX)
			return false;
		memcpy(t->names[t->cnt], name, len);
		t->names[t->cnt][len] = '\0';
		if (!tp_event(p, t->names[t->cnt]))
			return false;
		t->cnt++;
	}
	return t->cnt > 0;
}

static int tp_open(const struct spec_prog *p, struct tp_target *t, struct target *out,
		   struct diag *d)
{
	const char *events[TP_NAMES_MAX], *names[TP_NAMES_MAX];
	size_t size = 0;
	int err;

	if (!tracefs_path)
		return diag(d, -ENOENT, "no tracefs to read tracepoint formats from");
	for (size_t i = 0; i < t->cnt; i++) {
		char line[256];

		names[i] = t->names[i];
		events[i] = tp_event(p, t->names[i]);
		t->cands[i] = (struct core_cands){ t->names[i], strlen(t->names[i]), NULL, 0 };
		fmt(line, sizeof(line), "CO-RE %s: no kernel BTF: from %s/events/%s/format",
		    names[i], tracefs_path, events[i]);
		if (core_note)
			core_note(p->name, line);
	}
	err = tp_format_btf(tracefs_path, events, names, t->cnt, &t->blob, &size, d);
	if (!err)
		err = btf_new(t->blob, size, &t->btf, d);
	if (!err)
		err = core_find_cands(t->btf, t->cands, t->cnt, d);
	*out = (struct target){ t->btf, t->cands, t->cnt, NULL };
	return err;
}

static void tp_close(struct tp_target *t)
{
	core_cands_free(t->cands, t->cnt);
	btf_free(t->btf);
	free(t->blob);
}

/*
 * The types p's relocations are resolved against: the kernel's BTF (and its
 * modules'), or, without it, p's tracepoint formats in tp.  Empty when p
 * needs nothing of the kernel.
 */
static int open_target(const struct spec *s, const struct spec_prog *p, const struct btf *local,
		       struct tp_target *tp, struct target *target, struct diag *d)
{
	struct diag why;
	int err;

	*target = (struct target){ 0 };
	if (!needs_kernel(p))
		return 0;
	err = kernel_btf(&why);
	if (err == -ENOENT && !btf_path && tp_only(local, p, tp)) {
		err = tp_open(p, tp, target, &why);
		if (err)
			diag(d, err, "prog '%s': tracepoint context without kernel BTF: %s",
			     p->name, why.msg);
		return err;
	}
	if (err && !p->core_relo_cnt)
		return diag(d, err, "prog '%s': __ksym externs: %s", p->name, why.msg);
	if (err)
		return diag(d, err, "prog '%s': %zu CO-RE relocation%s: %s", p->name,
			    p->core_relo_cnt, p->core_relo_cnt == 1 ? "" : "s", why.msg);
	err = find_cands(s, local, d);
	*target = (struct target){ kb.btf, kb.cands, kb.cand_cnt, kb.cand_mod };
	return err;
}

int core_apply(const struct spec *s, const struct spec_prog *p, struct bpf_insn *insns, size_t cnt,
	       struct diag *d)
{
	struct btf *local = NULL;
	struct tp_target tp = { 0 };
	struct target target;
	int err;

	if (!p->core_relo_cnt && !p->extern_cnt)
		return 0;
	if (!s->btf)
		return diag(d, -EINVAL, "prog '%s': CO-RE relocations without .BTF", p->name);
	err = btf_new(s->btf, s->btf_size, &local, d);
	if (err)
		return err;
	err = open_target(s, p, local, &tp, &target, d);
	/* Compute every value first, then patch: nothing half-done on an error. */
	for (size_t i = 0; !err && i < p->core_relo_cnt; i++) {
		struct core_res res;
		struct diag why;

		err = resolve(local, &target, p, i, &res, d);
		if (err)
			break;
		note(p, &p->core_relos[i], &res);
		err = core_patch(insns, cnt, &p->core_relos[i], &res, &why);
		if (err)
			diag(d, err, "prog '%s': CO-RE relocation %zu (%s, %s): %s", p->name, i,
			     res.what, core_kind_name(p->core_relos[i].kind), why.msg);
	}
	for (size_t i = 0; !err && i < p->extern_cnt; i++)
		err = resolve_extern(s, p, local, &p->externs[i], insns, cnt, d);
	tp_close(&tp);
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
	struct tp_target tp = { 0 };
	struct target target;
	struct core_res res;
	struct diag why;
	unsigned long insn;
	bool said = false;
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
	/* Resolved again as core_apply() did, to say why it was poisoned. */
	if (!open_target(s, p, local, &tp, &target, &why) &&
	    !resolve(local, &target, p, i, &res, &why)) {
		source_line(local, p, insn, where, sizeof(where));
		said = true;
		if (res.poison)
			diag(d, -EINVAL,
			     "prog '%s': CO-RE relocation %zu (%s: %s) found nothing in %s, and the "
			     "verifier reached the instruction it poisoned (instruction %lu%s)",
			     p->name, i, res.what, core_kind_name(p->core_relos[i].kind),
			     tp.btf ? "the tracepoint's format" : "the kernel's BTF", insn, where);
		else
			diag(d, -EINVAL,
			     "prog '%s': CO-RE relocation %zu (%s) reads a signed field of %u bytes "
			     "as %u: a load cannot be resized and sign-extend, so it was poisoned, and "
			     "the verifier reached it (instruction %lu%s)",
			     p->name, i, res.what, res.new_sz, res.orig_sz, insn, where);
	}
	tp_close(&tp);
	btf_free(local);
	return said;
}

void core_release(void)
{
	for (size_t i = 0; i < kb.mod_cnt; i++) {
		btf_free(kb.mods[i].btf);
		free(kb.mods[i].data);
		if (kb.mods[i].fd >= 0)
			close(kb.mods[i].fd);
	}
	free(kb.mods);
	free(kb.fd_array);
	free(kb.cand_mod);
	core_cands_free(kb.cands, kb.cand_cnt);
	free(kb.cands);
	btf_free(kb.btf);
	free(kb.data);
	if (kb.map)
		munmap(kb.map, kb.map_len);
	if (kb.kconfig_fd >= 0)
		close(kb.kconfig_fd);
	memset(&kb, 0, sizeof(kb));
	kb.kconfig_fd = -1;
}

/*
 * A tracing program's target (fentry/, fexit/, tp_btf/) is a type of the
 * kernel's BTF, found by name: one pass over all of them, as libbpf's
 * find_kernel_btf_id() does.
 */
int core_kernel_type_id(const char *name, int kind, struct diag *d)
{
	int err = kernel_btf(d);
	__u32 n;

	if (err)
		return err;
	n = btf_type_cnt(kb.btf);
	for (__u32 id = 1; id <= n; id++) {
		const struct btf_type *t = btf_type_by_id(kb.btf, id);
		const char *s;

		if ((int)BTF_INFO_KIND(t->info) != kind)
			continue;
		s = btf_name(kb.btf, t->name_off);
		if (s && !strcmp(s, name))
			return id > INT32_MAX ? -E2BIG : (int)id;
	}
	return -ENOENT;
}

int core_tracing_target_id(const struct spec_prog *prog, struct diag *d)
{
	bool tp = prog->expected_attach_type == BPF_TRACE_RAW_TP;
	char name[256];

	d->msg[0] = '\0';
	if ((size_t)fmt(name, sizeof(name), "%s%s", tp ? "btf_trace_" : "", prog->target) >=
	    sizeof(name))
		return -ENAMETOOLONG;
	return core_kernel_type_id(name, tp ? BTF_KIND_TYPEDEF : BTF_KIND_FUNC, d);
}
