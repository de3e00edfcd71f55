/* uni-board-status.c — what a probe of a board found: reachable? Xen? domains?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-board-status"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "uni-board-private.h"
#include "uni-board-status.h"
#include "uni-xl.h"

/* ssh's own exit status for its errors, as opposed to the remote command's. */
#define SSH_ERROR 255

/* The shell's exit status for a command it cannot find. */
#define NOT_FOUND 127

/* The sections the script prints, see uni_board_probe_dup_script(). */
#define SECTION_MACHINE "machine"
#define SECTION_INFO    "xl-info"
#define SECTION_LIST    "xl-list"
#define SECTION_BRIDGES "bridges"

struct _UniBoardStatus
{
  GObject        parent_instance;

  /* owned */
  char          *message;
  char          *detail;
  char          *machine;
  GHashTable    *info;
  GPtrArray     *domains;
  char         **bridges;

  UniBoardState  state;
  gboolean       logged_in;
};

G_DEFINE_FINAL_TYPE (UniBoardStatus, uni_board_status, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (UniBoardState, uni_board_state,
  G_DEFINE_ENUM_VALUE (UNI_BOARD_STATE_OK, "ok"),
  G_DEFINE_ENUM_VALUE (UNI_BOARD_STATE_UNKNOWN_HOST, "unknown-host"),
  G_DEFINE_ENUM_VALUE (UNI_BOARD_STATE_REFUSED, "refused"),
  G_DEFINE_ENUM_VALUE (UNI_BOARD_STATE_UNREACHABLE, "unreachable"),
  G_DEFINE_ENUM_VALUE (UNI_BOARD_STATE_TIMEOUT, "timeout"),
  G_DEFINE_ENUM_VALUE (UNI_BOARD_STATE_HOST_KEY_UNKNOWN, "host-key-unknown"),
  G_DEFINE_ENUM_VALUE (UNI_BOARD_STATE_HOST_KEY_CHANGED, "host-key-changed"),
  G_DEFINE_ENUM_VALUE (UNI_BOARD_STATE_AUTH_FAILED, "auth-failed"),
  G_DEFINE_ENUM_VALUE (UNI_BOARD_STATE_XL_MISSING, "xl-missing"),
  G_DEFINE_ENUM_VALUE (UNI_BOARD_STATE_SUDO_MISSING, "sudo-missing"),
  G_DEFINE_ENUM_VALUE (UNI_BOARD_STATE_SUDO_NEEDS_PASSWORD, "sudo-needs-password"),
  G_DEFINE_ENUM_VALUE (UNI_BOARD_STATE_XL_NEEDS_ROOT, "xl-needs-root"),
  G_DEFINE_ENUM_VALUE (UNI_BOARD_STATE_XEN_NOT_RUNNING, "xen-not-running"),
  G_DEFINE_ENUM_VALUE (UNI_BOARD_STATE_FAILED, "failed"))

/* The sections of the script's output: "out NAME", "err NAME" → text;
 * "exit NAME" → the status as text.
 */
typedef GHashTable Sections;

static void
uni_board_status_finalize (GObject *object)
{
  UniBoardStatus *self = UNI_BOARD_STATUS (object);

  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->detail, g_free);
  g_clear_pointer (&self->machine, g_free);
  g_clear_pointer (&self->info, g_hash_table_unref);
  g_clear_pointer (&self->domains, g_ptr_array_unref);
  g_clear_pointer (&self->bridges, g_strfreev);

  G_OBJECT_CLASS (uni_board_status_parent_class)->finalize (object);
}

static void
uni_board_status_class_init (UniBoardStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = uni_board_status_finalize;
}

static void
uni_board_status_init (UniBoardStatus *self)
{
  self->info = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->domains = g_ptr_array_new_with_free_func ((GDestroyNotify) uni_xl_domain_free);
  self->bridges = g_new0 (char *, 1);
}

static UniBoardStatus *
status_new (UniBoardState  state,
            char          *message,
            const char    *detail)
{
  UniBoardStatus *self = g_object_new (UNI_TYPE_BOARD_STATUS, NULL);
  g_autofree char *stripped = g_strstrip (g_strdup (detail != NULL ? detail : ""));

  self->state = state;
  self->message = message;
  self->detail = *stripped != '\0' ? g_steal_pointer (&stripped) : NULL;

  return self;
}

