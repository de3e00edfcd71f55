/* uni-repository.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-repository"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "uni-file-util.h"
#include "uni-repository.h"

/* About 30 progress reports a second is smooth for a progress bar and cheap
 * for the main loop, however fast libgit2 calls us.
 */
#define PROGRESS_INTERVAL_USEC (G_USEC_PER_SEC / 30)

/* The share of the progress bar that fetching takes; checkout fills the rest. */
#define FETCH_SHARE 0.8

struct _UniRepository
{
  GObject     parent_instance;

  /* The work tree as the caller named it (symlinks kept), and as libgit2
   * resolved it. Paths handed to us by the UI use the former.
   */
  GFile      *workdir;
  GFile      *real_workdir;
  GFile      *git_dir;

  char       *branch;

  /* The opened folder relative to the work tree ("" when it is the work
   * tree): status is only read below it, so a project inside a big
   * repository (a dotfiles repository in ~, say) does not scan all of it.
   */
  char       *scope;

  /* Relative path ("" for the work tree) → UniGitFileStatus, only for paths
   * that are not clean. Replaced as a whole on the main thread.
   */
  GHashTable *statuses;

  /* Refreshes may overlap; only the newest result is applied. */
  guint       refresh_serial;
  guint       applied_serial;
};

G_DEFINE_FINAL_TYPE (UniRepository, uni_repository, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_WORKDIR,
  PROP_BRANCH,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_QUARK (uni-git-error-quark, uni_git_error)

typedef struct
{
  char       *branch;
  GHashTable *statuses;
  guint       serial;
} RefreshResult;

typedef struct
{
  gatomicrefcount       ref_count;
  GMainContext         *context;
  UniCloneProgressFunc  func;
  gpointer              data;
  GDestroyNotify        destroy;
  /* Only touched on @context's thread. */
  gboolean              closed;
} ProgressSink;

typedef struct
{
  char             *url;
  GFile            *destination;
  ProgressSink     *sink;
  GCancellable     *cancellable;
  /* The folders we made, the destination first, then each missing ancestor
   * upwards; empty when the destination was an existing empty folder that
   * cleanup must only empty.
   */
  GPtrArray        *created;
  gboolean          prepared;
  gboolean          tried_agent;
  UniCloneProgress  progress;
  gint64            last_report;
} CloneData;

typedef struct
{
  ProgressSink     *sink;
  UniCloneProgress  progress;
} ProgressReport;

static void
ensure_libgit2 (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      git_libgit2_init ();
      g_once_init_leave (&initialized, 1);
    }
}

/* @haystack is lower case already; libgit2's wording varies in case. */
static gboolean
message_contains (const char *haystack,
                  const char *needle)
{
  return haystack != NULL && strstr (haystack, needle) != NULL;
}

/*
 * The one bridge from libgit2 into GError. It must run on the thread that
 * made the failing call, since git_error_last() is thread-local. @what says
 * what we were doing ("Could not clone “x”"); the message adds why and what
 * the user can do about it.
 */
static void
set_git_error (GError       **error,
               int            code,
               GCancellable  *cancellable,
               const char    *what)
{
  const git_error *last = git_error_last ();
  const char *message = last != NULL && last->message != NULL ? last->message : NULL;
  int klass = last != NULL ? last->klass : GIT_ERROR_NONE;
  UniGitError uni_code = UNI_GIT_ERROR_FAILED;
  const char *hint = NULL;
  g_autofree char *lower = NULL;

  /* A callback aborted because the user cancelled: not a git failure. */
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Operation was cancelled"));
      return;
    }

  if (message == NULL)
    message = _("unknown git error");
  lower = g_ascii_strdown (message, -1);

  if (code == GIT_EAUTH
      || message_contains (lower, "status code: 401")
      || message_contains (lower, "status code: 403")
      || message_contains (lower, "authentication"))
    {
      uni_code = UNI_GIT_ERROR_AUTH;
      hint = _("Check that you have access to this repository. For a private repository use its SSH address with a key loaded in your SSH agent.");
    }
  else if (code == GIT_ECERTIFICATE)
    {
      uni_code = UNI_GIT_ERROR_NETWORK;
      hint = _("The server’s certificate could not be verified. Check the address and the system’s certificates.");
    }
  else if (message_contains (lower, "unsupported url protocol")
           || message_contains (lower, "unknown scheme")
           || message_contains (lower, "malformed url")
           || message_contains (lower, "invalid url")
           || message_contains (lower, "cannot parse"))
    {
      uni_code = UNI_GIT_ERROR_INVALID_URL;
      hint = _("Check the address: it should look like https://example.com/owner/project.git or git@example.com:owner/project.git.");
    }
  else if (code == GIT_ENOTFOUND
           || message_contains (lower, "status code: 404")
           || message_contains (lower, "not found")
           || message_contains (lower, "failed to resolve path")
           || message_contains (lower, "could not find repository"))
    {
      uni_code = UNI_GIT_ERROR_NOT_FOUND;
      hint = _("Check the address and that the repository exists.");
    }
  else if (klass == GIT_ERROR_NET
           || klass == GIT_ERROR_SSL
           || klass == GIT_ERROR_SSH
           || message_contains (lower, "failed to resolve address")
           || message_contains (lower, "failed to connect")
           || message_contains (lower, "connection refused")
           || message_contains (lower, "connection reset")
           || message_contains (lower, "network is unreachable")
           || message_contains (lower, "no route to host")
           || message_contains (lower, "timed out"))
    {
      uni_code = UNI_GIT_ERROR_NETWORK;
      hint = _("Check your network connection and try again.");
    }
  else if (code == GIT_EEXISTS)
    {
      uni_code = UNI_GIT_ERROR_EXISTS;
    }
  else if (code == GIT_EOWNER)
    {
      hint = _("The repository belongs to another user. If you trust it, add it to git’s safe.directory setting.");
    }

  if (hint != NULL)
    g_set_error (error, UNI_GIT_ERROR, uni_code, "%s: %s. %s", what, message, hint);
  else
    g_set_error (error, UNI_GIT_ERROR, uni_code, "%s: %s", what, message);
}

