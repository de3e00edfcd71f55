/* uni-repository.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define UNI_GIT_ERROR (uni_git_error_quark ())

/**
 * UniGitError:
 * @UNI_GIT_ERROR_FAILED: any other libgit2 failure
 * @UNI_GIT_ERROR_NOT_A_REPOSITORY: the folder is not inside a git repository
 * @UNI_GIT_ERROR_INVALID_URL: the clone URL is malformed or names no repository
 * @UNI_GIT_ERROR_AUTH: the remote refused our credentials or asked for some
 * @UNI_GIT_ERROR_NETWORK: the remote could not be reached
 * @UNI_GIT_ERROR_EXISTS: the clone destination exists and is not empty
 * @UNI_GIT_ERROR_NOT_FOUND: the repository or a reference does not exist
 *
 * Every libgit2 failure is bridged into one of these. Cancellation is reported
 * as %G_IO_ERROR_CANCELLED, never as a #UniGitError.
 */
typedef enum
{
  UNI_GIT_ERROR_FAILED,
  UNI_GIT_ERROR_NOT_A_REPOSITORY,
  UNI_GIT_ERROR_INVALID_URL,
  UNI_GIT_ERROR_AUTH,
  UNI_GIT_ERROR_NETWORK,
  UNI_GIT_ERROR_EXISTS,
  UNI_GIT_ERROR_NOT_FOUND,
} UniGitError;

/**
 * UniGitFileStatus:
 *
 * What git thinks of a path, most important last: a folder takes the
 * highest status of anything below it.
 */
typedef enum
{
  UNI_GIT_FILE_STATUS_CLEAN,
  UNI_GIT_FILE_STATUS_IGNORED,
  UNI_GIT_FILE_STATUS_UNTRACKED,
  UNI_GIT_FILE_STATUS_ADDED,
  UNI_GIT_FILE_STATUS_MODIFIED,
  UNI_GIT_FILE_STATUS_DELETED,
  UNI_GIT_FILE_STATUS_CONFLICTED,
} UniGitFileStatus;

/**
 * UniCloneProgress:
 * @received_objects: objects fetched so far
 * @indexed_objects: objects indexed so far
 * @total_objects: objects to fetch, 0 until the remote said
 * @received_bytes: bytes fetched so far
 * @checkout_completed: files written to the work tree so far
 * @checkout_total: files to write, 0 until checkout starts
 *
 * A snapshot of a clone's progress, delivered on the caller's main context.
 */
typedef struct
{
  guint   received_objects;
  guint   indexed_objects;
  guint   total_objects;
  guint64 received_bytes;
  guint   checkout_completed;
  guint   checkout_total;
} UniCloneProgress;

typedef void (*UniCloneProgressFunc) (const UniCloneProgress *progress,
                                      gpointer                user_data);

double uni_clone_progress_get_fraction (const UniCloneProgress *progress);

#define UNI_TYPE_REPOSITORY (uni_repository_get_type ())

G_DECLARE_FINAL_TYPE (UniRepository, uni_repository, UNI, REPOSITORY, GObject)

GQuark            uni_git_error_quark                    (void);

UniRepository    *uni_repository_open                    (GFile                *directory,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
void              uni_repository_open_async              (GFile                *directory,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
UniRepository    *uni_repository_open_finish             (GAsyncResult         *result,
                                                          GError              **error);

GFile            *uni_repository_get_workdir             (UniRepository        *self);
GFile            *uni_repository_get_git_dir             (UniRepository        *self);
const char       *uni_repository_get_branch              (UniRepository        *self);

void              uni_repository_refresh_async           (UniRepository        *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean          uni_repository_refresh_finish          (UniRepository        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
UniGitFileStatus  uni_repository_get_file_status         (UniRepository        *self,
                                                          GFile                *file);

void              uni_repository_clone_async             (const char           *url,
                                                          GFile                *destination,
                                                          UniCloneProgressFunc  progress,
                                                          gpointer              progress_data,
                                                          GDestroyNotify        progress_destroy,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GFile            *uni_repository_clone_finish            (GAsyncResult         *result,
                                                          GError              **error);

G_END_DECLS