static char *
dup_destination (UniBoardProfile *profile)
{
  const char *user = uni_board_profile_get_user (profile);
  const char *host = uni_board_profile_get_host (profile);

  if (user != NULL)
    return g_strdup_printf ("%s@%s", user, host);

  return g_strdup (host);
}

static char *
dup_port (UniBoardProfile *profile)
{
  guint port = uni_board_profile_get_port (profile);

  return port != 0 ? g_strdup_printf ("%u", port) : g_strdup ("22");
}

/* ssh could not log in: read why from its messages (OpenSSH's, which are
 * never translated).
 */
static UniBoardStatus *
classify_ssh_error (UniBoardProfile *profile,
                    const char      *err)
{
  const char *host = uni_board_profile_get_host (profile);
  g_autofree char *destination = dup_destination (profile);
  g_autofree char *port = dup_port (profile);
  g_autofree char *known_as = NULL;

  /* How known_hosts names a host on another port than 22. */
  if (uni_board_profile_get_port (profile) != 0 && uni_board_profile_get_port (profile) != 22)
    known_as = g_strdup_printf ("[%s]:%s", host, port);
  else
    known_as = g_strdup (host);

  if (strstr (err, "REMOTE HOST IDENTIFICATION HAS CHANGED") != NULL
      || strstr (err, "POSSIBLE DNS SPOOFING DETECTED") != NULL)
    return status_new (UNI_BOARD_STATE_HOST_KEY_CHANGED,
                       g_strdup_printf (_("The board at “%s” shows a different host key than "
                                          "the one this computer knows for it. That happens "
                                          "when its system was reinstalled — or when someone "
                                          "is in between. Unistudio will not connect. If you "
                                          "reinstalled the board, compare the key's "
                                          "fingerprint with the one the board itself shows "
                                          "(ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub "
                                          "on its console), then remove the old key with "
                                          "“ssh-keygen -R %s”."), host, known_as),
                       err);

  if (strstr (err, "Host key verification failed") != NULL
      || strstr (err, "host key is known") != NULL)
    return status_new (UNI_BOARD_STATE_HOST_KEY_UNKNOWN,
                       g_strdup_printf (_("This computer does not know the host key of “%s” "
                                          "yet, and Unistudio never accepts one unseen. "
                                          "Connect once from a terminal (ssh %s), compare the "
                                          "fingerprint ssh shows with the one the board shows "
                                          "on its console (ssh-keygen -l -f "
                                          "/etc/ssh/ssh_host_ed25519_key.pub), and accept it "
                                          "if they match."), host, destination),
                       err);

  if (strstr (err, "Could not resolve hostname") != NULL)
    return status_new (UNI_BOARD_STATE_UNKNOWN_HOST,
                       g_strdup_printf (_("This computer cannot find a host called “%s”. "
                                          "Check the name, or the alias in ~/.ssh/config; a "
                                          "“.local” name needs the board on the same network "
                                          "and mDNS (Avahi) on both machines."), host),
                       err);

  if (strstr (err, "Connection refused") != NULL)
    return status_new (UNI_BOARD_STATE_REFUSED,
                       g_strdup_printf (_("“%s” refused the connection on port %s. Check that "
                                          "the board has finished booting and runs an ssh "
                                          "server on that port."), host, port),
                       err);

  if (strstr (err, "timed out") != NULL)
    return status_new (UNI_BOARD_STATE_TIMEOUT,
                       g_strdup_printf (_("“%s” did not answer in time. Check that the board "
                                          "is powered on and connected to the network."), host),
                       err);

  if (strstr (err, "No route to host") != NULL || strstr (err, "Network is unreachable") != NULL)
    return status_new (UNI_BOARD_STATE_UNREACHABLE,
                       g_strdup_printf (_("“%s” cannot be reached from this computer. Check "
                                          "that the board is powered on, its network cable, "
                                          "and that both are on the same network."), host),
                       err);

  if (strstr (err, "Permission denied") != NULL
      || strstr (err, "Too many authentication failures") != NULL)
    return status_new (UNI_BOARD_STATE_AUTH_FAILED,
                       g_strdup_printf (_("The board refused the login as %s. Check the user "
                                          "name, and that your public key is in the board's "
                                          "~/.ssh/authorized_keys (ssh-copy-id %s) and "
                                          "offered by ssh (ssh-add, or IdentityFile)."),
                                        destination, destination),
                       err);

  return status_new (UNI_BOARD_STATE_FAILED,
                     g_strdup_printf (_("ssh could not connect to “%s”."), host),
                     err);
}