static char *
dup_display_path (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);

  if (path == NULL)
    return g_file_get_uri (file);

  return g_filename_display_name (path);
}

static char *
read_branch (git_repository  *repo,
             GError         **error)
{
  git_reference *head = NULL;
  char *branch = NULL;
  int rc;

  rc = git_repository_head (&head, repo);

  if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND)
    {
      git_reference *symbolic = NULL;

      /* No commit yet: the branch still has a name, HEAD points at it. */
      if (git_reference_lookup (&symbolic, repo, "HEAD") == 0)
        {
          const char *target = git_reference_symbolic_target (symbolic);

          if (target != NULL && g_str_has_prefix (target, "refs/heads/"))
            branch = g_strdup (target + strlen ("refs/heads/"));
          else if (target != NULL)
            branch = g_strdup (target);
          git_reference_free (symbolic);
        }

      if (branch == NULL)
        set_git_error (error, rc, NULL, _("Could not read the current branch"));
      return branch;
    }

  if (rc < 0)
    {
      set_git_error (error, rc, NULL, _("Could not read the current branch"));
      return NULL;
    }

  if (git_repository_head_detached (repo) == 1)
    {
      char hex[GIT_OID_HEXSZ + 1];

      git_oid_tostr (hex, 8, git_reference_target (head));
      branch = g_strdup (hex);
    }
  else
    {
      branch = g_strdup (git_reference_shorthand (head));
    }

  git_reference_free (head);

  return branch;
}

static UniGitFileStatus
status_from_flags (unsigned int flags)
{
  UniGitFileStatus status = UNI_GIT_FILE_STATUS_CLEAN;

  if (flags & GIT_STATUS_IGNORED)
    status = MAX (status, UNI_GIT_FILE_STATUS_IGNORED);
  if (flags & GIT_STATUS_WT_NEW)
    status = MAX (status, UNI_GIT_FILE_STATUS_UNTRACKED);
  if (flags & GIT_STATUS_INDEX_NEW)
    status = MAX (status, UNI_GIT_FILE_STATUS_ADDED);
  if (flags & (GIT_STATUS_INDEX_MODIFIED | GIT_STATUS_WT_MODIFIED |
               GIT_STATUS_INDEX_RENAMED | GIT_STATUS_WT_RENAMED |
               GIT_STATUS_INDEX_TYPECHANGE | GIT_STATUS_WT_TYPECHANGE))
    status = MAX (status, UNI_GIT_FILE_STATUS_MODIFIED);
  if (flags & (GIT_STATUS_INDEX_DELETED | GIT_STATUS_WT_DELETED))
    status = MAX (status, UNI_GIT_FILE_STATUS_DELETED);
  if (flags & GIT_STATUS_CONFLICTED)
    status = MAX (status, UNI_GIT_FILE_STATUS_CONFLICTED);

  return status;
}

static void
raise_status (GHashTable       *statuses,
              const char       *path,
              UniGitFileStatus  status)
{
  UniGitFileStatus current = GPOINTER_TO_UINT (g_hash_table_lookup (statuses, path));

  if (status > current)
    g_hash_table_insert (statuses, g_strdup (path), GUINT_TO_POINTER (status));
}

static void
add_status (GHashTable       *statuses,
            const char       *git_path,
            UniGitFileStatus  status)
{
  g_autofree char *path = g_strdup (git_path);
  gsize len = strlen (path);

  /* Ignored and untracked folders come with a trailing slash. */
  while (len > 0 && path[len - 1] == '/')
    path[--len] = '\0';

  raise_status (statuses, path, status);

  /* An ignored file says nothing about its folder: a folder holding one
   * ignored build product is not itself ignored.
   */
  if (status == UNI_GIT_FILE_STATUS_IGNORED)
    return;

  for (char *slash = strrchr (path, '/'); slash != NULL; slash = strrchr (path, '/'))
    {
      *slash = '\0';
      raise_status (statuses, path, status);
    }
  raise_status (statuses, "", status);
}

