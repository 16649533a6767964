/*
 * The ABI modules the kernel knows, in the order they are asked to score
 * a binary.  Adding an ABI is one line here.
 */
#include "abi/abi.h"
#include "core/kernel.h"

extern const struct abi_module xv6_abi;
extern const struct abi_module linux_abi;

static const struct abi_module *const modules[] = {
    &native_abi,
    &xv6_abi,
    &linux_abi,
};

const struct abi_module *abi_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(modules); i++) {
		if (strcmp(modules[i]->name, name) == 0)
			return modules[i];
	}
	return NULL;
}

void abi_for_each(void (*fn)(const struct abi_module *m, void *ctx), void *ctx)
{
	for (size_t i = 0; i < ARRAY_SIZE(modules); i++)
		fn(modules[i], ctx);
}