/* Splits the script's output into its sections. */
static Sections *
parse_sections (const char *marker,
                const char *out)
{
  g_autoptr(GHashTable) sections = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                          g_free, g_free);
  g_autofree char *prefix = g_strconcat (marker, " ", NULL);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  GString *text = NULL;
  char *current = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      gsize length = strlen (line);
      g_auto(GStrv) words = NULL;
      guint n_words;

      while (length > 0 && line[length - 1] == '\r')
        line[--length] = '\0';

      if (!g_str_has_prefix (line, prefix))
        {
          if (text != NULL)
            {
              g_string_append (text, line);
              g_string_append_c (text, '\n');
            }
          continue;
        }

      if (current != NULL)
        g_hash_table_replace (sections, current, g_string_free (text, FALSE));
      current = NULL;
      text = NULL;

      words = g_strsplit (line + strlen (prefix), " ", 3);
      n_words = g_strv_length (words);
      if (n_words == 2 && (g_str_equal (words[0], "out") || g_str_equal (words[0], "err")))
        {
          current = g_strconcat (words[0], " ", words[1], NULL);
          text = g_string_new (NULL);
        }
      else if (n_words == 3 && g_str_equal (words[0], "exit"))
        {
          g_hash_table_replace (sections, g_strconcat ("exit ", words[1], NULL),
                                g_strdup (words[2]));
        }
    }

  if (current != NULL)
    g_hash_table_replace (sections, current, g_string_free (text, FALSE));

  return g_steal_pointer (&sections);
}

static const char *
get_section (Sections   *sections,
             const char *kind,
             const char *name)
{
  g_autofree char *key = g_strconcat (kind, " ", name, NULL);

  return g_hash_table_lookup (sections, key);
}

/* The section's exit status, -1 when the script did not get that far. */
static int
get_exit (Sections   *sections,
          const char *name)
{
  const char *text = get_section (sections, "exit", name);
  guint64 value = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, 255, &value, NULL))
    return -1;

  return value;
}

/* What xl (or sudo, or the shell) printed when `xl info` failed. */
static UniBoardStatus *
classify_xl_error (UniBoardProfile *profile,
                   int              status,
                   const char      *text)
{
  g_autofree char *destination = dup_destination (profile);
  gboolean sudo = uni_board_profile_get_xl_sudo (profile);

  if (strstr (text, "a password is required") != NULL
      || strstr (text, "a terminal is required") != NULL)
    return status_new (UNI_BOARD_STATE_SUDO_NEEDS_PASSWORD,
                       g_strdup_printf (_("sudo on the board asks %s for a password, which "
                                          "Unistudio cannot type while it watches the board. "
                                          "Let that user run xl without a password (a sudoers "
                                          "rule with NOPASSWD for /usr/sbin/xl, edited with "
                                          "visudo), or log in as root and turn off “xl needs "
                                          "sudo”."), destination),
                       text);

  if (status == NOT_FOUND && sudo)
    return status_new (UNI_BOARD_STATE_SUDO_MISSING,
                       g_strdup (_("The board has no sudo command. Log in as root and turn "
                                   "off “xl needs sudo”, or install sudo on the board.")),
                       text);

  if (status == NOT_FOUND || strstr (text, "xl: command not found") != NULL)
    return status_new (UNI_BOARD_STATE_XL_MISSING,
                       g_strdup (_("The board has no xl command: it does not run a Xen dom0 "
                                   "with the Xen tools. Check that it booted a Xen image, or "
                                   "install the Xen tools (xen-utils) in its dom0.")),
                       text);

  if (strstr (text, "cannot init xl context") != NULL
      || strstr (text, "Could not obtain handle on privileged command interface") != NULL)
    {
      if (strstr (text, "Permission denied") != NULL)
        return status_new (UNI_BOARD_STATE_XL_NEEDS_ROOT,
                           g_strdup (_("xl needs root on the board. Turn on “xl needs sudo”, "
                                       "or log in as root.")),
                           text);

      return status_new (UNI_BOARD_STATE_XEN_NOT_RUNNING,
                         g_strdup (_("The board is up, but Xen is not running: its Linux "
                                     "booted without the Xen hypervisor. Check the board's "
                                     "boot configuration (the Xen image and its boot "
                                     "script), then restart it.")),
                         text);
    }

  return status_new (UNI_BOARD_STATE_FAILED,
                     g_strdup_printf (_("“xl info” failed on the board (exit status %d)."),
                                      status),
                     text);
}