typedef struct
{
  GFile *real_workdir;
  char  *scope;
} RefreshData;

static void
refresh_data_free (gpointer data)
{
  RefreshData *refresh = data;

  g_clear_object (&refresh->real_workdir);
  g_free (refresh->scope);
  g_free (refresh);
}

static GHashTable *
read_statuses (git_repository  *repo,
               const char      *scope,
               GError         **error)
{
  char *pathspec[] = { (char *) scope };
  g_autoptr(GHashTable) statuses = NULL;
  git_status_options options = GIT_STATUS_OPTIONS_INIT;
  git_status_list *list = NULL;
  gsize count;
  int rc;

  /* Ignored folders are reported once, not recursed into, so marking them
   * costs next to nothing even with a big _build.
   */
  options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
  options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED
                | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS
                | GIT_STATUS_OPT_INCLUDE_IGNORED
                | GIT_STATUS_OPT_EXCLUDE_SUBMODULES;

  /* A literal folder prefix: project folders may hold '*' or '[' in their names. */
  if (scope != NULL && *scope != '\0')
    {
      options.flags |= GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH;
      options.pathspec.strings = pathspec;
      options.pathspec.count = 1;
    }

  rc = git_status_list_new (&list, repo, &options);
  if (rc < 0)
    {
      set_git_error (error, rc, NULL, _("Could not read the status of the files"));
      return NULL;
    }

  statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  count = git_status_list_entrycount (list);

  for (gsize i = 0; i < count; i++)
    {
      const git_status_entry *entry = git_status_byindex (list, i);
      const git_diff_delta *delta = entry->index_to_workdir ? entry->index_to_workdir
                                                            : entry->head_to_index;
      UniGitFileStatus status = status_from_flags (entry->status);

      if (delta == NULL || status == UNI_GIT_FILE_STATUS_CLEAN)
        continue;

      add_status (statuses, delta->new_file.path ? delta->new_file.path : delta->old_file.path,
                  status);
    }

  git_status_list_free (list);

  return g_steal_pointer (&statuses);
}

static void
refresh_result_free (gpointer data)
{
  RefreshResult *result = data;

  g_free (result->branch);
  g_clear_pointer (&result->statuses, g_hash_table_unref);
  g_free (result);
}

static git_repository *
reopen (GFile   *real_workdir,
        GError **error)
{
  g_autofree char *path = g_file_get_path (real_workdir);
  git_repository *repo = NULL;
  int rc;

  /* A fresh handle per job: git_repository is not safe to share between
   * threads, and a new one sees the index and refs as they are now.
   */
  rc = git_repository_open_ext (&repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
  if (rc < 0)
    {
      g_autofree char *display = g_filename_display_name (path);
      g_autofree char *what = g_strdup_printf (_("Could not open the repository in “%s”"),
                                               display);

      set_git_error (error, rc, NULL, what);
      return NULL;
    }

  return repo;
}

static void
refresh_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  RefreshData *refresh = task_data;
  RefreshResult *result;
  git_repository *repo;
  GError *error = NULL;

  ensure_libgit2 ();

  if (!(repo = reopen (refresh->real_workdir, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  result = g_new0 (RefreshResult, 1);
  result->branch = read_branch (repo, &error);
  if (result->branch != NULL)
    result->statuses = read_statuses (repo, refresh->scope, &error);

  git_repository_free (repo);

  if (error != NULL)
    {
      refresh_result_free (result);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, result, refresh_result_free);
}

static void
uni_repository_set_branch (UniRepository *self,
                           const char    *branch)
{
  if (g_strcmp0 (self->branch, branch) == 0)
    return;

  g_free (self->branch);
  self->branch = g_strdup (branch);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BRANCH]);
}

static void
refresh_worker_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  UniRepository *self = g_task_get_source_object (task);
  RefreshResult *refresh;
  GError *error = NULL;

  refresh = g_task_propagate_pointer (G_TASK (result), &error);
  if (refresh == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  refresh->serial = GPOINTER_TO_UINT (g_task_get_task_data (task));

  /* An older refresh that finished late must not undo a newer one. */
  if (refresh->serial > self->applied_serial)
    {
      self->applied_serial = refresh->serial;
      g_clear_pointer (&self->statuses, g_hash_table_unref);
      self->statuses = g_steal_pointer (&refresh->statuses);
      uni_repository_set_branch (self, refresh->branch);
      g_signal_emit (self, signals[CHANGED], 0);
    }

  refresh_result_free (refresh);
  g_task_return_boolean (task, TRUE);
}

static ProgressSink *
progress_sink_ref (ProgressSink *sink)
{
  g_atomic_ref_count_inc (&sink->ref_count);
  return sink;
}

static void
progress_sink_unref (ProgressSink *sink)
{
  if (g_atomic_ref_count_dec (&sink->ref_count))
    {
      /* close_progress_sink() already ran the destroy notify on the
       * caller's context; freeing can happen on any thread.
       */
      g_main_context_unref (sink->context);
      g_free (sink);
    }
}

static void
close_progress_sink (ProgressSink *sink)
{
  if (sink->closed)
    return;

  sink->closed = TRUE;
  if (sink->destroy != NULL)
    sink->destroy (sink->data);
  sink->func = NULL;
  sink->data = NULL;
}

static gboolean
deliver_progress_cb (gpointer user_data)
{
  ProgressReport *report = user_data;

  if (!report->sink->closed && report->sink->func != NULL)
    report->sink->func (&report->progress, report->sink->data);

  return G_SOURCE_REMOVE;
}

static void
progress_report_free (gpointer data)
{
  ProgressReport *report = data;

  progress_sink_unref (report->sink);
  g_free (report);
}

static void
send_progress (CloneData *data,
               gboolean   force)
{
  g_autoptr(GSource) source = NULL;
  ProgressReport *report;
  gint64 now;

  if (data->sink == NULL)
    return;

  now = g_get_monotonic_time ();
  if (!force && now - data->last_report < PROGRESS_INTERVAL_USEC)
    return;
  data->last_report = now;

  report = g_new0 (ProgressReport, 1);
  report->sink = progress_sink_ref (data->sink);
  report->progress = data->progress;

  /* Never g_main_context_invoke(): when nobody owns the default context at
   * that instant it runs the callback right here, in the worker thread. An
   * idle source queued before the task's result keeps the order: the last
   * snapshot arrives before clone_worker_cb() closes the sink.
   */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, "[uni] clone progress");
  g_source_set_callback (source, deliver_progress_cb, report, progress_report_free);
  g_source_attach (source, data->sink->context);
}

