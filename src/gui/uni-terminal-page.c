/* uni-terminal-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE 1
#define G_LOG_DOMAIN "uni-terminal-page"

#include "config.h"

#include <adwaita.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "uni-terminal-page.h"

/* Output is fed to the terminal a slice per frame. VTE parses what it is given
 * in one go, so a flood fed as it arrives (tens of megabytes) stalls drawing and
 * input; the slice grows while frames come on time and halves when one is late.
 */
#define FEED_MIN_BYTES     (16 * 1024)
#define FEED_START_BYTES   (128 * 1024)
#define FEED_MAX_BYTES     (2 * 1024 * 1024)
#define FRAME_LATE_USEC    (25 * 1000)
#define FRAME_ON_TIME_USEC (18 * 1000)
#define UNMAPPED_FEED_MS   16

/* Output nobody has seen yet is kept up to this size; past it the oldest is
 * dropped, as a terminal's scrollback would drop it anyway.
 */
#define BACKLOG_MAX_BYTES  (8 * 1024 * 1024)

struct _UniTerminalPage
{
  GtkWidget     parent_instance;

  /* Template widgets */
  GtkBox       *status_bar;
  GtkSpinner   *spinner;
  GtkImage     *state_image;
  GtkLabel     *status_label;
  GtkButton    *retry_button;
  VteTerminal  *terminal;

  /* Owned */
  UniJob       *job;
  VtePty       *pty;
  GByteArray   *backlog;
  GIcon        *icon;
  char         *status;
  gsize         backlog_offset;
  gsize         feed_budget;
  gint64        last_feed_time;
  guint         tick_id;
  guint         timeout_id;
  gulong        dark_handler;
  int           pty_slave_fd;

  /* Flags */
  guint         last_was_cr : 1;
};

G_DEFINE_FINAL_TYPE (UniTerminalPage, uni_terminal_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_JOB,
  PROP_TITLE,
  PROP_ICON,
  PROP_RUNNING,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Adwaita-like colours, so the terminal reads as part of the window. */
static const char *palette_light[16] = {
  "#241f31", "#c01c28", "#2ec27e", "#f5c211", "#1e78e4", "#9841bb", "#0ab9dc", "#c0bfbc",
  "#5e5c64", "#ed333b", "#57e389", "#f8e45c", "#51a1ff", "#c061cb", "#4fd2fd", "#f6f5f4",
};
static const char *palette_dark[16] = {
  "#241f31", "#ed333b", "#57e389", "#f8e45c", "#51a1ff", "#c061cb", "#4fd2fd", "#c0bfbc",
  "#5e5c64", "#f66151", "#8ff0a4", "#f9f06b", "#99c1f1", "#dc8add", "#93ddff", "#f6f5f4",
};

static void
update_colors (UniTerminalPage *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  const char **names = dark ? palette_dark : palette_light;
  GdkRGBA palette[16];
  GdkRGBA foreground;
  GdkRGBA background;

  for (guint i = 0; i < G_N_ELEMENTS (palette); i++)
    gdk_rgba_parse (&palette[i], names[i]);

  gdk_rgba_parse (&foreground, dark ? "#ffffff" : "#1e1e1e");
  gdk_rgba_parse (&background, dark ? "#1e1e1e" : "#ffffff");

  vte_terminal_set_colors (self->terminal, &foreground, &background, palette, G_N_ELEMENTS (palette));
}

static void
stop_feeding (UniTerminalPage *self)
{
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_clear_handle_id (&self->timeout_id, g_source_remove);
}

/* Returns TRUE while more output waits. */
static gboolean
feed_slice (UniTerminalPage *self)
{
  gint64 now = g_get_monotonic_time ();
  gsize remaining = self->backlog->len - self->backlog_offset;
  gsize length;

  if (self->last_feed_time != 0)
    {
      gint64 gap = now - self->last_feed_time;

      if (gap > FRAME_LATE_USEC)
        self->feed_budget = MAX (FEED_MIN_BYTES, self->feed_budget / 2);
      else if (gap < FRAME_ON_TIME_USEC)
        self->feed_budget = MIN (FEED_MAX_BYTES, self->feed_budget + self->feed_budget / 4);
    }
  self->last_feed_time = now;

  length = MIN (remaining, self->feed_budget);
  vte_terminal_feed (self->terminal,
                     (const char *) self->backlog->data + self->backlog_offset,
                     length);
  self->backlog_offset += length;

  if (self->backlog_offset < self->backlog->len)
    {
      /* Drop what was fed once it is the larger part, not at every slice. */
      if (self->backlog_offset > self->backlog->len / 2)
        {
          g_byte_array_remove_range (self->backlog, 0, self->backlog_offset);
          self->backlog_offset = 0;
        }
      return TRUE;
    }

  g_byte_array_set_size (self->backlog, 0);
  self->backlog_offset = 0;
  self->last_feed_time = 0;

  return FALSE;
}

static gboolean
feed_tick_cb (GtkWidget     *widget,
              GdkFrameClock *frame_clock,
              gpointer       user_data)
{
  UniTerminalPage *self = UNI_TERMINAL_PAGE (widget);

  if (feed_slice (self))
    return G_SOURCE_CONTINUE;

  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
feed_timeout_cb (gpointer user_data)
{
  UniTerminalPage *self = user_data;

  if (feed_slice (self))
    return G_SOURCE_CONTINUE;

  self->timeout_id = 0;
  return G_SOURCE_REMOVE;
}

/* Paced by frames while shown; a hidden page keeps up on a timer of the same pace. */
static void
schedule_feed (UniTerminalPage *self)
{
  if (self->terminal == NULL || self->backlog->len == self->backlog_offset)
    return;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      g_clear_handle_id (&self->timeout_id, g_source_remove);
      if (self->tick_id == 0)
        self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), feed_tick_cb,
                                                      NULL, NULL);
    }
  else
    {
      if (self->tick_id != 0)
        {
          gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
          self->tick_id = 0;
        }
      if (self->timeout_id == 0)
        self->timeout_id = g_timeout_add (UNMAPPED_FEED_MS, feed_timeout_cb, self);
    }
}

