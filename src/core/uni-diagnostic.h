/* uni-diagnostic.h — errors and warnings read from build output as it streams
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  UNI_DIAGNOSTIC_ERROR,
  UNI_DIAGNOSTIC_WARNING,
  UNI_DIAGNOSTIC_ALERT,
  UNI_DIAGNOSTIC_NOTE,
} UniDiagnosticSeverity;

#define UNI_TYPE_DIAGNOSTIC (uni_diagnostic_get_type ())

G_DECLARE_FINAL_TYPE (UniDiagnostic, uni_diagnostic, UNI, DIAGNOSTIC, GObject)

/* Properties: "file" (string, as printed, may be NULL), "line", "end-line",
 * "start-column", "end-column" (0 when unknown; columns 0-based like OCaml's
 * "characters"), "severity", "message" (first line), "details" (the rest),
 * "source" ("ocaml", "dune", "ocamlbuild", "opam", "make", "mirage"),
 * "code" (the warning or alert name as printed, e.g. "32 [unused-value-declaration]"
 * or "deprecated"; NULL for plain errors).
 */
const char            *uni_diagnostic_get_file         (UniDiagnostic *self);
guint                  uni_diagnostic_get_line         (UniDiagnostic *self);
guint                  uni_diagnostic_get_end_line     (UniDiagnostic *self);
guint                  uni_diagnostic_get_start_column (UniDiagnostic *self);
guint                  uni_diagnostic_get_end_column   (UniDiagnostic *self);
UniDiagnosticSeverity  uni_diagnostic_get_severity     (UniDiagnostic *self);
const char            *uni_diagnostic_get_message      (UniDiagnostic *self);
const char            *uni_diagnostic_get_details      (UniDiagnostic *self);
const char            *uni_diagnostic_get_source       (UniDiagnostic *self);
const char            *uni_diagnostic_get_code         (UniDiagnostic *self);
GFile                 *uni_diagnostic_resolve_file     (UniDiagnostic *self,
                                                        GFile         *project_dir);

#define UNI_TYPE_DIAGNOSTIC_PARSER (uni_diagnostic_parser_get_type ())

G_DECLARE_FINAL_TYPE (UniDiagnosticParser, uni_diagnostic_parser, UNI, DIAGNOSTIC_PARSER, GObject)

/* A GListModel of UniDiagnostic, filled as output is fed. */
UniDiagnosticParser *uni_diagnostic_parser_new    (void);
void                 uni_diagnostic_parser_feed   (UniDiagnosticParser *self,
                                                   const char          *data,
                                                   gsize                length);
void                 uni_diagnostic_parser_finish (UniDiagnosticParser *self);
void                 uni_diagnostic_parser_reset  (UniDiagnosticParser *self);
char                *uni_strip_ansi               (const char          *text,
                                                   gssize               length);

G_END_DECLS