static int
transfer_progress_cb (const git_indexer_progress *stats,
                      void                       *payload)
{
  CloneData *data = payload;

  if (g_cancellable_is_cancelled (data->cancellable))
    return -1;

  data->progress.received_objects = stats->received_objects;
  data->progress.indexed_objects = stats->indexed_objects;
  data->progress.total_objects = stats->total_objects;
  data->progress.received_bytes = stats->received_bytes;
  send_progress (data, FALSE);

  return 0;
}

static void
checkout_progress_cb (const char *path,
                      size_t      completed_steps,
                      size_t      total_steps,
                      void       *payload)
{
  CloneData *data = payload;

  data->progress.checkout_completed = completed_steps;
  data->progress.checkout_total = total_steps;
  send_progress (data, FALSE);
}

/* Checkout progress cannot stop a clone; this notification can. */
static int
checkout_notify_cb (git_checkout_notify_t  why,
                    const char            *path,
                    const git_diff_file   *baseline,
                    const git_diff_file   *target,
                    const git_diff_file   *workdir,
                    void                  *payload)
{
  CloneData *data = payload;

  return g_cancellable_is_cancelled (data->cancellable) ? -1 : 0;
}

static int
credentials_cb (git_credential **out,
                const char      *url,
                const char      *username_from_url,
                unsigned int     allowed_types,
                void            *payload)
{
  CloneData *data = payload;

  /* One attempt with the user's SSH agent; asking again would loop. */
  if ((allowed_types & GIT_CREDENTIAL_SSH_KEY) != 0 && !data->tried_agent)
    {
      data->tried_agent = TRUE;
      return git_credential_ssh_key_from_agent (out, username_from_url ? username_from_url
                                                                        : "git");
    }

  return GIT_PASSTHROUGH;
}

static void
clone_data_free (gpointer user_data)
{
  CloneData *data = user_data;

  g_free (data->url);
  g_clear_object (&data->destination);
  g_clear_object (&data->cancellable);
  g_clear_pointer (&data->created, g_ptr_array_unref);
  g_clear_pointer (&data->sink, progress_sink_unref);
  g_free (data);
}

static gboolean
directory_is_empty (const char  *path,
                    gboolean    *empty,
                    GError     **error)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, error);

  if (dir == NULL)
    return FALSE;

  *empty = g_dir_read_name (dir) == NULL;
  return TRUE;
}

/*
 * @created lists folders deepest first. Stops at the first that cannot go:
 * not empty means another clone or the user put something there, and then
 * its ancestors are not empty either.
 */
static void
remove_created_folders (GPtrArray *created)
{
  for (guint i = 0; i < created->len; i++)
    {
      GFile *folder = g_ptr_array_index (created, i);

      if (g_rmdir (g_file_peek_path (folder)) != 0)
        {
          int saved_errno = errno;

          g_debug ("Keeping %s: %s", g_file_peek_path (folder), g_strerror (saved_errno));
          return;
        }
    }
}

/*
 * Makes sure the destination can take a clone and remembers what the cleanup
 * may remove. Nothing is touched when the answer is no.
 */
