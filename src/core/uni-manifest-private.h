/* uni-manifest-private.h — what the reader keeps for the editor and the JSON writer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>

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
  /* The list elements this row stands for: more than 1 when the same name
   * and bounds are listed again further on.
   */
  guint               n_elements;
} UniManifestPackagePrivate;

/* The constructs the reader saw that tell the mirage era apart (see
 * _uni_manifest_era_from_markers()).
 */
typedef enum
{
  MARK_MAIN           = 1 << 0,
  MARK_RUNTIME_ARG    = 1 << 1,
  MARK_POS            = 1 << 2,
  MARK_FOREIGN        = 1 << 3,
  MARK_STACKV4V6      = 1 << 4,
  MARK_KEY_V          = 1 << 5,
  MARK_PACKAGE_CALL   = 1 << 6,
  MARK_DEFAULT_NET    = 1 << 7,
  MARK_KEY_3          = 1 << 8,
  MARK_KEY_CREATE     = 1 << 9,
  MARK_STRING_LISTS   = 1 << 10,
  MARK_TAP0           = 1 << 11,
  MARK_ADD_TO         = 1 << 12,
  MARK_GETENV         = 1 << 13,
  MARK_GET_MODE       = 1 << 14,
  MARK_EMPTY_PACKAGES = 1 << 15,
} Markers;

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

/* Token helpers for the reader and the JSON writer: @i indexes the
 * tokens that are neither whitespace nor comments.
 */

static inline const UniOcamlToken *
tok (UniManifest *self,
     guint        i)
{
  g_assert (i < self->n_toks);
  return &self->toks[i];
}

static inline gboolean
tok_is (UniManifest       *self,
        guint              i,
        UniOcamlTokenKind  kind,
        const char        *spelling)
{
  if (i >= self->n_toks || self->toks[i].kind != kind)
    return FALSE;

  return spelling == NULL || uni_ocaml_token_equal (&self->toks[i], self->text, spelling);
}

static inline gboolean
tok_punct (UniManifest *self,
           guint        i,
           const char  *spelling)
{
  return tok_is (self, i, UNI_OCAML_TOKEN_PUNCT, spelling);
}

static inline gboolean
tok_is_opener (UniManifest *self,
               guint        i)
{
  return i < self->n_toks
         && self->toks[i].kind == UNI_OCAML_TOKEN_PUNCT
         && strchr ("([{", self->text[self->toks[i].offset]) != NULL;
}

static inline gboolean
tok_is_string (UniManifest *self,
               guint        i)
{
  return i < self->n_toks
         && (self->toks[i].kind == UNI_OCAML_TOKEN_STRING
             || self->toks[i].kind == UNI_OCAML_TOKEN_QUOTED_STRING);
}

static inline char *
tok_dup (UniManifest *self,
         guint        i)
{
  return g_strndup (self->text + tok (self, i)->offset, tok (self, i)->length);
}

static inline char *
tok_string_value (UniManifest *self,
                  guint        i)
{
  if (!tok_is_string (self, i))
    return NULL;

  return uni_ocaml_string_literal_value (self->text, tok (self, i));
}

guint         _uni_manifest_path_start       (UniManifest  *self,
                                             guint         i);
void          _uni_manifest_unwrap           (UniManifest  *self,
                                             guint        *start,
                                             guint        *end);
GArray       *_uni_manifest_list_ranges      (UniManifest  *self,
                                             guint         open);
GArray       *_uni_manifest_list_elements    (UniManifest  *self,
                                             UniSpan       list_span);
int           _uni_manifest_token_at         (UniManifest  *self,
                                             gsize         offset);
void          _uni_manifest_read_version_pin (UniManifest  *self,
                                             const GArray *all);
UniMirageEra  _uni_manifest_era_from_pin     (const char   *pin);
UniMirageEra  _uni_manifest_era_from_markers (guint         markers);

G_END_DECLS