/* The output comes from a pipe, not through the terminal's line discipline:
 * a lone \n must become \r\n, as the tty would have made it.
 */
static void
append_output (UniTerminalPage *self,
               const char      *data,
               gsize            length)
{
  const char *end = data + length;
  const char *start = data;

  while (start < end)
    {
      const char *nl = memchr (start, '\n', end - start);
      gboolean after_cr;

      if (nl == NULL)
        {
          g_byte_array_append (self->backlog, (const guint8 *) start, end - start);
          break;
        }

      after_cr = nl > start ? nl[-1] == '\r' : self->last_was_cr;
      g_byte_array_append (self->backlog, (const guint8 *) start, nl - start);
      g_byte_array_append (self->backlog, (const guint8 *) (after_cr ? "\n" : "\r\n"),
                           after_cr ? 1 : 2);
      start = nl + 1;
    }

  if (length > 0)
    self->last_was_cr = data[length - 1] == '\r';
}

/* Drops the oldest output not fed yet, from a line start on, and says so in
 * its place: a flood faster than the terminal draws must not grow without end.
 */
static void
trim_backlog (UniTerminalPage *self)
{
  g_autofree char *note = NULL;
  gsize unfed = self->backlog->len - self->backlog_offset;
  const guint8 *cut;
  const guint8 *nl;
  gsize drop_end;

  if (unfed <= BACKLOG_MAX_BYTES)
    return;

  /* Keep half the cap, so trimming is rare, and resume after a newline. */
  cut = self->backlog->data + self->backlog->len - BACKLOG_MAX_BYTES / 2;
  nl = memchr (cut, '\n', self->backlog->data + self->backlog->len - cut);
  drop_end = nl != NULL ? (gsize) (nl + 1 - self->backlog->data)
                        : (gsize) (cut - self->backlog->data);

  /* Translators: shown in a build log in place of output dropped because it came too fast */
  note = g_strdup_printf ("\r\n\033[2m%s\033[0m\r\n", _("[… output skipped …]"));
  /* What was fed already goes with the dropped part. */
  g_byte_array_remove_range (self->backlog, 0, drop_end);
  g_byte_array_prepend (self->backlog, (const guint8 *) note, strlen (note));
  self->backlog_offset = 0;
}

static const char *
running_status (UniJob *job)
{
  const char *name = uni_job_get_name (job);

  if (g_strcmp0 (name, "configure") == 0)
    return _("Configuring…");
  if (g_strcmp0 (name, "depend") == 0)
    return _("Installing dependencies…");
  if (g_strcmp0 (name, "build") == 0)
    return _("Building…");

  return _("Running…");
}