static gboolean
prepare_destination (CloneData  *data,
                     GError    **error)
{
  g_autofree char *path = g_file_get_path (data->destination);
  g_autofree char *display = dup_display_path (data->destination);
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GPtrArray) created = NULL;
  struct stat st;

  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Could not clone into “%s”: only local folders are supported"), display);
      return FALSE;
    }

  if (g_stat (path, &st) == 0)
    {
      gboolean empty = FALSE;

      if (!S_ISDIR (st.st_mode))
        {
          g_set_error (error, UNI_GIT_ERROR, UNI_GIT_ERROR_EXISTS,
                       _("Could not clone into “%s”: a file with that name exists. Choose another name."),
                       display);
          return FALSE;
        }

      if (!directory_is_empty (path, &empty, error))
        return FALSE;

      if (!empty)
        {
          g_set_error (error, UNI_GIT_ERROR, UNI_GIT_ERROR_EXISTS,
                       _("Could not clone into “%s”: the folder exists and is not empty. Choose another folder."),
                       display);
          return FALSE;
        }

      data->created = g_ptr_array_new_with_free_func (g_object_unref);
      data->prepared = TRUE;
      return TRUE;
    }

  if (errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not clone into “%s”: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }

  /* Make the missing folders one by one from the top, remembering only the
   * ones we made: one another clone made meanwhile is not ours to remove.
   */
  missing = g_ptr_array_new_with_free_func (g_object_unref);
  for (GFile *folder = g_object_ref (data->destination); folder != NULL;)
    {
      GFile *parent = g_file_get_parent (folder);

      g_ptr_array_add (missing, folder);
      if (parent != NULL && g_file_query_exists (parent, NULL))
        {
          g_object_unref (parent);
          break;
        }
      folder = parent;
    }

  created = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = missing->len; i > 0; i--)
    {
      GFile *folder = g_ptr_array_index (missing, i - 1);
      gboolean is_destination = i == 1;

      if (g_mkdir (g_file_peek_path (folder), 0777) == 0)
        {
          g_ptr_array_insert (created, 0, g_object_ref (folder));
        }
      else if (errno != EEXIST || is_destination)
        {
          int saved_errno = errno;
          g_autofree char *folder_display = dup_display_path (folder);

          remove_created_folders (created);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not create the folder “%s”: %s"),
                       folder_display, g_strerror (saved_errno));
          return FALSE;
        }
    }

  data->created = g_steal_pointer (&created);
  data->prepared = TRUE;

  return TRUE;
}

/*
 * Removes the destination's contents (and the destination when we made it),
 * then each ancestor we made, bottom-up. An ancestor that is not empty now
 * holds someone else's files, so it and everything above it stay.
 */
static gboolean
cleanup_destination (CloneData  *data,
                     GError    **error)
{
  if (!data->prepared)
    return TRUE;

  /* No cancellable: the cleanup usually runs because of a cancellation. */
  if (data->created->len > 0)
    {
      if (!uni_file_delete_tree (data->destination, NULL, error))
        return FALSE;
      g_ptr_array_remove_index (data->created, 0);
      remove_created_folders (data->created);
      return TRUE;
    }
  else
    {
      g_autoptr(GFileEnumerator) children = NULL;

      children = g_file_enumerate_children (data->destination, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, error);
      if (children == NULL)
        return FALSE;

      for (;;)
        {
          GFile *child = NULL;

          if (!g_file_enumerator_iterate (children, NULL, &child, NULL, error))
            return FALSE;
          if (child == NULL)
            return TRUE;
          if (!uni_file_delete_tree (child, NULL, error))
            return FALSE;
        }
    }
}

/* Tells the user what is left over, on top of why the clone failed. */
static void
append_cleanup_error (GError       **error,
                      CloneData     *data,
                      const GError  *cleanup_error)
{
  g_autofree char *display = dup_display_path (data->destination);
  g_autofree char *extra = NULL;
  char *message;

  g_assert (error != NULL && *error != NULL);

  extra = g_strdup_printf (_("The partial clone in “%s” could not be removed: %s. Delete it before trying again."),
                           display, cleanup_error->message);
  message = g_strconcat ((*error)->message,
                         g_str_has_suffix ((*error)->message, ".") ? " " : ". ",
                         extra, NULL);
  g_free ((*error)->message);
  (*error)->message = message;
}

/*
 * The URL as we may show it: credentials in https://user:token@host/… stay
 * out of error messages. What GUri cannot parse (scp-like addresses, local
 * paths) carries none and is shown as it is.
 */
static char *
dup_display_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);

  if (uri == NULL || g_uri_get_userinfo (uri) == NULL)
    return g_strdup (url);

  return g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO);
}

static void
clone_cleanup_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  g_autoptr(GError) cleanup_error = NULL;
  GError *error = NULL;

  g_set_error (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Operation was cancelled"));
  if (!cleanup_destination (task_data, &cleanup_error))
    append_cleanup_error (&error, task_data, cleanup_error);
  g_task_return_error (task, error);
}

