/*
 * User words the kernel tests and changes atomically: futexes and robust
 * futex lists (kernel/proc/futex.h).
 *
 * vm_word_home tells where a word lives, so that tasks of different
 * address spaces can agree they sleep on the same one: a word in a shared
 * mapping (a file, or MAP_SHARED anonymous memory) is known by the vnode
 * behind it and its offset there; a word of private memory belongs to its
 * address space alone.
 *
 * vm_word_locked gives access to the word under mm->lock without ever
 * faulting, so a caller holding its own spinlock can read a word and act
 * on what it saw in one step; when the page is not there yet it says so,
 * and the caller drops its lock, calls vm_word_fault and tries again.
 */
#ifndef MM_VM_WORD_H
#define MM_VM_WORD_H

#include <stdbool.h>
#include <stdint.h>

struct mm;
struct vnode;

/* Where the 32-bit word at va lives: in a shared mapping, *vn
 * (referenced: vnode_put when done) and its byte offset *off there; in
 * private memory, *vn = NULL.  -EFAULT when no area with read or write
 * access covers va.  Never sleeps. */
int vm_word_home(struct mm *mm, uint64_t va, struct vnode **vn, uint64_t *off);

/* Calls fn(word, ctx) on the 4-byte aligned word at va with mm->lock
 * held, when its page is present and allows the access (for write: the
 * page is writable now, no copy-on-write pending).  Returns fn's result,
 * or -EAGAIN when the page must first be faulted in.  Never sleeps. */
int vm_word_locked(struct mm *mm, uint64_t va, bool write, int (*fn)(uint32_t *word, void *ctx),
                   void *ctx);

/* Faults the word's page in for the access: 0, or -EFAULT when the
 * access is not allowed or fails.  May sleep. */
int vm_word_fault(struct mm *mm, uint64_t va, bool write);

#endif
