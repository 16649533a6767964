/*
 * Per-task handle tables: small integers naming kernel objects, each with
 * its own flags (close-on-exec).  Native system calls take handles; other
 * ABI modules map their descriptor numbers onto handles.
 */
#ifndef OBJ_HANDLE_H
#define OBJ_HANDLE_H

#include <stdbool.h>

#include "core/spinlock.h"
#include "obj/kobj.h"

#define HANDLE_MAX     256
#define HANDLE_CLOEXEC 0x1

struct handle_slot {
	struct kobj *obj;
	unsigned flags;
};

struct handle_table {
	int refcount; /* shared by threads */
	struct spinlock lock;
	struct handle_slot slots[HANDLE_MAX];
};

struct handle_table *handle_table_create(void);
/* A copy holding new references to every object (fork). */
struct handle_table *handle_table_clone(struct handle_table *ht);
struct handle_table *handle_table_get(struct handle_table *ht);
void handle_table_put(struct handle_table *ht);
/* The put of a task that ends: if it was the last, every object still in
 * the table is closed as close would (kobj_flush), which releases the
 * process's file locks.  Plain handle_table_put (a table left behind by
 * exec, or never used) drops the objects without closing them. */
void handle_table_put_exit(struct handle_table *ht);
/* Closes every handle marked close-on-exec. */
void handle_table_exec(struct handle_table *ht);

/* Installs obj (taking over the caller's reference) at the lowest free
 * handle >= min; returns it or -EMFILE. */
int handle_install(struct handle_table *ht, struct kobj *obj, unsigned flags, int min);
/* The object behind h with a new reference, or NULL. */
struct kobj *handle_get(struct handle_table *ht, int h);
int handle_close(struct handle_table *ht, int h);
/* dup2: makes newh refer to h's object (closing what newh held). */
int handle_dup2(struct handle_table *ht, int h, int newh, unsigned flags);
int handle_get_flags(struct handle_table *ht, int h);
/* close_range: closes the handles first..last (clipped to the table), or
 * with cloexec_only marks them close-on-exec instead. */
void handle_close_range(struct handle_table *ht, int first, int last, bool cloexec_only);

struct fd_carry;
/* For ABIs whose descriptors are the handles themselves (fd n is handle
 * n): lists the open handles that are not close-on-exec, with new
 * references; and installs carried objects at their own numbers into an
 * empty table (consuming the references). */
int handle_export_identity(struct handle_table *ht, struct fd_carry *out, int max);
int handle_import_identity(struct handle_table *ht, struct fd_carry *in, int n);
int handle_set_flags(struct handle_table *ht, int h, unsigned flags);

#endif