static char *
dup_joined_output (Sections   *sections,
                   const char *name)
{
  const char *out = get_section (sections, "out", name);
  const char *err = get_section (sections, "err", name);

  return g_strconcat (err != NULL ? err : "", out != NULL ? out : "", NULL);
}

/* `xen_version` as xl prints it, else from `xen_major`, `xen_minor` and
 * `xen_extra` as older xl prints them.
 */
static void
add_xen_version (GHashTable *info)
{
  const char *major = g_hash_table_lookup (info, "xen_major");
  const char *minor = g_hash_table_lookup (info, "xen_minor");
  const char *extra = g_hash_table_lookup (info, "xen_extra");

  if (g_hash_table_contains (info, "xen_version") || major == NULL || minor == NULL)
    return;

  g_hash_table_insert (info, g_strdup ("xen_version"),
                       g_strconcat (major, ".", minor, extra != NULL ? extra : "", NULL));
}

static gint64
parse_mib (const char *text)
{
  guint64 value = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
    return -1;

  return value;
}

static char *
dup_ok_message (UniBoardStatus *self)
{
  const char *version = uni_board_status_get_xen_version (self);
  gint64 free_mib = uni_board_status_get_free_memory_mib (self);
  g_autofree char *free_text = NULL;

  if (version == NULL)
    version = "?";

  if (free_mib < 0)
    return g_strdup_printf (_("Xen %s is running"), version);

  free_text = g_strdup_printf ("%" G_GINT64_FORMAT, free_mib);
  /* Translators: the first %s is Xen's version, the second a number of MiB */
  return g_strdup_printf (_("Xen %s is running, %s MiB free"), version, free_text);
}

/**
 * uni_board_status_new_from_probe:
 * @profile: the profile probed
 * @marker: the marker the script was built with
 * @ssh_status: ssh's exit status
 * @out: ssh's standard output (the script's)
 * @err: ssh's standard error
 *
 * See uni-board-private.h.
 *
 * Returns: (transfer full): the status
 */
