// SPDX-License-Identifier: MIT
/*
 * What BPF objects the kernel holds, for the tests that prove mini-trace
 * leaves none behind and that its maps do not fill up.
 *
 *	kobjects ids		every program and map id, "prog N" / "map N"
 *	kobjects count PID NAME	entries in the map named NAME that process
 *				PID holds
 *	kobjects keys PID NAME	the thread id in each key of that map, one line
 *				each: a 32-bit key is a pid, a 64-bit one
 *				bpf_get_current_pid_tgid()'s, the thread id in
 *				its low half
 *	kobjects words PID NAME	the value of key 0 of that map (an array: .bss,
 *				.data), as 64-bit words in decimal on one line
 *	kobjects crowd ID_FILE N
 *				loads N do-nothing tracepoint programs, attaches
 *				them all to the tracepoint whose tracefs id file is
 *				ID_FILE, says "attached N" and holds them until
 *				killed: other tools' programs, for mini-trace to
 *				find a tracepoint full
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>

#include "bpf.h"

static int list_ids(void)
{
	__u32 id = 0;

	while (!bpf_prog_get_next_id(id, &id))
		printf("prog %u\n", id);
	id = 0;
	while (!bpf_map_get_next_id(id, &id))
		printf("map %u\n", id);
	return 0;
}

/*
 * Walks the keys with BPF_MAP_GET_NEXT_KEY: NULL first, then each key in turn;
 * prints the thread id in each one when print is set.
 */
static long walk_keys(int fd, __u32 key_size, int print)
{
	unsigned char *key = calloc(2, key_size ? key_size : 1), *next = key + key_size;
	long n = 0;
	int err;

	for (err = bpf_map_get_next_key(fd, NULL, next); !err;
	     err = bpf_map_get_next_key(fd, key, next)) {
		memcpy(key, next, key_size);
		if (print && (key_size == 4 || key_size == 8)) {
			__u64 k = 0;

			memcpy(&k, key, key_size);
			printf("%u\n", (__u32)k);
		}
		n++;
	}
	free(key);
	return err == -ENOENT ? n : err;
}

/*
 * The map named name that process pid holds, opened, with its info.  A
 * process's map fds are not ours: their ids are in /proc/PID/fdinfo.
 * Another run's maps of the same name (one still being released by its
 * background detach, say) are not this one.
 */
static int map_of(const char *pid, const char *name, struct bpf_map_info *info)
{
	char path[64], line[128];
	struct dirent *d;
	int found = -1;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%s/fdinfo", pid);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((d = readdir(dir)) && found < 0) {
		__u32 len = sizeof(*info), id = 0;
		FILE *f;
		int fd;

		fd = openat(dirfd(dir), d->d_name, O_RDONLY);
		f = fd < 0 ? NULL : fdopen(fd, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "map_id: %u", &id) == 1)
				break;
		fclose(f);
		if (!id || (fd = bpf_map_get_fd_by_id(id)) < 0)
			continue;
		memset(info, 0, sizeof(*info));
		if (!bpf_obj_get_info_by_fd(fd, info, &len) && !strcmp(info->name, name))
			found = fd;
		else
			close(fd);
	}
	closedir(dir);
	return found;
}

static int count(const char *pid, const char *name, int keys)
{
	struct bpf_map_info info;
	int fd = map_of(pid, name, &info);
	long n;

	if (fd < 0)
		return 1;
	n = walk_keys(fd, info.key_size, keys);
	if (!keys)
		printf("%ld\n", n);
	close(fd);
	return n < 0;
}

static int words(const char *pid, const char *name)
{
	unsigned char value[4096];
	struct bpf_map_info info;
	int fd = map_of(pid, name, &info), ok;
	__u32 key = 0;

	if (fd < 0)
		return 1;
	ok = info.value_size % 8 == 0 && info.value_size <= sizeof(value) &&
	     !bpf_map_lookup_elem(fd, &key, value);
	for (__u32 i = 0; ok && i < info.value_size; i += 8) {
		uint64_t w;

		memcpy(&w, value + i, 8);
		printf("%s%" PRIu64, i ? " " : "", w);
	}
	if (ok)
		printf("\n");
	close(fd);
	return !ok;
}

/*
 * A tracepoint holds at most BPF_TRACE_MAX_PROGS (64) programs, and each one
 * once (perf_event_attach_bpf_prog() and bpf_prog_array_copy(),
 * kernel/trace/bpf_trace.c and kernel/bpf/core.c): N distinct programs, each
 * on a perf event of its own.
 */
static int crowd(const char *id_file, int n)
{
	const struct bpf_insn ret0[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct perf_event_attr attr = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(attr),
		.sample_period = 1,
	};
	FILE *f = fopen(id_file, "r");
	unsigned long long id;

	if (!f || fscanf(f, "%llu", &id) != 1) {
		perror(id_file);
		return 1;
	}
	fclose(f);
	attr.config = id;
	for (int i = 0; i < n; i++) {
		int prog = bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, "crowd", "GPL", ret0, 2, NULL);
		int ev = syscall(__NR_perf_event_open, &attr, -1 /* pid */, 0 /* cpu */,
				 -1 /* group */, PERF_FLAG_FD_CLOEXEC);

		if (prog < 0 || ev < 0 || ioctl(ev, PERF_EVENT_IOC_SET_BPF, prog) < 0) {
			fprintf(stderr, "crowd: program %d: %s\n", i,
				strerror(prog < 0 ? -prog : errno));
			return 1;
		}
	}
	printf("attached %d\n", n);
	fflush(stdout);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "ids"))
		return list_ids();
	if (argc == 4 && !strcmp(argv[1], "count"))
		return count(argv[2], argv[3], 0);
	if (argc == 4 && !strcmp(argv[1], "keys"))
		return count(argv[2], argv[3], 1);
	if (argc == 4 && !strcmp(argv[1], "words"))
		return words(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "crowd"))
		return crowd(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: kobjects ids | kobjects count|keys|words PID MAP_NAME\n"
			"       kobjects crowd ID_FILE N\n");
	return 2;
}
