// SPDX-License-Identifier: MIT
/*
 * What BPF objects the kernel holds, for the tests that prove mini-trace
 * leaves none behind and that its maps do not fill up.
 *
 *	kobjects ids		every program and map id, "prog N" / "map N"
 *	kobjects count NAME	entries in each live map named NAME, one line each
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Walks the keys with BPF_MAP_GET_NEXT_KEY: NULL first, then each key in turn. */
static long count_entries(int fd, __u32 key_size)
{
	unsigned char *key = calloc(2, key_size ? key_size : 1), *next = key + key_size;
	long n = 0;
	int err;

	for (err = bpf_map_get_next_key(fd, NULL, next); !err;
	     err = bpf_map_get_next_key(fd, key, next)) {
		memcpy(key, next, key_size);
		n++;
	}
	free(key);
	return err == -ENOENT ? n : err;
}

static int count(const char *name)
{
	__u32 id = 0;
	int found = 0;

	while (!bpf_map_get_next_id(id, &id)) {
		struct bpf_map_info info = { 0 };
		__u32 len = sizeof(info);
		int fd = bpf_map_get_fd_by_id(id);

		if (fd < 0)
			continue;	/* gone since we listed it */
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) && !strcmp(info.name, name)) {
			printf("%ld\n", count_entries(fd, info.key_size));
			found++;
		}
		close(fd);
	}
	return found ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "ids"))
		return list_ids();
	if (argc == 3 && !strcmp(argv[1], "count"))
		return count(argv[2]);
	fprintf(stderr, "usage: kobjects ids | kobjects count MAP_NAME\n");
	return 2;
}