UniBoardStatus *
uni_board_status_new_from_probe (UniBoardProfile *profile,
                                 const char      *marker,
                                 int              ssh_status,
                                 const char      *out,
                                 const char      *err)
{
  g_autoptr(GHashTable) sections = NULL;
  g_autoptr(UniBoardStatus) self = NULL;
  g_autoptr(GPtrArray) domains = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) bridges = g_strv_builder_new ();
  g_autofree char *info_text = NULL;
  const char *machine;
  const char *list;
  const char *bridge_text;
  int info_status;
  int list_status;

  g_return_val_if_fail (UNI_IS_BOARD_PROFILE (profile), NULL);
  g_return_val_if_fail (marker != NULL && *marker != '\0', NULL);
  g_return_val_if_fail (out != NULL, NULL);
  g_return_val_if_fail (err != NULL, NULL);

  sections = parse_sections (marker, out);

  /* The script always gets to its last section once logged in; a 255
   * with it is the board's business, not ssh's.
   */
  if (get_exit (sections, SECTION_BRIDGES) < 0)
    {
      g_autofree char *both = NULL;

      if (ssh_status == SSH_ERROR)
        return classify_ssh_error (profile, err);

      both = g_strconcat (err, out, NULL);
      self = status_new (UNI_BOARD_STATE_FAILED,
                         g_strdup_printf (_("The board answered, but not as Unistudio expected "
                                            "(exit status %d): check that its login shell is "
                                            "a POSIX shell."), ssh_status),
                         both);
      self->logged_in = TRUE;
      return g_steal_pointer (&self);
    }

  info_status = get_exit (sections, SECTION_INFO);
  info_text = dup_joined_output (sections, SECTION_INFO);
  if (info_status != 0)
    {
      self = classify_xl_error (profile, info_status, info_text);
    }
  else
    {
      g_autoptr(GHashTable) info = NULL;

      list = get_section (sections, "out", SECTION_LIST);
      list_status = get_exit (sections, SECTION_LIST);
      if (list_status != 0 || list == NULL)
        {
          g_autofree char *list_text = dup_joined_output (sections, SECTION_LIST);

          self = status_new (UNI_BOARD_STATE_FAILED,
                             g_strdup_printf (_("“xl list” failed on the board (exit status "
                                                "%d)."), list_status),
                             list_text);
        }
      else if ((domains = uni_xl_parse_list (list, &error)) == NULL)
        {
          self = status_new (UNI_BOARD_STATE_FAILED, g_strdup (error->message), list);
        }
      else
        {
          self = status_new (UNI_BOARD_STATE_OK, NULL, NULL);
          g_ptr_array_extend_and_steal (self->domains, g_steal_pointer (&domains));
        }

      info = uni_xl_parse_info (get_section (sections, "out", SECTION_INFO));
      add_xen_version (info);
      g_hash_table_unref (self->info);
      self->info = g_steal_pointer (&info);
      if (self->state == UNI_BOARD_STATE_OK)
        self->message = dup_ok_message (self);
    }

  self->logged_in = TRUE;

  machine = get_section (sections, "out", SECTION_MACHINE);
  if (machine != NULL)
    {
      self->machine = g_strstrip (g_strdup (machine));
      if (*self->machine == '\0')
        g_clear_pointer (&self->machine, g_free);
    }

  bridge_text = get_section (sections, "out", SECTION_BRIDGES);
  if (bridge_text != NULL)
    {
      g_auto(GStrv) names = g_strsplit (bridge_text, "\n", -1);

      for (guint i = 0; names[i] != NULL; i++)
        {
          g_strstrip (names[i]);
          if (*names[i] != '\0')
            g_strv_builder_add (bridges, names[i]);
        }
    }
  g_strfreev (self->bridges);
  self->bridges = g_strv_builder_end (bridges);

  return g_steal_pointer (&self);
}

/**
 * uni_board_status_new_timed_out:
 * @profile: the profile probed
 * @seconds: how long the probe waited
 *
 * Returns: (transfer full): a %UNI_BOARD_STATE_TIMEOUT status
 */
UniBoardStatus *
uni_board_status_new_timed_out (UniBoardProfile *profile,
                                guint            seconds)
{
  g_return_val_if_fail (UNI_IS_BOARD_PROFILE (profile), NULL);

  return status_new (UNI_BOARD_STATE_TIMEOUT,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "“%s” did not finish answering within %u "
                                                   "second. Check that the board is powered on "
                                                   "and not overloaded.",
                                                   "“%s” did not finish answering within %u "
                                                   "seconds. Check that the board is powered on "
                                                   "and not overloaded.",
                                                   seconds),
                                      uni_board_profile_get_host (profile), seconds),
                     NULL);
}

/**
 * uni_board_probe_dup_argv:
 * @marker: a word the board's output cannot hold by chance
 * @xl_prefix: (array zero-terminated=1): the words that run xl ("sudo",
 *   "-n", "xl")
 *
 * See uni-board-private.h.
 *
 * Returns: (transfer full): the command to run on the board
 */