static void
update_state (UniTerminalPage *self)
{
  static const char *state_classes[] = { "success", "error", "warning", "dim-label" };
  const char *icon_name = "content-loading-symbolic";
  const char *state_class = "dim-label";
  g_autofree char *status = NULL;
  gboolean running = FALSE;
  gboolean retry = FALSE;
  gboolean is_run = self->job != NULL && g_strcmp0 (uni_job_get_name (self->job), "run") == 0;
  UniJobState state;

  state = self->job != NULL ? uni_job_get_state (self->job) : UNI_JOB_PENDING;

  switch (state)
    {
    case UNI_JOB_PENDING:
      status = g_strdup (_("Waiting…"));
      break;

    case UNI_JOB_RUNNING:
      status = g_strdup (running_status (self->job));
      running = TRUE;
      state_class = NULL;
      break;

    case UNI_JOB_SUCCEEDED:
      status = g_strdup (_("Succeeded"));
      icon_name = "emblem-ok-symbolic";
      state_class = "success";
      break;

    case UNI_JOB_FAILED:
      /* Translators: %d is the exit code of the failed command */
      status = g_strdup_printf (_("Failed — exit code %d"), uni_job_get_exit_status (self->job));
      icon_name = "dialog-error-symbolic";
      state_class = "error";
      retry = TRUE;
      break;

    case UNI_JOB_CANCELLED:
      /* A unikernel serves until someone stops it: nothing was cancelled. */
      status = g_strdup (is_run ? _("Stopped") : _("Cancelled"));
      icon_name = "process-stop-symbolic";
      state_class = "warning";
      retry = TRUE;
      break;

    case UNI_JOB_SKIPPED:
      /* Translators: %s says why, e.g. "up to date" */
      status = g_strdup_printf (_("Skipped: %s"),
                                uni_job_get_skip_reason (self->job) != NULL ?
                                uni_job_get_skip_reason (self->job) : _("up to date"));
      icon_name = "media-skip-forward-symbolic";
      break;

    default:
      g_assert_not_reached ();
    }

  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_bar), state_classes[i]);
  if (state_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_bar), state_class);

  gtk_label_set_label (self->status_label, status);
  gtk_image_set_from_icon_name (self->state_image, icon_name);
  gtk_widget_set_visible (GTK_WIDGET (self->state_image), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), running);
  gtk_spinner_set_spinning (self->spinner, running);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button),
                          retry && g_strcmp0 (uni_job_get_name (self->job), "setup") != 0);
  gtk_button_set_label (self->retry_button, is_run ? _("_Run Again") : _("_Build Again"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->retry_button),
                                  is_run ? "win.run" : "win.build");

  if (g_strcmp0 (self->status, status) != 0)
    {
      g_free (self->status);
      self->status = g_steal_pointer (&status);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }

  if (self->icon == NULL ||
      g_strcmp0 (g_themed_icon_get_names (G_THEMED_ICON (self->icon))[0], icon_name) != 0)
    {
      g_clear_object (&self->icon);
      self->icon = g_themed_icon_new (icon_name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON]);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
job_output_cb (UniTerminalPage *self,
               const char      *data,
               gsize            length,
               UniJob          *job)
{
  uni_terminal_page_feed (self, data, length);
}

static void
job_notify_state_cb (UniTerminalPage *self,
                     GParamSpec      *pspec,
                     UniJob          *job)
{
  update_state (self);
}

static void
uni_terminal_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (uni_terminal_page_parent_class)->map (widget);
  schedule_feed (UNI_TERMINAL_PAGE (widget));
}

static void
uni_terminal_page_unmap (GtkWidget *widget)
{
  UniTerminalPage *self = UNI_TERMINAL_PAGE (widget);

  stop_feeding (self);
  GTK_WIDGET_CLASS (uni_terminal_page_parent_class)->unmap (widget);
  schedule_feed (self);
}

static void
uni_terminal_page_dispose (GObject *object)
{
  UniTerminalPage *self = UNI_TERMINAL_PAGE (object);
  GtkWidget *child;

  stop_feeding (self);
  g_clear_signal_handler (&self->dark_handler, adw_style_manager_get_default ());
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_clear_object (&self->job);

  gtk_widget_dispose_template (GTK_WIDGET (self), UNI_TYPE_TERMINAL_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->pty);
  if (self->pty_slave_fd != -1)
    {
      g_close (self->pty_slave_fd, NULL);
      self->pty_slave_fd = -1;
    }
  g_clear_object (&self->icon);

  G_OBJECT_CLASS (uni_terminal_page_parent_class)->dispose (object);
}

static void
uni_terminal_page_finalize (GObject *object)
{
  UniTerminalPage *self = UNI_TERMINAL_PAGE (object);

  g_clear_pointer (&self->backlog, g_byte_array_unref);
  g_clear_pointer (&self->status, g_free);

  G_OBJECT_CLASS (uni_terminal_page_parent_class)->finalize (object);
}