static void
clone_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CloneData *data = task_data;
  git_clone_options options = GIT_CLONE_OPTIONS_INIT;
  g_autoptr(GError) cleanup_error = NULL;
  g_autofree char *path = NULL;
  git_repository *repo = NULL;
  GError *error = NULL;
  int rc;

  ensure_libgit2 ();

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!prepare_destination (data, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  options.fetch_opts.callbacks.transfer_progress = transfer_progress_cb;
  options.fetch_opts.callbacks.credentials = credentials_cb;
  options.fetch_opts.callbacks.payload = data;
  options.checkout_opts.progress_cb = checkout_progress_cb;
  options.checkout_opts.progress_payload = data;
  options.checkout_opts.notify_flags = GIT_CHECKOUT_NOTIFY_ALL;
  options.checkout_opts.notify_cb = checkout_notify_cb;
  options.checkout_opts.notify_payload = data;

  path = g_file_get_path (data->destination);
  rc = git_clone (&repo, data->url, path, &options);

  if (rc == 0 && !g_cancellable_is_cancelled (cancellable))
    {
      git_repository_free (repo);
      send_progress (data, TRUE);
      g_task_return_pointer (task, g_object_ref (data->destination), g_object_unref);
      return;
    }

  if (repo != NULL)
    git_repository_free (repo);

  if (rc == 0)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Operation was cancelled"));
    }
  else
    {
      g_autofree char *display_url = dup_display_url (data->url);
      g_autofree char *what = g_strdup_printf (_("Could not clone “%s”"), display_url);

      set_git_error (&error, rc, cancellable, what);
    }

  if (!cleanup_destination (data, &cleanup_error))
    append_cleanup_error (&error, data, cleanup_error);
  g_task_return_error (task, error);
}

static void
clone_worker_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GFile) file = NULL;
  CloneData *data = g_task_get_task_data (task);
  GError *error = NULL;

  /* Any progress the worker sent is queued before this callback; after it
   * the caller hears nothing more from us.
   */
  close_progress_sink (data->sink);

  file = g_task_propagate_pointer (G_TASK (result), &error);
  if (file == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Cancelled after the last byte but before the caller heard of it: the
   * user asked for no clone, so the finished one goes away too (off the
   * main thread, it can be big).
   */
  if (g_cancellable_is_cancelled (data->cancellable))
    {
      g_task_run_in_thread (task, clone_cleanup_thread);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&file), g_object_unref);
}

static void
uni_repository_dispose (GObject *object)
{
  UniRepository *self = (UniRepository *)object;

  g_clear_object (&self->workdir);
  g_clear_object (&self->real_workdir);
  g_clear_object (&self->git_dir);

  G_OBJECT_CLASS (uni_repository_parent_class)->dispose (object);
}

static void
uni_repository_finalize (GObject *object)
{
  UniRepository *self = (UniRepository *)object;

  g_clear_pointer (&self->branch, g_free);
  g_clear_pointer (&self->scope, g_free);
  g_clear_pointer (&self->statuses, g_hash_table_unref);

  G_OBJECT_CLASS (uni_repository_parent_class)->finalize (object);
}