char **
uni_board_probe_dup_argv (const char         *marker,
                          const char * const *xl_prefix)
{
  /* Fixed text: the marker and the xl words come in as the script's
   * arguments ("$1", then "$@"), so nothing is quoted into it by hand.
   *
   * Messages in English whatever locale ssh passed on (SendEnv LANG
   * LC_*): sudo's and the shell's are read below. `run NAME COMMAND...`
   * prints the command's standard output, then its standard error
   * (captured through fd 3), then its exit status, each after a marker
   * line of its own; a marker starts with a newline so that output without
   * a final one cannot hide it.
   */
  static const char script[] =
    "LC_ALL=C\n"
    "export LC_ALL\n"
    "m=$1\n"
    "shift\n"
    "mark () { printf '\\n%s %s\\n' \"$m\" \"$*\"; }\n"
    "run () {\n"
    "  n=$1\n"
    "  shift\n"
    "  mark out \"$n\"\n"
    "  { e=$(\"$@\" 2>&1 >&3 </dev/null); s=$?; } 3>&1\n"
    "  mark err \"$n\"\n"
    "  printf '%s\\n' \"$e\"\n"
    "  mark exit \"$n\" \"$s\"\n"
    "}\n"
    "run " SECTION_MACHINE " uname -m\n"
    "run " SECTION_INFO " \"$@\" info\n"
    "run " SECTION_LIST " \"$@\" list\n"
    "mark out " SECTION_BRIDGES "\n"
    "for d in /sys/class/net/*/bridge; do\n"
    "  if [ -d \"$d\" ]; then d=${d%/bridge}; printf '%s\\n' \"${d##*/}\"; fi\n"
    "done\n"
    "mark exit " SECTION_BRIDGES " 0\n";
  g_autoptr(GStrvBuilder) builder = NULL;

  g_return_val_if_fail (marker != NULL && *marker != '\0', NULL);
  g_return_val_if_fail (xl_prefix != NULL && xl_prefix[0] != NULL, NULL);

  builder = g_strv_builder_new ();
  g_strv_builder_add_many (builder, "sh", "-c", script, "sh", marker, NULL);
  g_strv_builder_addv (builder, (const char **) xl_prefix);

  return g_strv_builder_end (builder);
}

/**
 * uni_board_status_get_state:
 * @self: a #UniBoardStatus
 *
 * Returns: what the probe found
 */
UniBoardState
uni_board_status_get_state (UniBoardStatus *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_STATUS (self), UNI_BOARD_STATE_FAILED);

  return self->state;
}

/**
 * uni_board_status_get_message:
 * @self: a #UniBoardStatus
 *
 * Returns: a translated sentence for the user: what the board runs, or
 *   what is wrong and what to check
 */
const char *
uni_board_status_get_message (UniBoardStatus *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_STATUS (self), NULL);

  return self->message;
}

/**
 * uni_board_status_get_detail:
 * @self: a #UniBoardStatus
 *
 * Returns: (nullable): what ssh or the board printed that the message
 *   comes from, as it printed it
 */
const char *
uni_board_status_get_detail (UniBoardStatus *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_STATUS (self), NULL);

  return self->detail;
}

/**
 * uni_board_status_get_logged_in:
 * @self: a #UniBoardStatus
 *
 * Returns: whether ssh logged in (the board ran the probe's commands)
 */
gboolean
uni_board_status_get_logged_in (UniBoardStatus *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_STATUS (self), FALSE);

  return self->logged_in;
}

/**
 * uni_board_status_get_machine:
 * @self: a #UniBoardStatus
 *
 * Returns: (nullable): the board's machine as `uname -m` says ("armv7l")
 */
const char *
uni_board_status_get_machine (UniBoardStatus *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_STATUS (self), NULL);

  return self->machine;
}

/**
 * uni_board_status_get_info_value:
 * @self: a #UniBoardStatus
 * @key: an `xl info` key ("xen_caps", "host", "nr_cpus"...)
 *
 * Returns: (nullable): its value, when xl info answered
 */
const char *
uni_board_status_get_info_value (UniBoardStatus *self,
                                 const char     *key)
{
  g_return_val_if_fail (UNI_IS_BOARD_STATUS (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return g_hash_table_lookup (self->info, key);
}

/**
 * uni_board_status_get_xen_version:
 * @self: a #UniBoardStatus
 *
 * Returns: (nullable): the hypervisor's version ("4.4.0")
 */
const char *
uni_board_status_get_xen_version (UniBoardStatus *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_STATUS (self), NULL);

  return g_hash_table_lookup (self->info, "xen_version");
}

/**
 * uni_board_status_get_free_memory_mib:
 * @self: a #UniBoardStatus
 *
 * Returns: the memory Xen can still give domains (`free_memory`, MiB), -1
 *   when unknown
 */
gint64
uni_board_status_get_free_memory_mib (UniBoardStatus *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_STATUS (self), -1);

  return parse_mib (g_hash_table_lookup (self->info, "free_memory"));
}

