/*
 * The runtime registry, in the spirit of Linux's binfmt_misc: files
 * matched by extension or by magic bytes run under a userland runtime.
 * It is the text file /data/config/runtimes of the global tree, one
 * entry per line:
 *
 *   NAME  ext:SUFFIX | magic:HEX[@OFFSET]  RUNTIME-PATH  RUNTIME-ABI|-  [ARG...]
 *
 * e.g. "wasm magic:0061736d /system/scarlet/bin/wasmrt scarlet".  The
 * executor then runs [RUNTIME-PATH, ARG..., target, target-args...].
 */
#ifndef EXEC_RUNTIMES_H
#define EXEC_RUNTIMES_H

#include "abi/abi.h"

#define RUNTIMES_PATH "/data/config/runtimes"

/* 1 and *rt filled when an entry matches bin, 0 otherwise. */
int runtimes_match(const struct exec_binary *bin, struct abi_runtime *rt);

#endif