static void
uni_terminal_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  UniTerminalPage *self = UNI_TERMINAL_PAGE (object);

  switch (prop_id)
    {
    case PROP_JOB:
      g_value_set_object (value, self->job);
      break;

    case PROP_TITLE:
      g_value_set_string (value, uni_terminal_page_get_title (self));
      break;

    case PROP_ICON:
      g_value_set_object (value, self->icon);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, uni_terminal_page_get_running (self));
      break;

    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_terminal_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  UniTerminalPage *self = UNI_TERMINAL_PAGE (object);

  switch (prop_id)
    {
    case PROP_JOB:
      uni_terminal_page_set_job (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_terminal_page_class_init (UniTerminalPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = uni_terminal_page_dispose;
  object_class->finalize = uni_terminal_page_finalize;
  object_class->get_property = uni_terminal_page_get_property;
  object_class->set_property = uni_terminal_page_set_property;

  widget_class->map = uni_terminal_page_map;
  widget_class->unmap = uni_terminal_page_unmap;

  properties[PROP_JOB] =
    g_param_spec_object ("job", NULL, NULL,
                         UNI_TYPE_JOB,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_ICON] =
    g_param_spec_object ("icon", NULL, NULL,
                         G_TYPE_ICON,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (VTE_TYPE_TERMINAL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "terminalpage");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/unistudio/Unistudio/uni-terminal-page.ui");
  gtk_widget_class_bind_template_child (widget_class, UniTerminalPage, status_bar);
  gtk_widget_class_bind_template_child (widget_class, UniTerminalPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, UniTerminalPage, state_image);
  gtk_widget_class_bind_template_child (widget_class, UniTerminalPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, UniTerminalPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, UniTerminalPage, terminal);
}

static void
uni_terminal_page_init (UniTerminalPage *self)
{
  g_autoptr(PangoFontDescription) font = NULL;
  g_autoptr(GError) error = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->backlog = g_byte_array_new ();
  self->feed_budget = FEED_START_BYTES;
  self->pty_slave_fd = -1;

  font = pango_font_description_from_string ("Monospace 10");
  vte_terminal_set_font (self->terminal, font);
  update_colors (self);
  self->dark_handler = g_signal_connect_swapped (adw_style_manager_get_default (),
                                                 "notify::dark",
                                                 G_CALLBACK (update_colors), self);

  /* The job writes its output to a pipe we feed from; the PTY is its
   * controlling terminal, so ^C and typed answers (sudo, ssh) reach it.
   */
  self->pty = vte_pty_new_sync (VTE_PTY_DEFAULT, NULL, &error);
  if (self->pty != NULL)
    {
      char slave[256];

      /* When the last slave closes the master hangs up and VTE lets the PTY go,
       * leaving later jobs of this page a terminal nobody reads. Holding one
       * slave for the page's life keeps it for every job.
       */
      if (ptsname_r (vte_pty_get_fd (self->pty), slave, sizeof slave) == 0)
        self->pty_slave_fd = open (slave, O_RDWR | O_NOCTTY | O_CLOEXEC);
      if (self->pty_slave_fd == -1)
        g_debug ("Could not hold the terminal open: %s", g_strerror (errno));
      vte_terminal_set_pty (self->terminal, self->pty);
    }
  else
    g_debug ("No terminal for input: %s", error->message);

  update_state (self);
}

/**
 * uni_terminal_page_new:
 * @job: (nullable): the job to show
 *
 * Returns: (transfer floating): a new #UniTerminalPage
 */
UniTerminalPage *
uni_terminal_page_new (UniJob *job)
{
  g_return_val_if_fail (!job || UNI_IS_JOB (job), NULL);

  return g_object_new (UNI_TYPE_TERMINAL_PAGE, "job", job, NULL);
}

/**
 * uni_terminal_page_get_job:
 *
 * Returns: (transfer none) (nullable): the job shown
 */
UniJob *
uni_terminal_page_get_job (UniTerminalPage *self)
{
  g_return_val_if_fail (UNI_IS_TERMINAL_PAGE (self), NULL);

  return self->job;
}

/**
 * uni_terminal_page_set_job:
 * @self: a #UniTerminalPage
 * @job: (nullable): the job to show from now on
 *
 * Shows @job's state and appends its output to what the terminal holds
 * (call uni_terminal_page_clear() first for a fresh run); gives @job the
 * terminal's PTY, when there is one, as its controlling terminal.
 */
void
uni_terminal_page_set_job (UniTerminalPage *self,
                           UniJob          *job)
{
  g_return_if_fail (UNI_IS_TERMINAL_PAGE (self));
  g_return_if_fail (!job || UNI_IS_JOB (job));

  if (self->job == job)
    return;

  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);

  g_set_object (&self->job, job);

  if (job != NULL)
    {
      g_signal_connect_object (job, "output", G_CALLBACK (job_output_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (job, "notify::state", G_CALLBACK (job_notify_state_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (job, "notify::exit-status", G_CALLBACK (job_notify_state_cb),
                               self, G_CONNECT_SWAPPED);
      if (self->pty != NULL)
        uni_job_set_pty_fd (job, vte_pty_get_fd (self->pty));
    }

  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

/**
 * uni_terminal_page_get_terminal:
 *
 * Returns: (transfer none): the terminal
 */
VteTerminal *
uni_terminal_page_get_terminal (UniTerminalPage *self)
{
  g_return_val_if_fail (UNI_IS_TERMINAL_PAGE (self), NULL);

  return self->terminal;
}

const char *
uni_terminal_page_get_title (UniTerminalPage *self)
{
  g_return_val_if_fail (UNI_IS_TERMINAL_PAGE (self), NULL);

  return self->job != NULL ? uni_job_get_title (self->job) : _("Terminal");
}

/**
 * uni_terminal_page_get_icon:
 *
 * Returns: (transfer none): an icon for the state of the job
 */
GIcon *
uni_terminal_page_get_icon (UniTerminalPage *self)
{
  g_return_val_if_fail (UNI_IS_TERMINAL_PAGE (self), NULL);

  return self->icon;
}

gboolean
uni_terminal_page_get_running (UniTerminalPage *self)
{
  g_return_val_if_fail (UNI_IS_TERMINAL_PAGE (self), FALSE);

  return self->job != NULL && uni_job_get_state (self->job) == UNI_JOB_RUNNING;
}

/**
 * uni_terminal_page_get_status:
 *
 * Returns: the status line, e.g. "Failed — exit code 2"
 */
const char *
uni_terminal_page_get_status (UniTerminalPage *self)
{
  g_return_val_if_fail (UNI_IS_TERMINAL_PAGE (self), NULL);

  return self->status;
}

/**
 * uni_terminal_page_feed:
 * @self: a #UniTerminalPage
 * @data: (array length=length): output of a process, as written to a pipe
 * @length: length of @data
 *
 * Queues @data for the terminal; it is shown over the next frames, a slice at
 * a time, so a flood of output never blocks the main loop for long.
 */
void
uni_terminal_page_feed (UniTerminalPage *self,
                        const char      *data,
                        gsize            length)
{
  g_return_if_fail (UNI_IS_TERMINAL_PAGE (self));
  g_return_if_fail (data != NULL || length == 0);

  if (self->terminal == NULL)
    return;

  append_output (self, data, length);
  trim_backlog (self);
  schedule_feed (self);
}

/**
 * uni_terminal_page_get_backlog:
 *
 * Returns: how many bytes of output still wait to be given to the terminal
 */
gsize
uni_terminal_page_get_backlog (UniTerminalPage *self)
{
  g_return_val_if_fail (UNI_IS_TERMINAL_PAGE (self), 0);

  return self->backlog->len - self->backlog_offset;
}

/**
 * uni_terminal_page_clear:
 *
 * Forgets the output shown and still queued, for a new run.
 */
void
uni_terminal_page_clear (UniTerminalPage *self)
{
  g_return_if_fail (UNI_IS_TERMINAL_PAGE (self));

  stop_feeding (self);
  g_byte_array_set_size (self->backlog, 0);
  self->backlog_offset = 0;
  self->last_was_cr = FALSE;
  vte_terminal_reset (self->terminal, TRUE, TRUE);
}

/**
 * uni_terminal_page_dup_text:
 *
 * Returns: (transfer full): the text of the terminal, scrollback included
 */
char *
uni_terminal_page_dup_text (UniTerminalPage *self)
{
  GtkAdjustment *adjustment;
  long first_row;
  long last_row;

  g_return_val_if_fail (UNI_IS_TERMINAL_PAGE (self), NULL);

  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->terminal));
  first_row = (long) gtk_adjustment_get_lower (adjustment);
  last_row = (long) gtk_adjustment_get_upper (adjustment);

  return vte_terminal_get_text_range (self->terminal,
                                      first_row, 0,
                                      last_row, vte_terminal_get_column_count (self->terminal),
                                      NULL, NULL, NULL);
}