/**
 * uni_board_status_get_total_memory_mib:
 * @self: a #UniBoardStatus
 *
 * Returns: the host's memory (`total_memory`, MiB), -1 when unknown
 */
gint64
uni_board_status_get_total_memory_mib (UniBoardStatus *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_STATUS (self), -1);

  return parse_mib (g_hash_table_lookup (self->info, "total_memory"));
}

/**
 * uni_board_status_get_domains:
 * @self: a #UniBoardStatus
 *
 * Returns: (transfer none) (element-type UniXlDomain): the rows of
 *   `xl list`, Domain-0 first; empty unless the state is OK
 */
GPtrArray *
uni_board_status_get_domains (UniBoardStatus *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_STATUS (self), NULL);

  return self->domains;
}

/**
 * uni_board_status_get_bridges:
 * @self: a #UniBoardStatus
 *
 * Returns: (transfer none) (array zero-terminated=1): the bridges the
 *   board has (names under /sys/class/net), empty when unknown
 */
const char * const *
uni_board_status_get_bridges (UniBoardStatus *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_STATUS (self), NULL);

  return (const char * const *) self->bridges;
}

/**
 * uni_board_status_has_domain:
 * @self: a #UniBoardStatus
 * @name: a domain name
 * @running: (out) (optional): whether it runs: neither shut down nor dying
 *
 * Returns: whether `xl list` has a domain called @name
 */
gboolean
uni_board_status_has_domain (UniBoardStatus *self,
                             const char     *name,
                             gboolean       *running)
{
  g_return_val_if_fail (UNI_IS_BOARD_STATUS (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < self->domains->len; i++)
    {
      const UniXlDomain *domain = g_ptr_array_index (self->domains, i);

      if (g_str_equal (domain->name, name))
        {
          /* The places of 's' (shut down) and 'd' (dying). */
          if (running != NULL)
            *running = domain->state[3] == '-' && domain->state[5] == '-';
          return TRUE;
        }
    }

  if (running != NULL)
    *running = FALSE;

  return FALSE;
}

/**
 * uni_board_status_get_picture_layer:
 * @self: a #UniBoardStatus
 * @domain_name: (nullable): the project's unikernel
 *
 * Which group of the board's picture shows this status: the board out of
 * reach (no answer on the network), reachable (an ssh server answered,
 * whatever came next), Xen up, or @domain_name running on it.
 *
 * Returns: one of the UNI_BOARD_LAYER_ ids
 */
const char *
uni_board_status_get_picture_layer (UniBoardStatus *self,
                                    const char     *domain_name)
{
  gboolean running = FALSE;

  g_return_val_if_fail (UNI_IS_BOARD_STATUS (self), NULL);

  switch (self->state)
    {
    case UNI_BOARD_STATE_OK:
      if (domain_name != NULL && uni_board_status_has_domain (self, domain_name, &running)
          && running)
        return UNI_BOARD_LAYER_RUNNING;
      return UNI_BOARD_LAYER_XEN;

    case UNI_BOARD_STATE_UNKNOWN_HOST:
    case UNI_BOARD_STATE_REFUSED:
    case UNI_BOARD_STATE_UNREACHABLE:
    case UNI_BOARD_STATE_TIMEOUT:
      return UNI_BOARD_LAYER_UNREACHABLE;

    case UNI_BOARD_STATE_HOST_KEY_UNKNOWN:
    case UNI_BOARD_STATE_HOST_KEY_CHANGED:
    case UNI_BOARD_STATE_AUTH_FAILED:
    case UNI_BOARD_STATE_XL_MISSING:
    case UNI_BOARD_STATE_SUDO_MISSING:
    case UNI_BOARD_STATE_SUDO_NEEDS_PASSWORD:
    case UNI_BOARD_STATE_XL_NEEDS_ROOT:
    case UNI_BOARD_STATE_XEN_NOT_RUNNING:
      return UNI_BOARD_LAYER_REACHABLE;

    case UNI_BOARD_STATE_FAILED:
    default:
      return self->logged_in ? UNI_BOARD_LAYER_REACHABLE : UNI_BOARD_LAYER_UNREACHABLE;
    }
}