static void
uni_repository_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  UniRepository *self = UNI_REPOSITORY (object);

  switch (prop_id)
    {
    case PROP_WORKDIR:
      g_value_set_object (value, self->workdir);
      break;

    case PROP_BRANCH:
      g_value_set_string (value, self->branch);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_repository_class_init (UniRepositoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = uni_repository_dispose;
  object_class->finalize = uni_repository_finalize;
  object_class->get_property = uni_repository_get_property;

  properties[PROP_WORKDIR] =
    g_param_spec_object ("workdir", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_BRANCH] =
    g_param_spec_string ("branch", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * UniRepository::changed:
   *
   * Emitted on the main thread after a refresh replaced the file statuses
   * (and the branch, which also notifies #UniRepository:branch).
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);
}

static void
uni_repository_init (UniRepository *self)
{
  self->statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/*
 * The caller may have reached the work tree through a symlink, while libgit2
 * reports the resolved path. Keep the caller's spelling when @directory is
 * the resolved work tree or below it, so UI paths match our table.
 */
static GFile *
dup_caller_workdir (GFile      *directory,
                    const char *real_workdir)
{
  g_autofree char *path = g_file_get_path (directory);
  g_autofree char *resolved = realpath (path, NULL);
  g_autoptr(GFile) real = g_file_new_for_path (real_workdir);
  g_autoptr(GFile) resolved_file = NULL;
  g_autofree char *below = NULL;
  g_autoptr(GFile) candidate = NULL;

  if (resolved == NULL)
    return g_steal_pointer (&real);

  resolved_file = g_file_new_for_path (resolved);
  if (g_file_equal (resolved_file, real))
    return g_object_ref (directory);

  below = g_file_get_relative_path (real, resolved_file);
  if (below == NULL)
    return g_steal_pointer (&real);

  /* @directory is inside the work tree: climb as many levels as it is deep. */
  candidate = g_object_ref (directory);
  for (const char *p = below; p != NULL; p = strchr (p + 1, G_DIR_SEPARATOR))
    {
      g_autoptr(GFile) parent = g_file_get_parent (candidate);

      if (parent == NULL)
        return g_steal_pointer (&real);
      g_set_object (&candidate, parent);
    }

  return g_steal_pointer (&candidate);
}

/**
 * uni_repository_open:
 * @directory: a folder inside the work tree of a repository
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Finds the repository that contains @directory. This blocks on the disk:
 * call it from a worker thread, or use uni_repository_open_async().
 *
 * Returns: (transfer full): the repository, or %NULL with
 *   %UNI_GIT_ERROR_NOT_A_REPOSITORY when @directory is in none
 */
UniRepository *
uni_repository_open (GFile         *directory,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(UniRepository) self = NULL;
  g_autofree char *path = NULL;
  g_autofree char *display = NULL;
  git_repository *repo = NULL;
  const char *workdir;
  int rc;

  g_return_val_if_fail (G_IS_FILE (directory), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ensure_libgit2 ();

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  display = dup_display_path (directory);
  path = g_file_get_path (directory);
  if (path == NULL)
    {
      g_set_error (error, UNI_GIT_ERROR, UNI_GIT_ERROR_NOT_A_REPOSITORY,
                   _("“%s” is not a local folder, so it cannot be a git repository"), display);
      return NULL;
    }

  rc = git_repository_open_ext (&repo, path, 0, NULL);
  if (rc == GIT_ENOTFOUND)
    {
      g_set_error (error, UNI_GIT_ERROR, UNI_GIT_ERROR_NOT_A_REPOSITORY,
                   _("“%s” is not in a git repository"), display);
      return NULL;
    }
  if (rc < 0)
    {
      g_autofree char *what = NULL;

      what = g_strdup_printf (_("Could not open the repository in “%s”"), display);

      set_git_error (error, rc, cancellable, what);
      return NULL;
    }

  workdir = git_repository_workdir (repo);
  if (workdir == NULL)
    {
      git_repository_free (repo);
      g_set_error (error, UNI_GIT_ERROR, UNI_GIT_ERROR_NOT_A_REPOSITORY,
                   _("“%s” is a bare git repository, which has no files to work on"), display);
      return NULL;
    }

  self = g_object_new (UNI_TYPE_REPOSITORY, NULL);
  self->real_workdir = g_file_new_for_path (workdir);
  self->workdir = dup_caller_workdir (directory, workdir);
  self->scope = g_file_get_relative_path (self->workdir, directory);
  self->git_dir = g_file_new_for_path (git_repository_path (repo));
  /* libgit2 opens a repository whose HEAD it cannot read; nothing works
   * on it after, so that is where it fails.
   */
  self->branch = read_branch (repo, error);

  git_repository_free (repo);

  if (self->branch == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  UniRepository *self;
  GError *error = NULL;

  if ((self = uni_repository_open (task_data, cancellable, &error)))
    g_task_return_pointer (task, self, g_object_unref);
  else
    g_task_return_error (task, error);
}

/**
 * uni_repository_open_async:
 * @directory: a folder inside the work tree of a repository
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Runs uni_repository_open() in a worker thread.
 */
void
uni_repository_open_async (GFile               *directory,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (directory));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, uni_repository_open_async);
  g_task_set_task_data (task, g_object_ref (directory), g_object_unref);
  g_task_run_in_thread (task, open_thread);
}

/**
 * uni_repository_open_finish:
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the repository, or %NULL
 */
UniRepository *
uni_repository_open_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == uni_repository_open_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * uni_repository_get_workdir:
 * @self: a #UniRepository
 *
 * Returns: (transfer none): the top folder of the work tree
 */
GFile *
uni_repository_get_workdir (UniRepository *self)
{
  g_return_val_if_fail (UNI_IS_REPOSITORY (self), NULL);

  return self->workdir;
}

/**
 * uni_repository_get_git_dir:
 * @self: a #UniRepository
 *
 * The folder holding this work tree's HEAD and index: `.git`, or for a
 * linked work tree the folder `.git` points to.
 *
 * Returns: (transfer none): the git folder
 */
GFile *
uni_repository_get_git_dir (UniRepository *self)
{
  g_return_val_if_fail (UNI_IS_REPOSITORY (self), NULL);

  return self->git_dir;
}

/**
 * uni_repository_get_branch:
 * @self: a #UniRepository
 *
 * The checked-out branch; a short commit id when HEAD is detached; the
 * branch to be born for a repository without commits.
 *
 * Returns: (nullable): the branch name
 */
const char *
uni_repository_get_branch (UniRepository *self)
{
  g_return_val_if_fail (UNI_IS_REPOSITORY (self), NULL);

  return self->branch;
}

/**
 * uni_repository_refresh_async:
 * @self: a #UniRepository
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the refresh is done
 * @user_data: data for @callback
 *
 * Reads the branch and the status of every file in a worker thread, then
 * replaces them on this thread and emits #UniRepository::changed.
 */
void
uni_repository_refresh_async (UniRepository       *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  RefreshData *refresh;

  g_return_if_fail (UNI_IS_REPOSITORY (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, uni_repository_refresh_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (++self->refresh_serial), NULL);

  /* The worker thread may drop its task last; it must not hold @self, whose
   * finalization belongs on this thread.
   */
  worker = g_task_new (NULL, cancellable, refresh_worker_cb, g_steal_pointer (&task));
  g_task_set_source_tag (worker, refresh_thread);
  refresh = g_new0 (RefreshData, 1);
  refresh->real_workdir = g_object_ref (self->real_workdir);
  refresh->scope = g_strdup (self->scope);
  g_task_set_task_data (worker, refresh, refresh_data_free);
  g_task_run_in_thread (worker, refresh_thread);
}

/**
 * uni_repository_refresh_finish:
 * @self: a #UniRepository
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the statuses were refreshed
 */
gboolean
uni_repository_refresh_finish (UniRepository  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (UNI_IS_REPOSITORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * uni_repository_get_file_status:
 * @self: a #UniRepository
 * @file: a file or folder in the work tree
 *
 * Looks @file up in the statuses of the last refresh; never touches the disk.
 * A folder reports the most important status below it.
 *
 * Returns: the status, %UNI_GIT_FILE_STATUS_CLEAN for unknown paths
 */
UniGitFileStatus
uni_repository_get_file_status (UniRepository *self,
                                GFile         *file)
{
  g_autofree char *relative = NULL;

  g_return_val_if_fail (UNI_IS_REPOSITORY (self), UNI_GIT_FILE_STATUS_CLEAN);
  g_return_val_if_fail (G_IS_FILE (file), UNI_GIT_FILE_STATUS_CLEAN);

  if (g_file_equal (file, self->workdir) || g_file_equal (file, self->real_workdir))
    relative = g_strdup ("");
  else if (!(relative = g_file_get_relative_path (self->workdir, file)))
    relative = g_file_get_relative_path (self->real_workdir, file);

  if (relative == NULL)
    return UNI_GIT_FILE_STATUS_CLEAN;

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->statuses, relative));
}

/**
 * uni_clone_progress_get_fraction:
 * @progress: a progress snapshot
 *
 * Fetching fills the first 80 %, writing the files the rest.
 *
 * Returns: the share of the clone that is done, from 0 to 1
 */
double
uni_clone_progress_get_fraction (const UniCloneProgress *progress)
{
  double fraction = 0.0;

  g_return_val_if_fail (progress != NULL, 0.0);

  if (progress->checkout_total > 0)
    fraction = FETCH_SHARE + (1.0 - FETCH_SHARE) * progress->checkout_completed
                                                  / progress->checkout_total;
  else if (progress->total_objects > 0)
    fraction = FETCH_SHARE * ((double) progress->received_objects + progress->indexed_objects)
                           / (2.0 * progress->total_objects);

  return CLAMP (fraction, 0.0, 1.0);
}

/**
 * uni_repository_clone_async:
 * @url: what to clone
 * @destination: a folder that does not exist yet or is empty
 * @progress: (nullable) (scope notified): called with progress snapshots
 * @progress_data: data for @progress
 * @progress_destroy: (nullable): frees @progress_data after the last report
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the clone is done
 * @user_data: data for @callback
 *
 * Clones @url into @destination in a worker thread. @progress is called on
 * the thread-default main context of this call, at most about 30 times a
 * second, and always with the final state; never after @callback.
 *
 * A failed or cancelled clone removes what it created: the folder if it
 * made it, the contents if @destination was an existing empty folder, and
 * each missing parent it made as long as that is empty again. When that
 * fails the error says so. A non-empty @destination fails with
 * %UNI_GIT_ERROR_EXISTS untouched.
 */
void
uni_repository_clone_async (const char           *url,
                            GFile                *destination,
                            UniCloneProgressFunc  progress,
                            gpointer              progress_data,
                            GDestroyNotify        progress_destroy,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  CloneData *data;

  g_return_if_fail (url != NULL);
  g_return_if_fail (G_IS_FILE (destination));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (CloneData, 1);
  data->url = g_strdup (url);
  data->destination = g_object_ref (destination);
  data->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  data->sink = g_new0 (ProgressSink, 1);
  g_atomic_ref_count_init (&data->sink->ref_count);
  data->sink->context = g_main_context_ref_thread_default ();
  data->sink->func = progress;
  data->sink->data = progress_data;
  data->sink->destroy = progress_destroy;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, uni_repository_clone_async);
  g_task_set_task_data (task, data, clone_data_free);
  /* We decide what a late cancellation means, see clone_worker_cb(). */
  g_task_set_check_cancellable (task, FALSE);

  worker = g_task_new (NULL, cancellable, clone_worker_cb, g_object_ref (task));
  g_task_set_source_tag (worker, clone_thread);
  g_task_set_task_data (worker, data, NULL);
  g_task_set_check_cancellable (worker, FALSE);
  g_task_run_in_thread (worker, clone_thread);
}

/**
 * uni_repository_clone_finish:
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the cloned folder, or %NULL
 */
GFile *
uni_repository_clone_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == uni_repository_clone_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
