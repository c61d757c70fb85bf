// SPDX-License-Identifier: MIT
/*
 * The password exercise's traced program: writes a password (argv[1], or a
 * random one) to /tmp/password and something else to a bait file next to
 * it, then reads both, bait first.  Only the password's read must be
 * submitted.  Prints the password, so a script can compare.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int read_file(const char *path)
{
	char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	char password[32];

	if (argc > 1) {
		snprintf(password, sizeof(password), "%s", argv[1]);
	} else {
		srand(time(NULL) ^ getpid());
		for (int i = 0; i < 12; i++)
			password[i] = 'a' + rand() % 26;
		password[12] = '\0';
	}
	if (write_file("/tmp/password", password) || write_file("/tmp/password.bait", "not it") ||
	    read_file("/tmp/password.bait") || read_file("/tmp/password")) {
		perror("password_reader");
		return 1;
	}
	printf("%s\n", password);
	return 0;
}
