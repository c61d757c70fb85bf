/* SPDX-License-Identifier: MIT */
/*
 * The bpf(2) commands mini-trace issues, one wrapper per command, named after
 * it (bpf_map_create <-> BPF_MAP_CREATE) with libbpf's signature where libbpf
 * has the name.  Each returns an fd or 0 on success and -errno on failure.
 */
#ifndef MINI_TRACE_BPF_H
#define MINI_TRACE_BPF_H

#include <stddef.h>
#include <linux/bpf.h>

/* The subset of libbpf's options mini-trace sets. */
struct bpf_map_create_opts {
	__u32 map_flags;
	/* What in a loaded BTF describes key and value: a BTF fd (0 for none) and two ids. */
	__u32 btf_fd;
	__u32 btf_key_type_id;
	__u32 btf_value_type_id;
};

struct bpf_prog_load_opts {
	__u32 kern_version;
	__u32 log_level;
	__u32 log_size;
	char *log_buf;
	/* The program's BTF (a BPF_BTF_LOAD fd, 0 for none) and what in it describes the insns. */
	__u32 prog_btf_fd;
	__u32 func_info_rec_size;
	const void *func_info;
	__u32 func_info_cnt;
	__u32 line_info_rec_size;
	const void *line_info;
	__u32 line_info_cnt;
	/* BPF_PROG_TYPE_TRACING: the hook, and the target's id in the kernel's BTF */
	__u32 expected_attach_type;
	__u32 attach_btf_id;
	/* Module BTF fds a kfunc call names by index (insn->off), NULL for none (5.13) */
	const int *fd_array;
};

struct bpf_btf_load_opts {
	char *log_buf;
	__u32 log_level;
	__u32 log_size;
};

int bpf_map_create(enum bpf_map_type map_type, const char *map_name, __u32 key_size,
		   __u32 value_size, __u32 max_entries, const struct bpf_map_create_opts *opts);
int bpf_map_update_elem(int fd, const void *key, const void *value, __u64 flags);
int bpf_map_lookup_elem(int fd, const void *key, void *value);
int bpf_map_delete_elem(int fd, const void *key);
int bpf_map_get_next_key(int fd, const void *key, void *next_key);
int bpf_map_freeze(int fd);
int bpf_prog_load(enum bpf_prog_type prog_type, const char *prog_name, const char *license,
		  const struct bpf_insn *insns, size_t insn_cnt, struct bpf_prog_load_opts *opts);
int bpf_btf_load(const void *btf_data, size_t btf_size, struct bpf_btf_load_opts *opts);
int bpf_prog_get_next_id(__u32 start_id, __u32 *next_id);
int bpf_map_get_next_id(__u32 start_id, __u32 *next_id);
int bpf_map_get_fd_by_id(__u32 id);
int bpf_btf_get_next_id(__u32 start_id, __u32 *next_id);
int bpf_btf_get_fd_by_id(__u32 id);
int bpf_obj_get_info_by_fd(int bpf_fd, void *info, __u32 *info_len);
int bpf_raw_tracepoint_open(const char *name, int prog_fd);

#endif
