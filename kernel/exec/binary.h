/*
 * Inspecting a candidate binary for the executor: the first bytes, the
 * ELF headers and the notes that tell ABIs apart (see abi/abi.h).
 */
#ifndef EXEC_BINARY_H
#define EXEC_BINARY_H

#include "abi/abi.h"
#include "exec/elf.h"

#define EXEC_HEAD_MAX 256

/* An exec_binary with the storage behind its pointers. */
struct exec_candidate {
	struct exec_binary bin;
	struct elf_image elf;
	unsigned char head[EXEC_HEAD_MAX];
};

/* Fills c from the open file (the file reference stays the caller's). */
int exec_inspect(struct kobj *file, const char *path, struct exec_candidate *c);

#endif
