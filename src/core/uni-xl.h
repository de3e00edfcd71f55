/* uni-xl.h — what Xen's `xl` prints on a board, read back: `xl list`, `xl info`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define UNI_XL_ERROR (uni_xl_error_quark ())

/**
 * UniXlError:
 * @UNI_XL_ERROR_NO_HEADER: the text has no `xl list` header: it is not what
 *   `xl list` prints (an error message, another command's output)
 * @UNI_XL_ERROR_UNSUPPORTED: a header with more columns than plain `xl list`
 *   prints (`xl list -v`, `-c`, `-n`...)
 * @UNI_XL_ERROR_MALFORMED: a line after the header is not a domain's row;
 *   the message names the line
 */
typedef enum
{
  UNI_XL_ERROR_NO_HEADER,
  UNI_XL_ERROR_UNSUPPORTED,
  UNI_XL_ERROR_MALFORMED,
} UniXlError;

/**
 * UniXlDomain:
 * @name: the domain's name; it may hold spaces ("Domain-0" is dom0)
 * @id: the domain id (0 for dom0)
 * @mem_mib: its memory in MiB
 * @vcpus: its online virtual CPUs
 * @state: six letters, one per flag, `-` when unset: r (running), b
 *   (blocked), p (paused), s (shut down), the shutdown reason (c crashed, r
 *   rebooting, s suspended, w watchdog, S soft reset, `?` unknown), d
 *   (dying); see uni_xl_describe_state()
 * @cpu_seconds: the CPU time it used, in seconds
 *
 * One row of `xl list`.
 */
typedef struct
{
  char   *name;
  guint   id;
  guint   mem_mib;
  guint   vcpus;
  char    state[7];
  double  cpu_seconds;
} UniXlDomain;

#define UNI_TYPE_XL_DOMAIN (uni_xl_domain_get_type ())

GType        uni_xl_domain_get_type (void) G_GNUC_CONST;
GQuark       uni_xl_error_quark     (void);

UniXlDomain *uni_xl_domain_copy     (const UniXlDomain  *domain);
void         uni_xl_domain_free     (UniXlDomain        *domain);

/* Reads what `xl list` prints (Xen 4.x: a header, then one row per domain:
 * `%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f`), from the right of each row
 * since a name may hold spaces or be longer than its column. Lines before
 * the header are skipped (a warning xl printed first); blank lines and
 * carriage returns (output through a terminal) are ignored. Returns the
 * domains in the order listed, or %NULL with UNI_XL_ERROR.
 */
GPtrArray   *uni_xl_parse_list      (const char         *text,
                                     GError            **error);

/* Reads what `xl info` prints: `key : value` lines (the key padded with
 * spaces). Values keep their own colons ("hw_caps", "cc_compile_date") and
 * may be empty ("virt_caps" on ARM). Lines that are not a key and a value
 * are skipped; of a key given twice the first wins. Never fails: text that
 * is not xl's gives an empty table.
 */
GHashTable  *uni_xl_parse_info      (const char         *text);

/* The address a unikernel reports on its console (`xl create -c`, `xl
 * console`) is read with uni_launch_find_address() of uni-launch.h, the
 * same rule as for a unix unikernel.
 */

/* The state letters of a UniXlDomain in words for the user: "running",
 * "idle" (xl's blocked), "paused", "shut down", "crashed", "dying"..., several joined
 * with commas; "waiting to run" when no flag is set. %NULL when @letters
 * are not six state letters in their places.
 */
char        *uni_xl_describe_state  (const char         *letters);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UniXlDomain, uni_xl_domain_free)

G_END_DECLS
