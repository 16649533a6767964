/*
 * The memory character devices, major 1: null (minor 3), zero (5),
 * random (8) and urandom (9).
 */
#ifndef DEV_MEM_DEVICES_H
#define DEV_MEM_DEVICES_H

/* Registers major 1 with chrdev_register. */
void mem_devices_init(void);

#endif
