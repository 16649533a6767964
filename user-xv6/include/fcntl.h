/*
 * Flags of xv6's open().  There is no O_APPEND and no O_EXCL; O_CREATE
 * opens an existing file as is.
 */
#ifndef XV6_FCNTL_H
#define XV6_FCNTL_H

#define O_RDONLY 0x000
#define O_WRONLY 0x001
#define O_RDWR   0x002
#define O_CREATE 0x200
#define O_TRUNC  0x400

#endif
