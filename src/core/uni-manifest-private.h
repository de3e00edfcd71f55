/* uni-manifest-private.h — what the reader keeps for the editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "uni-manifest.h"
#include "uni-ocaml-lexer.h"

G_BEGIN_DECLS

typedef struct
{
  UniManifestKey  pub;
  /* Where `~doc:"..." ` goes when the info call has no ~doc: its first argument. */
  gsize           info_insert_offset;
  gboolean        has_info;
  gboolean        has_doc_label;  /* ~doc given, maybe not as a literal */
  /* The top-level `let` the key is bound by, for `Key.abstract NAME`. */
  char           *binding;
} UniManifestKeyPrivate;

typedef struct
{
  UniManifestPackage  pub;
  gboolean            is_call;       /* `package "x"`, else a bare string literal */
  UniSpan             name_span;     /* the name's string literal */
  UniSpan             min_span;      /* `~min:"..."` label and value, length 0 when absent */
  UniSpan             max_span;
  UniSpan             min_value_span;
  UniSpan             max_value_span;
} UniManifestPackagePrivate;

typedef enum
{
  UNI_MANIFEST_LIST_NONE,
  UNI_MANIFEST_LIST_CALLS,    /* [ package "x"; ... ] */
  UNI_MANIFEST_LIST_STRINGS,  /* [ "x"; ... ] */
} UniManifestListKind;

struct _UniManifest
{
  GObject               parent_instance;

  char                 *text;
  gsize                 length;

  /* The tokens that are neither whitespace nor comments, and for each
   * bracket the index of its partner (-1 when unmatched or not a bracket).
   */
  UniOcamlToken        *toks;
  guint                 n_toks;
  int                  *partner;
  /* For each token, the innermost bracket around it (-1 at top level). */
  int                  *enclosing;

  UniMirageEra          era;
  char                 *name;
  UniSpan               name_span;
  guint                 n_registers;
  char                 *entry;
  UniSpan               entry_span;
  char                 *signature;
  char                **devices;
  char                 *version_pin;
  UniSpan               version_pin_span;
  gboolean              uses_network;
  const char           *static_store;

  GPtrArray            *keys;
  GPtrArray            *packages;
  GPtrArray            *runtime_args;
  GPtrArray            *env_knobs;
  GPtrArray            *problems;

  /* The entry call's package list (direct or through a binding), or the
   * first add_to_opam_packages list in 2.0–2.6 configs.
   */
  UniSpan               packages_list;
  UniManifestListKind   packages_list_kind;
  gboolean              entry_has_packages_label;
};

GArray *_uni_manifest_list_elements (UniManifest *self,
                                     UniSpan      list_span);
int     _uni_manifest_token_at      (UniManifest *self,
                                     gsize        offset);

G_END_DECLS
