// SPDX-License-Identifier: MIT
/*
 * bpf(2) takes a command and a union bpf_attr, one struct per command.  The
 * kernel rejects an attr whose bytes past the command's last field are not
 * zero (kernel/bpf/syscall.c, CHECK_ATTR), and a newer kernel may have more
 * fields than these headers: so each wrapper zeroes exactly up to the end of
 * the last field it uses and passes that size, as libbpf does.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "bpf.h"
#include "syscalls.h"

#define offsetofend(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

static int sys_bpf(enum bpf_cmd cmd, union bpf_attr *attr, unsigned int size)
{
	show_time t = show_start(); /* -vv */
	long ret = syscall(__NR_bpf, cmd, attr, size);

	ret = ret < 0 ? -errno : ret;
	show_bpf(t, cmd, attr, size, ret);
	return ret;
}

/* Object names: up to 15 characters of [A-Za-z0-9_.], the rest dropped. */
static void copy_name(char dst[BPF_OBJ_NAME_LEN], const char *name)
{
	size_t n = 0;

	for (; name && *name && n < BPF_OBJ_NAME_LEN - 1; name++) {
		char c = *name;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '.')
			dst[n++] = c;
	}
}

/*
 * With btf_fd, the kernel checks that the key and value types have the map's
 * sizes (kernel/bpf/syscall.c, map_check_btf) and keeps them: bpftool then
 * prints keys and values field by field.  Those fields since 4.18.
 */
int bpf_map_create(enum bpf_map_type map_type, const char *map_name, __u32 key_size,
		   __u32 value_size, __u32 max_entries, const struct bpf_map_create_opts *opts)
{
	const bool btf = opts && opts->btf_fd;
	const size_t size = btf ? offsetofend(union bpf_attr, btf_value_type_id)
				: offsetofend(union bpf_attr, map_name);
	union bpf_attr attr;

	memset(&attr, 0, size);
	if (btf) {
		attr.btf_fd = opts->btf_fd;
		attr.btf_key_type_id = opts->btf_key_type_id;
		attr.btf_value_type_id = opts->btf_value_type_id;
	}
	attr.map_type = map_type;
	attr.key_size = key_size;
	attr.value_size = value_size;
	attr.max_entries = max_entries;
	attr.map_flags = opts ? opts->map_flags : 0;
	copy_name(attr.map_name, map_name);
	return sys_bpf(BPF_MAP_CREATE, &attr, size);
}

static int map_elem_cmd(enum bpf_cmd cmd, int fd, const void *key, void *value, __u64 flags)
{
	const size_t size = offsetofend(union bpf_attr, flags);
	union bpf_attr attr;

	memset(&attr, 0, size);
	attr.map_fd = fd;
	attr.key = (__u64)(unsigned long)key;
	attr.value = (__u64)(unsigned long)value;
	attr.flags = flags;
	return sys_bpf(cmd, &attr, size);
}

int bpf_map_update_elem(int fd, const void *key, const void *value, __u64 flags)
{
	return map_elem_cmd(BPF_MAP_UPDATE_ELEM, fd, key, (void *)value, flags);
}

int bpf_map_lookup_elem(int fd, const void *key, void *value)
{
	return map_elem_cmd(BPF_MAP_LOOKUP_ELEM, fd, key, value, 0);
}

/* Same attr layout: "next_key" shares its slot with "value". */
int bpf_map_delete_elem(int fd, const void *key)
{
	return map_elem_cmd(BPF_MAP_DELETE_ELEM, fd, key, NULL, 0);
}

int bpf_map_get_next_key(int fd, const void *key, void *next_key)
{
	return map_elem_cmd(BPF_MAP_GET_NEXT_KEY, fd, key, next_key, 0);
}

/*
 * After BPF_MAP_FREEZE user space can no longer write the map either; with
 * BPF_F_RDONLY_PROG set at creation the verifier may then treat its contents
 * as constants (kernel/bpf/verifier.c, bpf_map_is_rdonly).
 */
int bpf_map_freeze(int fd)
{
	const size_t size = offsetofend(union bpf_attr, map_fd);
	union bpf_attr attr;

	memset(&attr, 0, size);
	attr.map_fd = fd;
	return sys_bpf(BPF_MAP_FREEZE, &attr, size);
}

/*
 * With prog_btf_fd, func_info says which BTF FUNC starts at which insn and
 * line_info which source line each stretch came from; the verifier then
 * checks global functions on their own and prints source lines in its log
 * (kernel/bpf/verifier.c, check_btf_info).  The attr then reaches further.
 */
