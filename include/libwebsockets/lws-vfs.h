/*
 * lws-rs: the inline helpers and member-name macros of lws-vfs.h, which
 * cbindgen cannot print. Hand-written; included by <libwebsockets.h> after
 * the generated lws-api.h (struct lws_plat_file_ops, struct lws_fop_fd).
 */
#ifndef LWS_RS_VFS_H
#define LWS_RS_VFS_H

/* The file-ops layer is there (lws defines this with LWS_WITH_FILE_OPS). */
#define LWS_FEATURE_FOPS

/* The member names of struct lws_plat_file_ops, as lws spells them. */
#define LWS_FOP_OPEN		open
#define LWS_FOP_CLOSE		close
#define LWS_FOP_SEEK_CUR	seek_cur
#define LWS_FOP_READ		read
#define LWS_FOP_WRITE		write

/* Closes the file through its own fops and sets *fop_fd to NULL; 0 if none. */
static LWS_INLINE int
lws_vfs_file_close(lws_fop_fd_t *fop_fd)
{
	if (*fop_fd && (*fop_fd)->fops)
		return (*fop_fd)->fops->close(fop_fd);

	return 0;
}

/* Seeks relative to the current position through the file's own fops. */
static LWS_INLINE lws_fileofs_t
lws_vfs_file_seek_cur(lws_fop_fd_t fop_fd, lws_fileofs_t offset)
{
	return fop_fd->fops->seek_cur(fop_fd, offset);
}

/* Reads up to len bytes; *amount is set to what was read. */
static LWS_INLINE int LWS_WARN_UNUSED_RESULT
lws_vfs_file_read(lws_fop_fd_t fop_fd, lws_filepos_t *amount,
		  uint8_t *buf, lws_filepos_t len)
{
	return fop_fd->fops->read(fop_fd, amount, buf, len);
}

/* Writes up to len bytes; *amount is set to what was written. */
static LWS_INLINE int LWS_WARN_UNUSED_RESULT
lws_vfs_file_write(lws_fop_fd_t fop_fd, lws_filepos_t *amount,
		   uint8_t *buf, lws_filepos_t len)
{
	return fop_fd->fops->write(fop_fd, amount, buf, len);
}

#endif /* LWS_RS_VFS_H */