int bpf_prog_load(enum bpf_prog_type prog_type, const char *prog_name, const char *license,
		  const struct bpf_insn *insns, size_t insn_cnt, struct bpf_prog_load_opts *opts)
{
	size_t size = opts && opts->prog_btf_fd ? offsetofend(union bpf_attr, line_info_cnt)
						: offsetofend(union bpf_attr, prog_name);
	union bpf_attr attr;

	/* attach_btf_id (5.5) follows line_info_cnt; expected_attach_type (4.17) is before it. */
	if (opts && opts->attach_btf_id)
		size = offsetofend(union bpf_attr, attach_btf_id);
	if (opts && opts->fd_array)
		size = offsetofend(union bpf_attr, fd_array);

	memset(&attr, 0, size);
	attr.prog_type = prog_type;
	attr.insns = (__u64)(unsigned long)insns;
	attr.insn_cnt = insn_cnt;
	attr.license = (__u64)(unsigned long)license;
	copy_name(attr.prog_name, prog_name);
	if (opts) {
		attr.kern_version = opts->kern_version;
		attr.log_level = opts->log_level;
		attr.log_size = opts->log_size;
		attr.log_buf = (__u64)(unsigned long)opts->log_buf;
		attr.expected_attach_type = opts->expected_attach_type;
		attr.attach_btf_id = opts->attach_btf_id;
		if (opts->fd_array)
			attr.fd_array = (__u64)(unsigned long)opts->fd_array;
	}
	if (opts && opts->prog_btf_fd) {
		attr.prog_btf_fd = opts->prog_btf_fd;
		attr.func_info_rec_size = opts->func_info_rec_size;
		attr.func_info = (__u64)(unsigned long)opts->func_info;
		attr.func_info_cnt = opts->func_info_cnt;
		attr.line_info_rec_size = opts->line_info_rec_size;
		attr.line_info = (__u64)(unsigned long)opts->line_info;
		attr.line_info_cnt = opts->line_info_cnt;
	}
	return sys_bpf(BPF_PROG_LOAD, &attr, size);
}

/*
 * Hands the kernel a BTF blob (header, types, strings) to check and keep;
 * the fd names it in BPF_PROG_LOAD and BPF_MAP_CREATE.  Since 4.18.
 */
int bpf_btf_load(const void *btf_data, size_t btf_size, struct bpf_btf_load_opts *opts)
{
	const size_t size = offsetofend(union bpf_attr, btf_log_level);
	union bpf_attr attr;

	memset(&attr, 0, size);
	attr.btf = (__u64)(unsigned long)btf_data;
	attr.btf_size = btf_size;
	if (opts) {
		attr.btf_log_buf = (__u64)(unsigned long)opts->log_buf;
		attr.btf_log_size = opts->log_size;
		attr.btf_log_level = opts->log_level;
	}
	return sys_bpf(BPF_BTF_LOAD, &attr, size);
}

static int obj_get_next_id(enum bpf_cmd cmd, __u32 start_id, __u32 *next_id)
{
	const size_t size = offsetofend(union bpf_attr, next_id);
	union bpf_attr attr;
	int err;

	memset(&attr, 0, size);
	attr.start_id = start_id;
	err = sys_bpf(cmd, &attr, size);
	if (!err)
		*next_id = attr.next_id;
	return err;
}

int bpf_prog_get_next_id(__u32 start_id, __u32 *next_id)
{
	return obj_get_next_id(BPF_PROG_GET_NEXT_ID, start_id, next_id);
}

int bpf_map_get_next_id(__u32 start_id, __u32 *next_id)
{
	return obj_get_next_id(BPF_MAP_GET_NEXT_ID, start_id, next_id);
}

int bpf_map_get_fd_by_id(__u32 id)
{
	const size_t size = offsetofend(union bpf_attr, open_flags);
	union bpf_attr attr;

	memset(&attr, 0, size);
	attr.map_id = id;
	return sys_bpf(BPF_MAP_GET_FD_BY_ID, &attr, size);
}

/* The kernel's BTF objects: vmlinux's, each module's, each loaded program's (5.11 for modules). */
int bpf_btf_get_next_id(__u32 start_id, __u32 *next_id)
{
	return obj_get_next_id(BPF_BTF_GET_NEXT_ID, start_id, next_id);
}

int bpf_btf_get_fd_by_id(__u32 id)
{
	const size_t size = offsetofend(union bpf_attr, open_flags);
	union bpf_attr attr;

	memset(&attr, 0, size);
	attr.btf_id = id;
	return sys_bpf(BPF_BTF_GET_FD_BY_ID, &attr, size);
}

int bpf_obj_get_info_by_fd(int bpf_fd, void *info, __u32 *info_len)
{
	const size_t size = offsetofend(union bpf_attr, info);
	union bpf_attr attr;
	int err;

	memset(&attr, 0, size);
	attr.info.bpf_fd = bpf_fd;
	attr.info.info_len = *info_len;
	attr.info.info = (__u64)(unsigned long)info;
	err = sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, size);
	if (!err)
		*info_len = attr.info.info_len;
	return err;
}

/*
 * A raw tracepoint hands the program the tracepoint's own arguments, as
 * the kernel passes them to its probes (struct bpf_raw_tracepoint_args:
 * u64 args[]), with no record built and no perf event: the returned fd is
 * the attachment, and closing it detaches (bpf_raw_tp_link_release(),
 * kernel/bpf/syscall.c).  name is the tracepoint's name without its
 * category ("sched_switch"); -ENOENT when the kernel has none.  Since 4.17.
 */
int bpf_raw_tracepoint_open(const char *name, int prog_fd)
{
	const size_t size = offsetofend(union bpf_attr, raw_tracepoint.prog_fd);
	union bpf_attr attr;

	memset(&attr, 0, size);
	attr.raw_tracepoint.name = (__u64)(unsigned long)name;
	attr.raw_tracepoint.prog_fd = prog_fd;
	return sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &attr, size);
}
